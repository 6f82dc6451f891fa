"""The real library through the generated Python bindings (uniffi).

Run by scripts/bindings-test.sh, which builds the cdylib, generates the module
`callscreen_ffi` into target/bindings/python (with the .so beside it) and puts
that directory on PYTHONPATH. Fixtures: tests/data (see tests/fixtures/README.md).
"""

import csv
import json
import threading
from pathlib import Path

import pytest

from callscreen_ffi import (
    Action,
    Attestation,
    CallScreenError,
    CallScreener,
    CertificateSource,
    Indication,
    LogLevel,
    LogSink,
    PlatformCall,
    PlatformPresentation,
    Presentation,
    RcdContent,
    ScreenerConfig,
    VerificationSource,
    VerificationStatus,
    platform_presentation_from_android,
    set_log_sink,
)

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
INVITES = DATA / "invites"
CERTS = DATA / "certs"
NOW = 1795348800  # 2026-11-22T12:00:00Z, the fixtures' clock
OWN_NUMBER = "+12155551213"
MISSING_URL = "https://certs.example.org/missing.pem"


class DirSource(CertificateSource):
    """x5u -> tests/data/certs/<last path segment>, as the CLI's --cert-dir."""

    def __init__(self):
        self.calls = 0

    def lookup(self, x5u):
        self.calls += 1
        path = CERTS / x5u.rsplit("/", 1)[-1]
        return path.read_bytes() if path.is_file() else None


class RaisingSource(CertificateSource):
    def lookup(self, x5u):
        raise RuntimeError("disk gone while looking up " + x5u)


class ErrorSource(CertificateSource):
    def lookup(self, x5u):
        raise CallScreenError.Storage("cache unreadable")


class Collect(LogSink):
    def __init__(self):
        self.records = []
        self.lock = threading.Lock()

    def log(self, level, target, message):
        with self.lock:
            self.records.append((level, target, message))


def rcd_content():
    """The content the fixtures' rich call data names (the CLI's --rcd-content)."""
    return [
        RcdContent(url="https://rcd.example.org/" + f, content=(DATA / "rcd" / f).read_bytes())
        for f in ("bank-logo.png", "tampered-logo.png")
    ]


def config(**overrides):
    values = dict(
        trust_anchors_pem=[(DATA / "pki" / "sti-ca-root.pem").read_text()],
        rcd_trust_anchors_pem=[(DATA / "pki" / "rcd-root.pem").read_text()],
        crls_der=[(DATA / "crl" / f).read_bytes() for f in ("sti-ca-intermediate.crl", "sti-pa.crl")],
        crl_signers_pem=[(DATA / "pki" / "sti-pa-crl-signer.pem").read_text()],
        rcd_content=rcd_content(),
        own_numbers=[OWN_NUMBER],
        trust_verstat=True,
        likely_spam_action=Action.ALLOW,
    )
    values.update(overrides)
    return ScreenerConfig(**values)


def invite(name):
    return (INVITES / name).read_text()


def codes(verdict):
    return [r.code for r in verdict.reasons]


@pytest.fixture
def screener():
    s = CallScreener.open_at_time(config(), DirSource(), NOW)
    yield s
    s.shutdown()


def test_good_attest_a_is_verified(screener):
    v = screener.screen_sip(invite("01-good-attest-a.sip"))
    assert v.indication == Indication.VERIFIED
    assert v.action == Action.ALLOW
    assert v.presentation == Presentation.ALLOWED
    assert v.verification.status == VerificationStatus.PASSED
    assert v.verification.attestation == Attestation.A
    assert v.verification.source == VerificationSource.PASSPORT
    assert v.verification.signer is not None
    assert v.verification.signer.spc == "1234"
    assert v.verification.signer.delegate is False
    assert v.verification.failure is None
    assert v.verification.cert_needed == []
    assert v.display.number == "+12155551212"
    assert v.display.label_key == "indication.verified"


