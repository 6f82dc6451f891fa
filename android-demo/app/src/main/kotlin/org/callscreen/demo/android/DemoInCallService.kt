// The demo's own in-call screen (it holds ROLE_DIALER): shows the verified-business
// name, "number not available" and warnings that the system dialer would not.

package org.callscreen.demo.android

import android.telecom.Call
import android.telecom.InCallService
import org.callscreen.PlatformCall
import org.callscreen.platformPresentationFromAndroid
import org.callscreen.demo.Format

class DemoInCallService : InCallService() {
    override fun onCallAdded(call: Call) {
        val d = call.details
        if (d.callDirection != Call.Details.DIRECTION_INCOMING) return
        // screenPlatform takes microseconds with no certificate work: fine on the main thread.
        val verdict = (application as DemoApp).screener.screenPlatform(
            PlatformCall(
                number = d.handle?.schemeSpecificPart,
                presentation = platformPresentationFromAndroid(d.handlePresentation),
                verificationStatus = d.callerNumberVerificationStatus,
            ),
        )
        CurrentCall.call = call
        InCallActivity.show(this, Format.row(verdict))
    }

    override fun onCallRemoved(call: Call) {
        if (CurrentCall.call == call) CurrentCall.call = null
    }
}

/** The ringing call the in-call screen acts on. */
object CurrentCall {
    @Volatile var call: Call? = null
}
