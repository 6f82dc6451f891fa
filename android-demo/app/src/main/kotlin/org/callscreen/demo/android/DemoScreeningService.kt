// Screens each incoming call from Call.Details on a worker, within Android's
// 5-second budget, and answers with the core's CallResponse.

package org.callscreen.demo.android

import android.telecom.Call
import android.telecom.CallScreeningService
import java.util.concurrent.Executors
import org.callscreen.PlatformCall
import org.callscreen.ResponseOptions
import org.callscreen.platformPresentationFromAndroid
import org.callscreen.demo.Format

class DemoScreeningService : CallScreeningService() {
    private val worker = Executors.newSingleThreadExecutor()

    override fun onScreenCall(details: Call.Details) {
        worker.execute {
            val call = PlatformCall(
                number = details.handle?.schemeSpecificPart,
                presentation = platformPresentationFromAndroid(details.handlePresentation),
                verificationStatus = details.callerNumberVerificationStatus,
            )
            val response = try {
                (application as DemoApp).screener.screenAndroid(call, ResponseOptions(false, false)).also {
                    Notifications.show(this, Format.row(it.verdict))
                }.response
            } catch (e: Exception) {
                null // never block a call because screening failed
            }
            val builder = CallResponse.Builder()
            if (response != null) {
                builder.setDisallowCall(response.disallowCall)
                    .setRejectCall(response.rejectCall)
                    .setSilenceCall(response.silenceCall)
                    .setSkipCallLog(response.skipCallLog)
                    .setSkipNotification(response.skipNotification)
            }
            respondToCall(details, builder.build())
        }
    }
}