def test_signature_invalid_is_likely_spam(screener):
    v = screener.screen_sip(invite("04-signature-invalid.sip"))
    assert v.indication == Indication.LIKELY_SPAM
    assert v.verification.status == VerificationStatus.FAILED
    assert v.verification.failure.code == 438
    assert v.verification.failure.reason == "signature_invalid"
    assert "signature_invalid" in codes(v)


def test_likely_spam_action_follows_the_config():
    s = CallScreener.open_at_time(config(likely_spam_action=Action.VOICEMAIL), DirSource(), NOW)
    assert s.screen_sip(invite("04-signature-invalid.sip")).action == Action.VOICEMAIL
    assert s.screen_sip(invite("01-good-attest-a.sip")).action == Action.ALLOW


@pytest.mark.parametrize("source", [RaisingSource(), ErrorSource()], ids=["exception", "error"])
def test_failing_source_gives_cert_unavailable(source):
    s = CallScreener.open_at_time(config(), source, NOW)
    v = s.screen_sip(invite("01-good-attest-a.sip"))
    assert v.verification.status == VerificationStatus.FAILED
    assert "cert_unavailable" in codes(v)
    assert (v.verification.failure.code, v.verification.failure.reason) == (436, "cert_unavailable")
    assert v.indication == Indication.UNVERIFIED
    # The app's exception text stays out of the verdict.
    assert all("disk gone" not in r.detail for r in v.reasons)


def test_cert_needed_then_add_certificate():
    s = CallScreener.open_at_time(config(), None, NOW)
    v = s.screen_sip(invite("19-cert-unavailable.sip"))
    assert v.verification.cert_needed == [MISSING_URL]
    assert "cert_unavailable" in codes(v)
    # The app fetched the URL; the fixture is signed with sp-leaf's key.
    s.add_certificate(MISSING_URL, (CERTS / "sp-leaf.pem").read_bytes())
    v = s.screen_sip(invite("19-cert-unavailable.sip"))
    assert v.indication == Indication.VERIFIED
    assert v.verification.cert_needed == []


def test_added_certificate_survives_reopen(tmp_path):
    db = str(tmp_path / "callscreen.db")
    s = CallScreener.open_at_time(config(db_path=db), None, NOW)
    s.add_certificate(MISSING_URL, (CERTS / "sp-leaf.pem").read_bytes())
    s.shutdown()
    s = CallScreener.open_at_time(config(db_path=db), None, NOW)
    assert s.screen_sip(invite("19-cert-unavailable.sip")).indication == Indication.VERIFIED
    s.shutdown()


def test_add_certificate_rejects_garbage(screener):
    with pytest.raises(CallScreenError.InvalidInput):
        screener.add_certificate(MISSING_URL, b"not a certificate")


def test_platform_call(screener):
    v = screener.screen_platform(
        PlatformCall(number="+12155551212", presentation=PlatformPresentation.ALLOWED, verification_status=1)
    )
    assert v.indication == Indication.VERIFIED
    assert v.verification.status == VerificationStatus.PASSED
    assert v.verification.source == VerificationSource.PLATFORM
    assert v.verification.attestation is None
    v = screener.screen_platform(
        PlatformCall(number="+12155551212", presentation=PlatformPresentation.ALLOWED, verification_status=2)
    )
    assert v.verification.status == VerificationStatus.FAILED
    v = screener.screen_platform(
        PlatformCall(number=None, presentation=platform_presentation_from_android(2), verification_status=0)
    )
    assert v.indication == Indication.WITHHELD
    assert platform_presentation_from_android(4) == PlatformPresentation.PAYPHONE


def test_not_sip_is_an_error(screener):
    with pytest.raises(CallScreenError.NotSipRequest) as e:
        screener.screen_sip("not sip")
    assert isinstance(e.value, CallScreenError)
    assert e.value.reason


def test_too_large_is_an_error(screener):
    with pytest.raises(CallScreenError.TooLarge):
        screener.screen_sip("INVITE sip:a@b SIP/2.0\r\nX: " + "a" * 70000 + "\r\n\r\n")


