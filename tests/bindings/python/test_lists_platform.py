"""Lists, policy, emergency suspension and the platform adapters (Android
CallResponse, iOS Call Directory export) through the generated Python bindings.

Run by scripts/bindings-test.sh with the rest of tests/bindings/python.
"""

import threading

import pytest

from callscreen_ffi import (
    Action,
    CallDirectoryChange,
    CallDirectoryEntryKind,
    CallDirectoryOptions,
    CallScreenError,
    CallScreener,
    Effect,
    ImportProgressListener,
    NewRule,
    OperatorListUse,
    PlatformCall,
    PlatformPresentation,
    ResponseOptions,
    RuleKind,
    RuleSource,
    ScreenerConfig,
    SkipReason,
    VerificationClass,
    android_call_response,
    default_policy,
)

NOW = 1795348800  # 2026-11-22T12:00:00Z
CALLER = "+12025550123"


def config(**overrides):
    values = dict(own_numbers=["+12155551213"], default_region="US", likely_spam_action=Action.ALLOW)
    values.update(overrides)
    return ScreenerConfig(**values)


def call(number=CALLER, **kw):
    return PlatformCall(number=number, presentation=PlatformPresentation.ALLOWED, verification_status=0, **kw)


def rule(kind, effect=Effect.BLOCK, **kw):
    return NewRule(kind=kind, effect=effect, source=kw.pop("source", RuleSource.USER), **kw)


@pytest.fixture
def screener():
    s = CallScreener.open_at_time(config(), None, NOW)
    yield s
    s.shutdown()


@pytest.fixture
def stored(tmp_path):
    s = CallScreener.open_at_time(config(db_path=str(tmp_path / "callscreen.db")), None, NOW)
    yield s
    s.shutdown()


def test_block_rule_then_exception_changes_the_action(screener):
    assert screener.screen_platform(call()).action == Action.ALLOW
    block_id = screener.add_rule(rule(RuleKind.PREFIX(prefix="+1202555"), label="Telemarketers"))
    v = screener.screen_platform(call())
    assert v.action == Action.REJECT
    assert v.sip_response == 607
    assert "user_block" in [r.code for r in v.reasons]

    exc_id = screener.add_rule(rule(RuleKind.NUMBER(number="(202) 555-0123"), Effect.EXCEPTION, label="Dentist"))
    v = screener.screen_platform(call())
    assert v.action == Action.ALLOW
    assert v.sip_response is None
    assert "user_exception" in [r.code for r in v.reasons]

    rules = {r.id: r for r in screener.rules()}
    assert set(rules) == {block_id, exc_id}
    assert rules[exc_id].rule.kind == RuleKind.NUMBER(number=CALLER)  # normalised to E.164
    assert rules[exc_id].rule.label == "Dentist"
    assert rules[block_id].rule.source == RuleSource.USER
    assert screener.remove_rule(exc_id) is True
    assert screener.remove_rule(exc_id) is False
    assert screener.screen_platform(call()).action == Action.REJECT


def test_rule_kinds_lines_and_expiry(screener):
    for kind in [
        RuleKind.RANGE(start="+13125550100", count=10),
        RuleKind.WITHHELD(),
        RuleKind.VERIFICATION(verification_class=VerificationClass.FAILED),
        RuleKind.CONTACT(),
    ]:
        rid = screener.add_rule(rule(kind))
        assert [r.rule.kind for r in screener.rules() if r.id == rid] == [kind]
        screener.remove_rule(rid)
    rid = screener.add_rule(rule(RuleKind.COUNTRY(country="fr")))
    assert [r.rule.kind for r in screener.rules() if r.id == rid] == [RuleKind.COUNTRY(country="FR")]
    screener.remove_rule(rid)

    screener.add_rule(rule(RuleKind.NUMBER(number=CALLER), line=2))
    assert screener.screen_platform(call(line=2)).action == Action.REJECT
    assert screener.screen_platform(call(line=1)).action == Action.ALLOW
    screener.add_rule(rule(RuleKind.ALL_CALLS(), Effect.EXCEPTION, expires_at=NOW + 600))
    assert screener.next_change_at() == NOW + 600
    assert screener.screen_platform(call(line=2)).action == Action.ALLOW  # blocking paused
    with pytest.raises(CallScreenError.InvalidInput):
        screener.add_rule(rule(RuleKind.NUMBER(number="not a number")))
    with pytest.raises(CallScreenError.InvalidInput):
        screener.add_rule(rule(RuleKind.COUNTRY(country="ZZ")))


