"""History, corrections, reports and the outbox through the generated Python
bindings: the real library, a foreign UtTransport implemented here.

Run by scripts/bindings-test.sh (see test_callscreen.py for the setup). The
screener's clock is fixed; a later delivery pass reopens the same database
file at a later time, as an app's next background run would.
"""

from pathlib import Path

import pytest

from callscreen_ffi import (
    Action,
    BlockMode,
    CallScreenError,
    CallScreener,
    CertificateSource,
    HistoryFilter,
    HistoryMode,
    Indication,
    NotSpoofedScope,
    OutboxOp,
    OutboxState,
    ReportKind,
    ReportRequest,
    ReportWhen,
    ScreenerConfig,
    UtHeader,
    UtMethod,
    UtResponse,
    UtTransport,
    UtTransportError,
    VerificationStatus,
)

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
NOW = 1795348800  # 2026-11-22T12:00:00Z, the fixtures' clock
CALLER = "+12155551212"  # the caller of the fixtures
HOUR = 3600
DAY = 24 * HOUR


class DirSource(CertificateSource):
    def lookup(self, x5u):
        path = DATA / "certs" / x5u.rsplit("/", 1)[-1]
        return path.read_bytes() if path.is_file() else None


class ScriptedTransport(UtTransport):
    """Answers each request with the next scripted step: a status, or an
    exception to raise. Records every request."""

    def __init__(self, *steps):
        self.steps = list(steps)
        self.requests = []

    def send(self, request):
        self.requests.append(request)
        step = self.steps.pop(0)
        if isinstance(step, BaseException):
            raise step
        return UtResponse(status=step, headers=[UtHeader(name="Content-Type", value="text/plain")], body=b"")


def open_at(db, t):
    config = ScreenerConfig(
        db_path=str(db),
        trust_anchors_pem=[(DATA / "pki" / "sti-ca-root.pem").read_text()],
        own_numbers=["+12155551213"],
        trust_verstat=True,
        likely_spam_action=Action.VOICEMAIL,
    )
    return CallScreener.open_at_time(config, DirSource(), t)


def invite(name):
    return (DATA / "invites" / name).read_text()


def header(request, name):
    return [h.value for h in request.headers if h.name.lower() == name.lower()]


@pytest.fixture
def db(tmp_path):
    return tmp_path / "callscreen.db"


def test_flagged_only_filter_when_every_call_is_recorded(db):
    s = open_at(db, NOW)
    s.set_history_mode(HistoryMode.ALL)
    s.screen_sip(invite("01-good-attest-a.sip"))
    s.screen_sip(invite("04-signature-invalid.sip"))
    assert len(s.history(HistoryFilter())) == 2
    flagged = s.history(HistoryFilter(flagged_only=True))
    assert [e.indication for e in flagged] == [Indication.LIKELY_SPAM]
    assert len(s.history(HistoryFilter(flagged_only=True, limit=1))) == 1


def test_flagged_call_is_recorded_reviewed_and_deleted(db):
    s = open_at(db, NOW)
    assert s.history_mode() == HistoryMode.FLAGGED
    assert s.screen_sip(invite("01-good-attest-a.sip")).action == Action.ALLOW  # not flagged
    spam = s.screen_sip(invite("04-signature-invalid.sip"))
    assert (spam.indication, spam.action) == (Indication.LIKELY_SPAM, Action.VOICEMAIL)

    entries = s.history(HistoryFilter())
    assert len(entries) == 1
    e = entries[0]
    assert (e.indication, e.action, e.calling, e.time) == (Indication.LIKELY_SPAM, Action.VOICEMAIL, CALLER, NOW)
    assert e.flagged and not e.reviewed
    assert e.verification.status == VerificationStatus.FAILED
    assert (e.verification.failure.code, e.verification.failure.reason) == (438, "signature_invalid")
    assert "signature_invalid" in [r.code for r in e.reasons]
    assert e.score == spam.score
    assert s.history_entry(e.id) == e
    assert s.history_entry(e.id + 1000) is None
    assert s.recent_calls(CALLER) == 1
    assert s.history_notice_count() == 1

    assert s.history(HistoryFilter(indications=[Indication.VERIFIED])) == []
    assert s.mark_reviewed([e.id, 999]) == 1
    assert s.history(HistoryFilter(unreviewed_only=True)) == []
    assert s.history_entry(e.id).reviewed
    assert s.history_notice_count() == 0

    assert s.delete_history([e.id]) == 1
    assert s.history(HistoryFilter()) == []
    assert s.recent_calls(CALLER) == 0

    s.set_history_mode(HistoryMode.ALL)
    s.screen_sip(invite("01-good-attest-a.sip"))
    assert [x.indication for x in s.history(HistoryFilter())] == [Indication.VERIFIED]
    assert s.clear_history() == 1
    with pytest.raises(CallScreenError.InvalidInput):
        s.set_history_retention_days(0)
    s.shutdown()
    with pytest.raises(CallScreenError.Closed):
        s.history(HistoryFilter())