def test_bad_config_is_an_error():
    with pytest.raises(CallScreenError.Configuration):
        CallScreener.open_at_time(config(own_numbers=["not a number"]), None, NOW)
    with pytest.raises(CallScreenError.Configuration):
        CallScreener.open(config(trust_anchors_pem=["not a pem"]), None)


def test_shutdown_then_screen_is_closed():
    s = CallScreener.open(config(), DirSource())
    s.shutdown()
    with pytest.raises(CallScreenError.Closed):
        s.screen_sip(invite("01-good-attest-a.sip"))
    with pytest.raises(CallScreenError.Closed):
        s.screen_sip_json(invite("01-good-attest-a.sip"))
    with pytest.raises(CallScreenError.Closed):
        s.set_trust_anchors([])
    s.shutdown()  # twice is harmless


def test_set_trust_anchors(screener):
    rogue = (DATA / "pki" / "rogue-root.pem").read_text()
    screener.set_trust_anchors([rogue])
    v = screener.screen_sip(invite("02-good-attest-b.sip"))
    assert "cert_untrusted" in codes(v)
    with pytest.raises(CallScreenError.Configuration):
        screener.set_trust_anchors(["nothing here"])


def test_set_rcd_trust_anchors():
    """The rcd signer anchors decide whether a branded name is vetted; they can
    be replaced at runtime, and an unreadable replacement keeps the old ones."""
    s = CallScreener.open_at_time(config(rcd_trust_anchors_pem=[]), DirSource(), NOW)
    vetted = "60-rcd-vetted-anchor.sip"
    v = s.screen_sip(invite(vetted))
    assert (v.indication, v.display.name) == (Indication.VERIFIED, None)
    assert "rcd_unvetted" in codes(v) and "rcd_verified" not in codes(v)

    rcd_root = (DATA / "pki" / "rcd-root.pem").read_text()
    s.set_rcd_trust_anchors([rcd_root])
    v = s.screen_sip(invite(vetted))
    assert v.indication == Indication.VERIFIED_BUSINESS
    assert v.display.name == "Callscreen Test Bank"
    assert v.display.call_reason == "Fraud alert about your card"
    assert "rcd_verified" in codes(v) and "rcd_unvetted" not in codes(v)

    with pytest.raises(CallScreenError.Configuration):
        s.set_rcd_trust_anchors(["nothing here"])
    assert s.screen_sip(invite(vetted)).indication == Indication.VERIFIED_BUSINESS  # old anchors stay

    # An anchor that did not issue the rcd signer vets nothing; neither does none.
    s.set_rcd_trust_anchors([(DATA / "pki" / "rogue-root.pem").read_text()])
    v = s.screen_sip(invite(vetted))
    assert (v.indication, v.display.name) == (Indication.VERIFIED, None)
    assert "rcd_unvetted" in codes(v)
    s.set_rcd_trust_anchors([rcd_root])
    assert s.screen_sip(invite(vetted)).indication == Indication.VERIFIED_BUSINESS
    s.set_rcd_trust_anchors([])
    assert s.screen_sip(invite(vetted)).indication == Indication.VERIFIED
    # The STI trust anchors are separate: the shaken PASSporT still verifies.
    assert s.screen_sip(invite(vetted)).verification.status == VerificationStatus.PASSED
    s.shutdown()
    with pytest.raises(CallScreenError.Closed):
        s.set_rcd_trust_anchors([rcd_root])


def test_concurrent_screening_on_one_screener(screener):
    cases = {
        "01-good-attest-a.sip": Indication.VERIFIED,
        "02-good-attest-b.sip": Indication.UNVERIFIED,
        "04-signature-invalid.sip": Indication.LIKELY_SPAM,
        "26-withheld.sip": Indication.WITHHELD,
    }
    texts = {name: invite(name) for name in cases}
    errors = []

    def work():
        try:
            for _ in range(10):
                for name, want in cases.items():
                    got = screener.screen_sip(texts[name]).indication
                    if got != want:
                        errors.append((name, got))
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_screen_sip_json_has_the_contract_keys(screener):
    doc = json.loads(screener.screen_sip_json(invite("01-good-attest-a.sip")))
    assert set(doc) >= {"indication", "action", "presentation", "display", "verification", "score", "reasons"}
    assert set(doc["display"]) >= {"number", "name", "label", "label_key"}
    assert set(doc["verification"]) >= {
        "status", "attestation", "source", "verstat", "signer", "failure", "cert_needed",
    }
    assert doc["indication"] == "verified"
    assert doc["verification"]["attestation"] == "A"
    assert doc["verification"]["signer"]["spc"] == "1234"
    assert doc["verification"]["failure"] is None
    doc = json.loads(screener.screen_sip_json(invite("04-signature-invalid.sip")))
    assert doc["verification"]["failure"] == {"code": 438, "reason": "signature_invalid"}
    assert all(set(r) >= {"code", "detail", "weight"} for r in doc["reasons"])


