// The screens' view models against the real library: call log, spoofed-call
// history, lists and policy, outbox.

package org.callscreen.demo.test

import java.time.ZoneOffset
import org.callscreen.Action
import org.callscreen.Indication
import org.callscreen.NotSpoofedScope
import org.callscreen.OutboxState
import org.callscreen.ReportKind
import org.callscreen.ReportRequest
import org.callscreen.ReportWhen
import org.callscreen.UtRequest
import org.callscreen.UtResponse
import org.callscreen.UtTransport
import org.callscreen.demo.ManualClock
import org.callscreen.demo.Tone
import org.callscreen.demo.cert.CachedCertificateSource
import org.callscreen.demo.cert.CertificateDiskCache
import org.callscreen.demo.ui.CallLogViewModel
import org.callscreen.demo.ui.ListsViewModel
import org.callscreen.demo.ui.OutboxViewModel
import org.callscreen.demo.ui.SpoofedHistoryViewModel

private val UTC = ZoneOffset.UTC
private const val DAUGHTER = "+33612345678"
private const val STRANGER = "+12025550111"

class Answers(private val status: Int) : UtTransport {
    override fun send(request: UtRequest) = UtResponse(status.toUShort(), emptyList(), "refused".toByteArray())
}

fun viewModelTests(fx: Fixtures) = Suite("ui").apply {
    test("call log: every call with its indication, action and reasons; filter by indication") {
        val cache = CertificateDiskCache(fx.tempDir("vm"), ManualClock(NOW)).also { it.put(SP_LEAF_URL, fx.cert("sp-leaf.pem"), 3600) }
        fx.screener(CachedCertificateSource(cache)).use { s ->
            val vm = CallLogViewModel(s, UTC)
            vm.recordAllCalls()
            s.screenSip(fx.invite("01-good-attest-a.sip"))
            s.screenSip(fx.invite("04-signature-invalid.sip"))
            s.screenPlatform(platformCall(STRANGER, 0))
            vm.refresh()
            val items = vm.state.value.items
            expectEqual(3, items.size, "items")
            expect(items.all { it.time == "2026-11-22 12:00" }) { items.toString() }
            val verified = items.single { it.row.subtitle == "Verified caller" }
            expect(verified.row.tone == Tone.TRUSTED && verified.verification.startsWith("Verified (attestation A, PASSporT")) { verified.toString() }
            val spam = items.single { it.row.tone == Tone.WARNING }
            expectEqual("Blocked", spam.row.actionText, "spam action")
            expect(spam.verification.startsWith("Verification failed 438")) { spam.verification }
            expect(spam.reasons.isNotEmpty() && spam.reasons.all { it.isNotBlank() }) { spam.reasons.toString() }
            vm.show(setOf(Indication.LIKELY_SPAM))
            expectEqual(listOf(spam.historyId), vm.state.value.items.map { it.historyId }, "filtered")
            var seen = 0
            val stop = vm.state.observe { seen++ }
            vm.show(emptySet())
            stop()
            vm.refresh()
            expect(seen == 3) { "observer calls $seen" } // initial, show's filter, show's refresh
            expectEqual(3, vm.state.value.items.size, "unfiltered")
        }
    }

    test("spoofed-call history: notice, review, not spoofed (country), report, delete") {
        fx.screener().use { s ->
            s.screenPlatform(platformCall(DAUGHTER, 2))
            s.screenPlatform(platformCall(STRANGER, 2))
            s.screenPlatform(platformCall(null, 0, org.callscreen.PlatformPresentation.RESTRICTED))
            val vm = SpoofedHistoryViewModel(s, UTC)
            vm.refresh()
            val st = vm.state.value
            expect(st.entries.size >= 2 && st.notice >= 2) { st.toString() }
            vm.opened()
            expectEqual(0L, vm.state.value.notice, "notice after opening")

            val daughter = vm.state.value.entries.single { it.row.title == DAUGHTER }
            expect(daughter.hasNumber && !daughter.reviewed && daughter.row.tone == Tone.WARNING) { daughter.toString() }
            vm.notSpoofed(daughter.historyId, NotSpoofedScope.COUNTRY)
            val offered = vm.state.value
            expect(offered.offer?.kind == ReportKind.NOT_SPOOFED && offered.error == null) { offered.toString() }
            expect(offered.entries.single { it.historyId == daughter.historyId }.reviewed) { "not reviewed" }
            expectEqual(Action.ALLOW, s.screenPlatform(platformCall("+33698765432", 2)).action, "another French number")
            vm.sendOffer()
            expect(vm.state.value.offer == null && s.outbox().size == 1) { s.outbox().toString() }

            val stranger = vm.state.value.entries.single { it.row.title == STRANGER }
            vm.report(stranger.historyId, block = true)
            expect(vm.state.value.message?.startsWith("Report queued") == true) { vm.state.value.toString() }
            expectEqual(2, s.outbox().size, "outbox")
            expectEqual(Action.REJECT, s.screenPlatform(platformCall(STRANGER, 0)).action, "blocked after report")

            vm.refresh() // the blocked call was recorded too
            val before = vm.state.value.entries.size
            vm.delete(listOf(stranger.historyId))
            expectEqual(before - 1, vm.state.value.entries.size, "after delete")
            expect(vm.state.value.entries.none { it.historyId == stranger.historyId }) { "still listed" }
            vm.review(vm.state.value.entries.map { it.historyId })
            expect(vm.state.value.entries.all { it.reviewed }) { vm.state.value.toString() }

            // Errors are state, not exceptions.
            vm.notSpoofed(999_999, NotSpoofedScope.NUMBER)
            expect(vm.state.value.error?.startsWith("Not accepted") == true) { vm.state.value.toString() }
        }
    }

    test("not spoofed (number) lets only that number through") {
        fx.screener().use { s ->
            s.screenPlatform(platformCall(DAUGHTER, 2))
            val vm = SpoofedHistoryViewModel(s, UTC).also { it.refresh() }
            vm.notSpoofed(vm.state.value.entries.single().historyId, NotSpoofedScope.NUMBER)
            expectEqual(Action.ALLOW, s.screenPlatform(platformCall(DAUGHTER, 2)).action, "her number")
            expectEqual(Action.REJECT, s.screenPlatform(platformCall("+33698765432", 2)).action, "another French number")
        }
    }

    test("lists and policy: block, exceptions, pause until, present only trusted CLIs") {
        fx.screener().use { s ->
            val clock = ManualClock(NOW)
            val vm = ListsViewModel(s, clock, UTC)
            vm.block(STRANGER, "car warranty")
            vm.allowCountry("FR")
            var st = vm.state.value
            val block = st.blocks.single()
            expect(block.what == STRANGER && block.label == "car warranty" && block.source == "You" && !block.unlessVerified) { st.toString() }
            expectEqual(listOf("Country FR"), st.exceptions.map { it.what }, "exceptions")
            expectEqual(null, st.pausedUntil, "not paused")
            expectEqual(Action.REJECT, s.screenPlatform(platformCall(STRANGER, 0)).action, "blocked")

            vm.pauseUntil(NOW + 3600)
            st = vm.state.value
            expectEqual("2026-11-22 13:00", st.pausedUntil, "paused until")
            expect(st.exceptions.none { it.what == "Every call" }) { "the pause is listed as an exception" }
            expectEqual(Action.ALLOW, s.screenPlatform(platformCall(STRANGER, 0)).action, "during the pause")
            vm.pauseUntil(NOW + 7200)
            expectEqual("2026-11-22 14:00", vm.state.value.pausedUntil, "pause replaced")
            expectEqual(1, s.rules().count { it.rule.kind == org.callscreen.RuleKind.AllCalls }, "one pause rule")
            clock.advance(7200)
            vm.refresh()
            expectEqual(null, vm.state.value.pausedUntil, "pause over on the app's clock")
            clock.advance(-7200)
            vm.resume()
            expectEqual(null, vm.state.value.pausedUntil, "resumed")
            expectEqual(Action.REJECT, s.screenPlatform(platformCall(STRANGER, 0)).action, "blocked again")

            vm.pauseUntil(NOW - 1)
            expect(vm.state.value.error != null) { "a pause in the past accepted" }

            vm.remove(block.id)
            expect(vm.state.value.blocks.isEmpty()) { vm.state.value.toString() }
            expectEqual(Action.ALLOW, s.screenPlatform(platformCall(STRANGER, 0)).action, "unblocked")

            vm.setPresentOnlyTrustedCli(true)
            expect(vm.state.value.policy?.presentOnlyTrustedCli == true) { vm.state.value.toString() }
            expectEqual(Indication.NUMBER_NOT_AVAILABLE, s.screenPlatform(platformCall("+12025550123", 0)).indication, "untrusted CLI")
            vm.setWithheldAction(Action.REJECT)
            expectEqual(Action.REJECT, s.screenPlatform(platformCall(null, 0, org.callscreen.PlatformPresentation.RESTRICTED)).action, "withheld")

            vm.block("not a number", null)
            expect(vm.state.value.error?.startsWith("Not accepted") == true) { vm.state.value.toString() }
        }
    }

    test("a block from a spoofed report shows as unless verified") {
        fx.screener().use { s ->
            s.blockNumber(STRANGER, ReportKind.SPOOFED, org.callscreen.BlockMode.DEFAULT, false)
            val vm = ListsViewModel(s, ManualClock(NOW), UTC).also { it.refresh() }
            expect(vm.state.value.blocks.single().unlessVerified) { vm.state.value.toString() }
        }
    }

    test("outbox: waiting, failed for good with the reason, retried") {
        fx.screener().use { s ->
            val id = s.report(ReportRequest(ReportKind.SPOOFED, number = STRANGER, `when` = ReportWhen.AFTER))
            val vm = OutboxViewModel(s, UTC).also { it.refresh() }
            var row = vm.state.value.rows.single()
            expect(row.id == id && row.stateText == "Waiting to send" && row.what.startsWith("Report")) { row.toString() }
            expectEqual(1, vm.state.value.waiting, "waiting")
            s.deliverOutbox(Answers(400))
            vm.refresh()
            row = vm.state.value.rows.single()
            expect(row.state == OutboxState.FAILED && row.canRetry && row.stateText.startsWith("Not delivered: ")) { row.toString() }
            expect("400" in row.stateText) { row.stateText }
            expectEqual(1, vm.state.value.failed, "failed")
            expect(vm.retry(id)) { "retry refused" }
            row = vm.state.value.rows.single()
            expect(row.state == OutboxState.PENDING && !row.canRetry) { row.toString() }
            expect(!vm.retry("no-such-id")) { "retried an unknown id" }
            s.deliverOutbox(Answers(201))
            vm.refresh()
            expect(vm.state.value.rows.single().stateText == "Delivered 2026-11-22 12:00") { vm.state.value.toString() }
        }
    }
}