def test_history_seen_restarts_the_notice_count(db):
    s = open_at(db, NOW)
    s.screen_sip(invite("04-signature-invalid.sip"))
    assert s.history_notice_count() == 1
    s.history_seen()
    assert s.history_notice_count() == 0
    # Seen is not reviewed: the entry is still listed as unreviewed.
    (e,) = s.history(HistoryFilter(unreviewed_only=True))
    assert not e.reviewed
    s.shutdown()

    # Stored: an hour later the seen call still does not count, a new one does.
    s = open_at(db, NOW + HOUR)
    assert s.history_notice_count() == 0
    s.screen_sip(invite("04-signature-invalid.sip"))
    assert len(s.history(HistoryFilter(unreviewed_only=True))) == 2
    assert s.history_notice_count() == 1
    s.history_seen()
    assert s.history_notice_count() == 0
    s.shutdown()
    with pytest.raises(CallScreenError.Closed):
        s.history_seen()


def test_purge_history_deletes_entries_past_retention(db):
    """Two screeners on one database file (as an app and its extension), one
    whose clock is 31 days later: the default retention is 30 days."""
    later = open_at(db, NOW + 31 * DAY)  # its purge at open finds nothing yet
    s = open_at(db, NOW)
    s.screen_sip(invite("04-signature-invalid.sip"))  # recorded at NOW
    later.screen_sip(invite("04-signature-invalid.sip"))  # recorded 31 days later
    assert [e.time for e in later.history(HistoryFilter())] == [NOW + 31 * DAY, NOW]
    # By its own clock neither entry is past retention.
    assert s.purge_history() == 0
    assert len(s.history(HistoryFilter())) == 2
    assert later.purge_history() == 1
    assert [e.time for e in later.history(HistoryFilter())] == [NOW + 31 * DAY]
    assert [e.time for e in s.history(HistoryFilter())] == [NOW + 31 * DAY]
    assert later.purge_history() == 0
    later.shutdown()
    with pytest.raises(CallScreenError.Closed):
        later.purge_history()
    s.shutdown()


def test_not_spoofed_creates_an_exception(db):
    s = open_at(db, NOW)
    assert s.screen_sip(invite("04-signature-invalid.sip")).action == Action.VOICEMAIL
    (e,) = s.history(HistoryFilter())
    c = s.correct_not_spoofed(e.id, NotSpoofedScope.NUMBER)
    assert c.rule_id is not None
    assert c.block == BlockMode.NO_BLOCK
    assert (c.offer.kind, c.offer.history_id, c.offer.number) == (ReportKind.NOT_SPOOFED, e.id, CALLER)
    assert s.history_entry(e.id).reviewed
    # The next call from that number rings; verification still says what it found.
    again = s.screen_sip(invite("04-signature-invalid.sip"))
    assert again.action == Action.ALLOW
    assert again.verification.status == VerificationStatus.FAILED
    assert "feedback_exception" in [r.code for r in again.reasons]
    # Removing the exception restores the old action.
    assert s.remove_rule(c.rule_id)
    assert s.screen_sip(invite("04-signature-invalid.sip")).action == Action.VOICEMAIL
    with pytest.raises(CallScreenError.InvalidInput):
        s.correct_not_spoofed(123456, NotSpoofedScope.NUMBER)


def test_spoofed_with_block_and_unblock(db):
    s = open_at(db, NOW)
    s.set_network_barring(False)
    s.screen_sip(invite("04-signature-invalid.sip"))
    (e,) = s.history(HistoryFilter())
    c = s.correct_unwanted(e.id, ReportKind.SPOOFED, BlockMode.DEFAULT)
    # The call was not verified: its number may be spoofed, so the real owner's
    # verified calls still ring.
    assert c.block == BlockMode.UNLESS_VERIFIED
    assert s.is_unless_verified(c.rule_id)
    assert c.offer.kind == ReportKind.SPOOFED
    assert s.unblock(c.rule_id)
    assert not s.unblock(c.rule_id)
    with pytest.raises(CallScreenError.InvalidInput):
        s.correct_unwanted(e.id, ReportKind.CHALLENGE, BlockMode.NO_BLOCK)
    c = s.block_number(CALLER, ReportKind.UNSOLICITED, BlockMode.ALWAYS, False)
    assert c.block == BlockMode.ALWAYS and c.offer.history_id is None
    assert s.outbox() == []  # network barring is off


