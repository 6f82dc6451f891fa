// (b) Outgoing calls are not screened, recorded or notified; an outgoing call
// to an emergency number reaches emergency_call_placed, and the next incoming
// call rings despite block rules. (f, second half) With the dialer role held,
// outgoing calls get the in-call screen with hang-up; the in-call screen shows
// the screening service's verdict for an incoming call without screening again.

package org.callscreen.demo.android

import android.content.Intent
import android.widget.Button
import android.widget.LinearLayout
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.robolectric.Robolectric
import org.robolectric.Shadows.shadowOf

class OutgoingCallTest : AppTest() {
    @Test fun outgoingCallIsNotScreenedRecordedOrNotified() {
        block("+12025550160")
        val before = historySize()
        val service = screeningService()
        val d = Telecom.details("+12025550160", direction = Telecom.OUTGOING)
        val r = screen(d, service)
        assertFalse("an outgoing call to a blocked number goes through", r.disallowCall || r.rejectCall || r.silenceCall)
        assertNull("no verdict", app.controller.verdictFor(CallReading.key(d)))
        assertEquals("no history row", before, historySize())
        // An incoming call after it on the same worker is notified; the outgoing one was not.
        screen(Telecom.details("+12025550159"), service)
        assertTrue(awaitNotification("+12025550159"))
        assertFalse("no notification for the outgoing call", "+12025550160" in notificationTitles())
        assertEquals("one history row: the incoming call", before + 1, historySize())
    }

    @Test fun outgoingEmergencyCallLetsTheCallBackRingDespiteBlockRules() {
        block("+12025550161")
        assertTrue("blocked before", screen(Telecom.details("+12025550161")).disallowCall)
        screen(Telecom.details("911", direction = Telecom.OUTGOING))
        val r = screen(Telecom.details("+12025550161"))
        assertFalse("the call back rings after an emergency call", r.disallowCall)
        assertFalse(r.silenceCall)
    }

    @Test fun outgoingNonEmergencyCallDoesNotSuspendBlocking() {
        block("+12025550162")
        screen(Telecom.details("+12025550199", direction = Telecom.OUTGOING))
        assertTrue("still blocked", screen(Telecom.details("+12025550162")).disallowCall)
    }

    private fun startedInCallScreen(): Intent {
        val intent = shadowOf(app).nextStartedActivity
        assertNotNull("an activity was started", intent)
        assertEquals(InCallActivity::class.java.name, intent.component?.className)
        return intent
    }

    private fun buttons(activity: InCallActivity): List<Button> {
        val root = activity.window.decorView.findViewById<android.view.ViewGroup>(android.R.id.content)!!.getChildAt(0) as LinearLayout
        return (0 until root.childCount).map { root.getChildAt(it) }.filterIsInstance<Button>()
    }

    @Test fun dialerRoleOutgoingCallGetsTheInCallScreenWithHangUp() {
        val service = Robolectric.setupService(DemoInCallService::class.java)
        val requests = Telecom.Requests()
        val call = Telecom.call(Telecom.details("+12025550163", direction = Telecom.OUTGOING), requests)
        service.onCallAdded(call)
        val intent = startedInCallScreen()
        assertEquals(InCallActivity.Mode.OUTGOING.name, intent.getStringExtra(InCallActivity.MODE))
        val activity = Robolectric.buildActivity(InCallActivity::class.java, intent).setup().get()
        val labels = buttons(activity).map { it.text.toString() }
        assertEquals(listOf(InCallActivity.HANG_UP), labels)
        buttons(activity).single().performClick()
        assertEquals("Telecom asked to disconnect", listOf("disconnectCall"), requests.made)
        assertTrue(activity.isFinishing)
        assertEquals("outgoing: no history row", 0, historySize())
    }

    @Test fun inCallScreenShowsTheScreeningVerdictWithoutScreeningAgain() {
        block("+12025550164")
        setPolicy { it.copy(blockAction = org.callscreen.Action.SILENCE) } // rings silently: reaches the in-call screen
        val d = Telecom.details("+12025550164")
        assertTrue(screen(d).silenceCall)
        val rows = historySize()
        val requests = Telecom.Requests()
        Robolectric.setupService(DemoInCallService::class.java).onCallAdded(Telecom.call(d, requests))
        val intent = startedInCallScreen()
        assertEquals(InCallActivity.Mode.INCOMING.name, intent.getStringExtra(InCallActivity.MODE))
        assertEquals("+12025550164", intent.getStringExtra(InCallActivity.TITLE))
        assertEquals("no second screen, no second history row", rows, historySize())
        val activity = Robolectric.buildActivity(InCallActivity::class.java, intent).setup().get()
        assertEquals(listOf(InCallActivity.ANSWER, InCallActivity.DECLINE), buttons(activity).map { it.text.toString() })
        buttons(activity)[1].performClick()
        assertEquals(listOf("rejectCall"), requests.made)
    }

    @Test fun inCallOutgoingEmergencyCallIsRecorded() {
        block("+12025550165")
        val service = Robolectric.setupService(DemoInCallService::class.java)
        service.onCallAdded(Telecom.call(Telecom.details("112", direction = Telecom.OUTGOING), Telecom.Requests()))
        startedInCallScreen()
        // The emergency call is recorded on the app's background thread.
        val done = java.util.concurrent.CountDownLatch(1)
        app.background.execute { done.countDown() }
        assertTrue(done.await(5, java.util.concurrent.TimeUnit.SECONDS))
        assertFalse("the call back rings", screen(Telecom.details("+12025550165")).disallowCall)
    }

}