class Progress(ImportProgressListener):
    def __init__(self):
        self.calls = []

    def on_progress(self, bytes_read, lines_read):
        self.calls.append((bytes_read, lines_read))


class RaisingProgress(ImportProgressListener):
    def on_progress(self, bytes_read, lines_read):
        raise RuntimeError("progress bar gone")


def test_import_operator_list_with_progress(stored, tmp_path):
    path = tmp_path / "operator.csv"
    lines = ["# operator list", "number,+12025550123,fraud,Known scam", "prefix,+1900555,premium", "bogus line"]
    lines += ["number,+1312555%04d,telemarketing" % i for i in range(70000)]
    path.write_text("\n".join(lines) + "\n")
    progress = Progress()
    report = stored.import_operator_list(str(path), False, progress)
    assert (report.numbers, report.prefixes, report.malformed) == (70001, 1, 1)
    assert report.malformed_lines == [4]
    assert report.lines == len(lines)
    assert len(progress.calls) >= 2  # every 65 536 lines, and at the end
    assert progress.calls[-1] == (path.stat().st_size, len(lines))
    assert [c[1] for c in progress.calls] == sorted(c[1] for c in progress.calls)

    v = stored.screen_platform(call())
    assert v.action == Action.REJECT
    assert "operator_block" in [r.code for r in v.reasons]
    # A user exception beats the operator's list; a mandatory list beats the exception.
    stored.add_rule(rule(RuleKind.NUMBER(number=CALLER), Effect.EXCEPTION))
    assert stored.screen_platform(call()).action == Action.ALLOW
    mandatory = tmp_path / "mandatory.csv"
    mandatory.write_text("number,+12025550123\n")
    stored.import_operator_list(str(mandatory), True, RaisingProgress())
    assert stored.screen_platform(call()).action == Action.REJECT
    infos = {i.name: i for i in stored.operator_lists()}
    assert infos["operator"].numbers == 70001
    assert infos["operator_mandatory"].numbers == 1
    assert infos["operator"].imported_at == NOW

    with pytest.raises(CallScreenError.InvalidInput):
        stored.import_operator_list(str(tmp_path / "missing.csv"), False, None)