def test_report_is_delivered_after_a_5xx_and_an_exception(db):
    s = open_at(db, NOW)
    s.screen_sip(invite("04-signature-invalid.sip"))
    (e,) = s.history(HistoryFilter())
    rid = s.report(
        ReportRequest(
            kind=ReportKind.SPOOFED,
            history_id=e.id,
            when=ReportWhen.BEFORE_ANSWER,
            category="fraud",
            comment="said it was my bank",
        )
    )
    (item,) = s.outbox()
    assert (item.id, item.kind, item.op, item.state, item.attempts) == (
        rid, "spoofed", OutboxOp.REPORT, OutboxState.PENDING, 0,
    )
    assert s.outbox_next_due() == NOW
    body = s.report_body(rid)
    assert b"said it was my bank" in body and b"fraud" in body
    # The user deletes the entry: the queued report keeps what they chose to send.
    s.delete_history([e.id])

    # Pass 1: the server answers 503.
    t = ScriptedTransport(503)
    summary = s.deliver_outbox(t)
    assert (summary.attempted, summary.retrying, summary.delivered, summary.failed) == (1, 1, 0, 0)
    (item,) = s.outbox()
    assert (item.state, item.attempts, item.last_status) == (OutboxState.PENDING, 1, 503)
    assert item.next_attempt_at > NOW
    assert s.outbox_next_due() == item.next_attempt_at
    (req,) = t.requests
    assert req.method == UtMethod.POST
    assert req.path == "callscreen/reports"
    assert header(req, "Idempotency-Key") == [rid]
    assert req.body == body
    # Not due yet: a second pass at the same time sends nothing.
    assert s.deliver_outbox(ScriptedTransport()).attempted == 0
    s.shutdown()

    # Pass 2, an hour later: the transport throws; recorded, never a crash.
    s = open_at(db, NOW + HOUR)
    t = ScriptedTransport(RuntimeError("socket closed"))
    assert s.deliver_outbox(t).retrying == 1
    (item,) = s.outbox()
    assert (item.state, item.attempts, item.last_status) == (OutboxState.PENDING, 2, None)
    assert "socket closed" in item.last_error
    # A declared transport error is retried too.
    s.shutdown()
    s = open_at(db, NOW + 2 * HOUR)
    assert s.deliver_outbox(ScriptedTransport(UtTransportError.Timeout("no answer"))).retrying == 1
    assert "timeout" in s.outbox()[0].last_error
    s.shutdown()

    # Pass 4: 201, delivered with the same Idempotency-Key.
    s = open_at(db, NOW + 3 * HOUR)
    t = ScriptedTransport(201)
    summary = s.deliver_outbox(t)
    assert (summary.attempted, summary.delivered) == (1, 1)
    (item,) = s.outbox()
    assert (item.state, item.attempts, item.last_status, item.last_error) == (
        OutboxState.DELIVERED, 4, 201, None,
    )
    assert item.delivered_at == NOW + 3 * HOUR
    assert header(t.requests[0], "Idempotency-Key") == [rid]
    assert s.deliver_outbox(ScriptedTransport()).attempted == 0
    assert s.outbox_next_due() is None
    s.shutdown()


def test_permanent_refusal_fails_then_retry_report(db):
    s = open_at(db, NOW)
    rid = s.report(ReportRequest(kind=ReportKind.UNSOLICITED, number=CALLER, when=ReportWhen.AFTER))
    assert s.deliver_outbox(ScriptedTransport(400)).failed == 1
    (item,) = s.outbox()
    assert (item.state, item.last_status) == (OutboxState.FAILED, 400)
    assert s.retry_report(rid)
    assert not s.retry_report("no-such-id")
    assert s.deliver_outbox(ScriptedTransport(200)).delivered == 1
    with pytest.raises(CallScreenError.InvalidInput):
        s.report(ReportRequest(kind=ReportKind.SPOOFED, when=ReportWhen.AFTER))
    # A withheld call from the platform's recent calls: the report cites its time.
    wid = s.report(ReportRequest(kind=ReportKind.SPOOFED, call_time=NOW - 600, when=ReportWhen.AFTER))
    body = s.report_body(wid).decode()
    assert "<time>" in body and "<calling>" not in body
    assert s.ut_identity() == "tel:+12155551213"
    s.set_ut_identity("sip:alice@ims.example.net")
    assert s.ut_identity() == "sip:alice@ims.example.net"
    with pytest.raises(CallScreenError.InvalidInput):
        s.set_ut_identity("not a uri")


def test_a_corrupt_database_fails_open_or_starts_fresh(db):
    garbage = bytes((i * 7919) % 251 for i in range(20000))
    db.write_bytes(garbage)
    base = dict(db_path=str(db), likely_spam_action=Action.VOICEMAIL)
    with pytest.raises(CallScreenError.Storage):
        CallScreener.open_at_time(ScreenerConfig(**base), DirSource(), NOW)
    assert db.read_bytes() == garbage
    s = CallScreener.open_at_time(ScreenerConfig(start_fresh_if_corrupt=True, **base), DirSource(), NOW)
    aside = s.recovered_database()
    assert aside == f"{db}.corrupt-{NOW}"
    with open(aside, "rb") as f:
        assert f.read() == garbage
    s.set_history_mode(HistoryMode.ALL)
    assert s.screen_sip(invite("01-good-attest-a.sip")).indication == Indication.UNVERIFIED
    assert len(s.history(HistoryFilter())) == 1
    s.shutdown()
    again = CallScreener.open_at_time(ScreenerConfig(start_fresh_if_corrupt=True, **base), DirSource(), NOW)
    assert again.recovered_database() is None
    assert len(again.history(HistoryFilter())) == 1
