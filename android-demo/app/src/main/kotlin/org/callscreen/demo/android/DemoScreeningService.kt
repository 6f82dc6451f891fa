// Telecom's CallScreeningService (the app holds ROLE_CALL_SCREENING, or the
// dialer role): reads each call on a worker, lets the ScreeningController
// (core-jvm) decide within Android's 5-second budget, answers with the
// response and shows the indication in a notification. Outgoing calls are not
// screened; a call is never blocked because screening failed or ran late.

package org.callscreen.demo.android

import android.telecom.Call
import android.telecom.CallScreeningService
import java.util.concurrent.Executors
import org.callscreen.demo.Format
import org.callscreen.demo.screening.Decision
import org.callscreen.demo.screening.ResponseFlags

class DemoScreeningService : CallScreeningService() {
    private val waiter = Executors.newSingleThreadExecutor()

    override fun onScreenCall(details: Call.Details) {
        val app = application as DemoApp
        // onScreenCall runs on the main thread: read, decide and answer on the worker.
        waiter.execute {
            val decision = try {
                app.controller.onCall(CallReading.observe(this, details), CallReading.key(details))
            } catch (e: RuntimeException) {
                Logcat.error("callscreen: reading the call failed (${e.javaClass.simpleName}); the call is allowed", e)
                Decision.Allowed("failed: ${e.javaClass.simpleName}")
            }
            respondToCall(details, response(decision.flags))
            if (decision is Decision.Screened) {
                Notifications.show(this, Format.row(decision.verdict))
                CertificateRefreshJob.scheduleFor(this, decision.verdict)
            }
        }
    }

    override fun onDestroy() {
        waiter.shutdown()
        super.onDestroy()
    }

    companion object {
        /** The framework response; skip-call-log is never set (Telecom ignores it for non-carrier apps). */
        fun response(f: ResponseFlags): CallResponse = CallResponse.Builder()
            .setDisallowCall(f.disallowCall)
            .setRejectCall(f.rejectCall)
            .setSilenceCall(f.silenceCall)
            .setSkipNotification(f.skipNotification)
            .build()
    }
}