def test_verified_business_revocation_and_rcd_content(screener):
    """The seed story (a delegate certificate with a vetted name), a revoked leaf,
    and trust replaced at runtime, through the bindings."""
    v = screener.screen_sip(invite("61-rcd-vetted-constraints.sip"))
    assert v.indication == Indication.VERIFIED_BUSINESS
    assert v.display.name == "Acme Pharmacy"
    assert v.display.call_reason == "Your prescription is ready"
    assert v.display.logo_url is None
    assert v.verification.signer.delegate is True
    assert "rcd_verified" in codes(v)
    v = screener.screen_sip(invite("63-rcdi-match.sip"))
    assert v.display.logo_url == "https://rcd.example.org/bank-logo.png"
    screener.set_rcd_content([])
    assert screener.screen_sip(invite("63-rcdi-match.sip")).display.logo_url is None

    v = screener.screen_sip(invite("58-cert-revoked.sip"))
    assert (v.verification.failure.code, v.verification.failure.reason) == (437, "cert_revoked")
    indirect = "72-cert-revoked-indirect.sip"
    assert screener.screen_sip(invite(indirect)).verification.failure.reason == "cert_revoked"
    screener.set_crl_signers([])
    assert screener.screen_sip(invite(indirect)).verification.status == VerificationStatus.PASSED
    with pytest.raises(CallScreenError.Configuration):
        screener.set_crl_signers(["no certificate"])
    screener.set_crl_signers([(DATA / "pki" / "sti-pa-crl-signer.pem").read_text()])
    assert screener.screen_sip(invite(indirect)).verification.failure.reason == "cert_revoked"
    screener.set_crls([])
    assert screener.screen_sip(invite("58-cert-revoked.sip")).verification.status == VerificationStatus.PASSED
    with pytest.raises(CallScreenError.Configuration):
        screener.set_crls([b"not a crl"])


def test_every_fixture_matches_expected_tsv():
    """All of tests/data/invites/expected.tsv, in name order on one fresh screener
    (the conditions of the CLI replay the table was written for)."""
    s = CallScreener.open_at_time(config(), DirSource(), NOW)
    with open(INVITES / "expected.tsv", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert len(rows) >= 48
    mismatches = []
    for row in rows:
        v = s.screen_sip(invite(row["file"]))
        got = (
            v.verification.status.name.lower(),
            v.verification.attestation.name if v.verification.attestation else "-",
            v.indication.name.lower(),
        )
        want = (row["status"], row["attestation"], row["indication"])
        if got != want or (row["reason"] != "-" and row["reason"] not in codes(v)):
            mismatches.append((row["file"], want, row["reason"], got, codes(v)))
    assert mismatches == []


def test_log_sink_receives_redacted_records():
    sink = Collect()
    set_log_sink(sink)
    s = CallScreener.open_at_time(config(), RaisingSource(), NOW)
    s.screen_sip(invite("01-good-attest-a.sip"))
    with sink.lock:
        records = list(sink.records)
    warnings = [m for (level, _, m) in records if level == LogLevel.WARN and "certificate source" in m]
    assert warnings, records
    # Neither the Python traceback nor a telephone number leaves Rust.
    assert all("disk gone" not in m and "Traceback" not in m for (_, _, m) in records)
    assert all("2155551212" not in m for (_, _, m) in records)
