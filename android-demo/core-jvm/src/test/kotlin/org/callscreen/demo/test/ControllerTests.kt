// ScreeningController (the Android services' decision, platform-free): direction,
// the API-30 verification status read only where it exists, emergency calls,
// contacts, open failures and the response flags. The same controller runs under
// Robolectric in android-demo/app's tests (scripts/android-framework-test.sh).

package org.callscreen.demo.test

import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger
import org.callscreen.Action
import org.callscreen.BlockMode
import org.callscreen.ReportKind
import org.callscreen.demo.Clock
import org.callscreen.demo.ScreeningBudget
import org.callscreen.demo.screening.CallDirection
import org.callscreen.demo.screening.Decision
import org.callscreen.demo.screening.ObservedCall
import org.callscreen.demo.screening.ScreenerHandle
import org.callscreen.demo.screening.ScreeningController
import org.callscreen.demo.screening.ScreeningLog

private class RecordingLog : ScreeningLog {
    val errors = mutableListOf<String>()
    val warnings = mutableListOf<String>()
    override fun warn(message: String) {
        synchronized(this) { warnings += message }
    }
    override fun error(message: String, error: Throwable?) {
        synchronized(this) { errors += message }
    }
}

fun controllerTests(fx: Fixtures) = Suite("controller").apply {
    val worker = Executors.newCachedThreadPool { r -> Thread(r).apply { isDaemon = true } }

    fun controller(log: ScreeningLog, open: () -> org.callscreen.CallScreenerInterface) =
        ScreeningController(ScreenerHandle(open, log), ScreeningBudget(worker), Clock { NOW }, log)

    fun incoming(number: String?, sdk: Int, status: () -> Int = { 0 }, contact: Boolean = false) =
        ObservedCall(CallDirection.INCOMING, number, if (number == null) 2 else 1, sdk, isContact = { contact }, verificationStatus = status)

    test("the verification status is read on API 30+ only") {
        fx.screener().use { s ->
            val reads = AtomicInteger()
            val c = controller(RecordingLog()) { s }
            val on29 = c.onCall(incoming("+12025550120", 29, { reads.incrementAndGet(); 2 })) as Decision.Screened
            expectEqual(0, reads.get(), "reads on 29")
            expectEqual(org.callscreen.VerificationStatus.NO_VALIDATION, on29.verdict.verification.status, "29")
            val on30 = c.onCall(incoming("+12025550120", 30, { reads.incrementAndGet(); 2 })) as Decision.Screened
            expectEqual(1, reads.get(), "reads on 30")
            expectEqual(org.callscreen.VerificationStatus.FAILED, on30.verdict.verification.status, "30")
        }
    }

    test("outgoing calls are not screened; an emergency one suspends blocking") {
        fx.screener().use { s ->
            s.blockNumber("+12025550121", ReportKind.UNSOLICITED, BlockMode.ALWAYS, false)
            val c = controller(RecordingLog()) { s }
            val before = s.history(org.callscreen.HistoryFilter()).size
            val out = c.onCall(ObservedCall(CallDirection.OUTGOING, "+12025550121", 1, 35), "k1")
            expect(out is Decision.NotScreened && out.flags == org.callscreen.demo.screening.ResponseFlags.ALLOW) { out.toString() }
            expect(c.verdictFor("k1") == null) { "remembered" }
            expectEqual(before, s.history(org.callscreen.HistoryFilter()).size, "history")
            expect(c.onCall(incoming("+12025550121", 35)).flags.disallowCall) { "blocked" }
            c.onCall(ObservedCall(CallDirection.OUTGOING, "911", 1, 35, isEmergencyNumber = true))
            expect(!c.onCall(incoming("+12025550121", 35)).flags.disallowCall) { "rings after the emergency call" }
        }
    }

    test("a contact rings under a rejecting policy; flags never skip the call log") {
        fx.screener().use { s ->
            s.setPolicy(s.policy().copy(unverifiedAction = Action.REJECT))
            val c = controller(RecordingLog()) { s }
            val stranger = c.onCall(incoming("+12025550122", 35), "k2") as Decision.Screened
            expect(stranger.flags.disallowCall && stranger.flags.rejectCall && stranger.flags.skipNotification) { stranger.toString() }
            expect(c.verdictFor("k2") == stranger.verdict) { "verdict for the in-call screen" }
            expect(!c.onCall(incoming("+12025550123", 35, contact = true)).flags.disallowCall) { "contact rejected" }
        }
    }

    test("an open failure allows the call, is logged, and is retried") {
        val log = RecordingLog()
        val opens = AtomicInteger()
        val c = controller(log) { opens.incrementAndGet(); throw java.io.FileNotFoundException("sti-ca-roots.pem") }
        val d = c.onCall(incoming("+12025550124", 35))
        expect(d is Decision.Allowed && !d.flags.disallowCall) { d.toString() }
        expect(log.errors.single().contains("could not be opened")) { log.errors.toString() }
        c.onCall(incoming("+12025550125", 35))
        expectEqual(2, opens.get(), "open attempts")
    }
}
