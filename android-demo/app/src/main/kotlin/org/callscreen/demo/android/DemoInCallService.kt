// The demo's own in-call screen, when the user made it the phone app (ROLE_DIALER):
// shows the verdict the screening service reached for an incoming call (it does
// not screen again, so no second history row), and for an outgoing call the
// number with a hang-up button; an outgoing emergency call tells the screener.

package org.callscreen.demo.android

import android.telecom.Call
import android.telecom.InCallService
import org.callscreen.demo.Format
import org.callscreen.demo.screening.CallDirection

class DemoInCallService : InCallService() {
    override fun onCallAdded(call: Call) {
        val app = application as DemoApp
        val d = call.details
        CurrentCall.call = call
        when (CallDirection.fromAndroid(d.callDirection)) {
            CallDirection.INCOMING -> {
                val verdict = app.controller.verdictFor(CallReading.key(d))
                InCallActivity.show(this, verdict?.let(Format::row) ?: Format.unscreened(d.handle?.schemeSpecificPart), InCallActivity.Mode.INCOMING)
            }
            CallDirection.OUTGOING, CallDirection.UNKNOWN -> {
                // Not screened; the controller only records an emergency call (off the main thread).
                app.background.execute { app.controller.onCall(CallReading.observe(this, d)) }
                InCallActivity.show(this, Format.outgoing(d.handle?.schemeSpecificPart), InCallActivity.Mode.OUTGOING)
            }
        }
    }

    override fun onCallRemoved(call: Call) {
        if (CurrentCall.call == call) CurrentCall.call = null
    }
}

/** The call the in-call screen acts on. */
object CurrentCall {
    @Volatile var call: Call? = null
}