def test_import_needs_a_database_file(screener, tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("number,+12025550123\n")
    with pytest.raises(CallScreenError.Configuration):
        screener.import_operator_list(str(path), False, None)


def test_policy_round_trip(stored, tmp_path):
    p = stored.policy()
    assert p == default_policy()
    assert (p.block_action, p.spam_threshold, p.emergency_suspension_secs) == (Action.REJECT, 70, 3600)
    p.withheld_action = Action.SILENCE
    p.service_numbers = ["(202) 555-0123"]
    stored.set_policy(p)
    assert stored.policy() == p
    v = stored.screen_platform(PlatformCall(number=None, presentation=PlatformPresentation.RESTRICTED,
                                            verification_status=0))
    assert v.action == Action.SILENCE
    # A service number is never blocked.
    stored.add_rule(rule(RuleKind.NUMBER(number=CALLER)))
    assert stored.screen_platform(call()).action == Action.ALLOW
    p.spam_threshold = 200
    with pytest.raises(CallScreenError.InvalidInput):
        stored.set_policy(p)


def test_policy_in_the_config():
    p = default_policy()
    p.block_action = Action.VOICEMAIL
    s = CallScreener.open_at_time(config(policy=p), None, NOW)
    s.add_rule(rule(RuleKind.NUMBER(number=CALLER)))
    assert s.screen_platform(call()).action == Action.VOICEMAIL


def test_emergency_call_suspends_blocking(screener):
    screener.add_rule(rule(RuleKind.NUMBER(number=CALLER)))
    assert screener.screen_platform(call()).action == Action.REJECT
    screener.emergency_call_placed(NOW - 60)
    v = screener.screen_platform(call())
    assert v.action == Action.ALLOW
    assert "emergency_callback" in [r.code for r in v.reasons]
    screener.emergency_call_placed(NOW - 7200)  # the window (1 h) is over
    assert screener.screen_platform(call()).action == Action.REJECT


def test_android_call_response_for_every_action(screener):
    opts = ResponseOptions()
    assert (opts.skip_call_log, opts.skip_notification) == (False, True)
    expected = {
        Action.ALLOW: (False, False, False),
        Action.SILENCE: (False, False, True),
        Action.VOICEMAIL: (True, False, False),
        Action.REJECT: (True, True, False),
    }
    for action, (disallow, reject, silence) in expected.items():
        r = android_call_response(action, opts)
        assert (r.disallow_call, r.reject_call, r.silence_call) == (disallow, reject, silence)
        # Never a combination Android refuses.
        if not r.disallow_call:
            assert not (r.reject_call or r.skip_call_log or r.skip_notification)
        else:
            assert not r.silence_call and r.skip_notification
    screener.add_rule(rule(RuleKind.NUMBER(number=CALLER)))
    got = screener.screen_android(call(number="tel:%2B12025550123"), opts)
    assert got.verdict.action == Action.REJECT
    assert (got.response.disallow_call, got.response.reject_call) == (True, True)
    p = screener.policy()
    p.block_action = Action.VOICEMAIL
    screener.set_policy(p)
    got = screener.screen_android(call(), ResponseOptions(skip_call_log=True, skip_notification=False))
    assert (got.response.disallow_call, got.response.reject_call) == (True, False)
    assert (got.response.skip_call_log, got.response.skip_notification) == (True, False)
    contact = screener.screen_android(call(is_contact=True), opts)
    assert contact.verdict.action == Action.ALLOW
    assert contact.response == android_call_response(Action.ALLOW, opts)


def drain(export, chunk):
    entries = []
    while True:
        got = export.next_chunk(chunk)
        assert len(got) <= chunk
        if not got:
            return entries
        entries.extend(got)


def numbers(entries, kind, change=CallDirectoryChange.ADD):
    return [e.number for e in entries if e.kind == kind and e.change == change]


def test_call_directory_export_streams_in_chunks_with_a_truncation_report(stored):
    big = stored.add_rule(rule(RuleKind.PREFIX(prefix="+1202555")))  # 10 000 numbers
    stored.add_rule(rule(RuleKind.RANGE(start="+13125550100", count=50)))
    stored.add_rule(rule(RuleKind.NUMBER(number="+447700900123")))
    stored.add_rule(rule(RuleKind.NUMBER(number="+12025550150"), Effect.EXCEPTION, label="Verified Dentist ✓"))
    line = stored.add_rule(rule(RuleKind.NUMBER(number="+13125559999"), line=1))
    country = stored.add_rule(rule(RuleKind.COUNTRY(country="FR")))

    opts = CallDirectoryOptions(entry_budget=2000, operator_lists=OperatorListUse.BLOCK)
    export = stored.call_directory_export(opts, None)
    assert export.is_incremental() is False
    entries = drain(export, 500)
    blocking = numbers(entries, CallDirectoryEntryKind.BLOCKING)
    assert blocking == sorted(set(blocking)), "strictly ascending, deduplicated"
    assert 447700900123 in blocking and 13125550100 in blocking
    assert 12025550150 not in blocking  # the exception rings
    idents = [(e.number, e.label) for e in entries if e.kind == CallDirectoryEntryKind.IDENTIFICATION]
    assert idents == [(12025550150, "Dentist")]
    assert all("verif" not in (e.label or "").lower() for e in entries)
    assert len(blocking) + len(idents) <= 2000
    # Blocking entries first, then identification.
    kinds = [e.kind for e in entries]
    assert kinds == sorted(kinds, key=lambda k: k != CallDirectoryEntryKind.BLOCKING)

    r = export.report()
    assert r.finished and r.entry_budget == 2000
    assert r.truncated_entries > 0
    assert [(t.rule_id, t.wanted) for t in r.truncated] == [(big, 10000)]
    assert r.truncated[0].exported == r.truncated[0].wanted - r.truncated_entries
    assert r.truncated[0].source == RuleSource.USER
    assert {(s.rule_id, s.reason) for s in r.skipped} == {
        (line, SkipReason.LINE_SCOPED), (country, SkipReason.UNSUPPORTED)}
    assert r.labels_rewritten == 1
    assert r.blocking_entries == len(blocking)

    version = export.commit()
    assert version == 1 and stored.call_directory_version() == 1
    with pytest.raises(CallScreenError.InvalidInput):
        export.commit()

    # A delta since that version: removals then additions.
    stored.remove_rule(big)
    stored.add_rule(rule(RuleKind.NUMBER(number="+14155550100")))
    delta = stored.call_directory_export(opts, version)
    assert delta.is_incremental() is True and delta.base_version() == 1
    changes = drain(delta, 333)
    removed = numbers(changes, CallDirectoryEntryKind.BLOCKING, CallDirectoryChange.REMOVE)
    added = numbers(changes, CallDirectoryEntryKind.BLOCKING, CallDirectoryChange.ADD)
    assert removed == sorted(removed) and all(12025550000 <= n <= 12025559999 for n in removed)
    assert added == [14155550100]
    assert changes.index(next(e for e in changes if e.change == CallDirectoryChange.ADD)) == len(removed)
    # The directory after the delta is what a full export holds now.
    model = (set(blocking) - set(removed)) | set(added)
    full = drain(stored.call_directory_export(opts, None), 10000)
    assert model == set(numbers(full, CallDirectoryEntryKind.BLOCKING))
    assert delta.commit() == 2

    # Not a version the screener has: a full load.
    assert stored.call_directory_export(opts, 1).is_incremental() is False


def test_call_directory_emergency_suspension(screener):
    screener.add_rule(rule(RuleKind.NUMBER(number=CALLER), label="Scam"))
    opts = CallDirectoryOptions(operator_lists=OperatorListUse.BLOCK)
    assert numbers(drain(screener.call_directory_export(opts, None), 10), CallDirectoryEntryKind.BLOCKING) == [
        12025550123]
    screener.emergency_call_placed(NOW - 60)
    export = screener.call_directory_export(opts, None)
    entries = drain(export, 10)
    assert numbers(entries, CallDirectoryEntryKind.BLOCKING) == []
    assert [(e.number, e.label) for e in entries] == [(12025550123, "Scam")]
    r = export.report()
    assert r.blocking_suspended_until == NOW - 60 + 3600
    assert r.valid_until == NOW - 60 + 3600


def test_new_methods_after_shutdown_are_closed():
    s = CallScreener.open_at_time(config(), None, NOW)
    export = s.call_directory_export(CallDirectoryOptions(operator_lists=OperatorListUse.SKIP), None)
    s.shutdown()
    for f in [
        lambda: s.add_rule(rule(RuleKind.NUMBER(number=CALLER))),
        lambda: s.remove_rule(1),
        lambda: s.rules(),
        lambda: s.policy(),
        lambda: s.set_policy(default_policy()),
        lambda: s.emergency_call_placed(NOW),
        lambda: s.next_change_at(),
        lambda: s.operator_lists(),
        lambda: s.import_operator_list("/dev/null", False, None),
        lambda: s.screen_android(call(), ResponseOptions()),
        lambda: s.call_directory_export(CallDirectoryOptions(operator_lists=OperatorListUse.SKIP), None),
        lambda: s.call_directory_version(),
    ]:
        with pytest.raises(CallScreenError.Closed):
            f()
    assert drain(export, 10) == []
    with pytest.raises(CallScreenError.Closed):
        export.commit()


def test_rules_edited_while_4_threads_screen(screener):
    errors = []

    def work(i):
        try:
            for j in range(25):
                n = "+1202555%02d%02d" % (i, j)
                rid = screener.add_rule(rule(RuleKind.NUMBER(number=n)))
                if screener.screen_platform(call(number=n)).action != Action.REJECT:
                    errors.append(n)
                screener.remove_rule(rid)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert screener.rules() == []
