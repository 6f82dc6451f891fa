// (d) A screener that fails to open: the call is allowed, nothing crashes, the
// failure is logged. (e) The response within the budget, and no database work
// on the main looper.

package org.callscreen.demo.android

import android.os.Looper
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test

class ResilienceTest : AppTest() {
    @Test fun screenerThatFailsToOpenAllowsTheCallAndLogs() {
        TestApp.Setup.missingTrustAnchors = true // the real asset lookup: no sti-ca-roots.pem
        val service = screeningService()
        val r = screen(Telecom.details("+12025550170"), service)
        assertFalse("allowed", r.disallowCall || r.rejectCall || r.silenceCall)
        assertTrue(errors().toString(), errors().any { "could not be opened" in it })
        // The service keeps answering (no crash), and tries to open again.
        val r2 = screen(Telecom.details("+12025550171"), service)
        assertFalse(r2.disallowCall)
        assertEquals("an open attempt per call", 2, TestApp.Seen.opens.get())
    }

    @Test fun screenerOpensOnceTheAssetProblemIsGone() {
        TestApp.Setup.missingTrustAnchors = true
        val service = screeningService()
        screen(Telecom.details("+12025550172"), service)
        TestApp.Setup.missingTrustAnchors = false
        block("+12025550172")
        assertTrue("screened again once it opens", screen(Telecom.details("+12025550172"), service).disallowCall)
    }

    @Test fun responseWithinBudgetAndNoDatabaseWorkOnTheMainLooper() {
        assertTrue("the test runs on the main looper", Looper.myLooper() == Looper.getMainLooper())
        val service = screeningService()
        val d = Telecom.details("+12025550173")
        val t0 = System.nanoTime()
        service.onScreenCall(d)
        val returnedMs = (System.nanoTime() - t0) / 1_000_000
        val r = awaitResponse(service, d)
        val answeredMs = (System.nanoTime() - t0) / 1_000_000
        assertFalse(r.disallowCall)
        assertTrue("onScreenCall returned at once ($returnedMs ms)", returnedMs < 1_000)
        assertTrue("answered within the budget ($answeredMs ms)", answeredMs < TestApp.Setup.budgetMillis)
        assertTrue("the screener was used", TestApp.Seen.screenerCalls.get() >= 2) // open + screen
        assertEquals("screener calls on the main looper", 0, TestApp.Seen.screenerCallsOnMain.get())
    }

    @Test fun slowScreenIsAllowedWhenTheBudgetRunsOut() {
        TestApp.Setup.budgetMillis = 300
        TestApp.Setup.screenDelayMillis = 2_000
        block("+12025550174")
        val t0 = System.nanoTime()
        val r = screen(Telecom.details("+12025550174"))
        val ms = (System.nanoTime() - t0) / 1_000_000
        assertFalse("allowed although blocked: the screen ran late", r.disallowCall)
        assertTrue("answered at the budget, not after the screen ($ms ms)", ms < 1_500)
        assertTrue(warnings().toString(), warnings().any { "ran past" in it })
    }
}
