// Screens each incoming call from Call.Details on a worker within Android's
// 5-second budget (ScreeningBudget: 4 s), answers with the core's
// CallResponse, and shows the indication in a notification. A call is never
// blocked because screening failed or ran late.

package org.callscreen.demo.android

import android.telecom.Call
import android.telecom.CallScreeningService
import java.util.concurrent.Executors
import org.callscreen.PlatformCall
import org.callscreen.ResponseOptions
import org.callscreen.platformPresentationFromAndroid
import org.callscreen.demo.Budgeted
import org.callscreen.demo.Format
import org.callscreen.demo.ScreeningBudget

class DemoScreeningService : CallScreeningService() {
    private val waiter = Executors.newSingleThreadExecutor()
    private val budget = ScreeningBudget(Executors.newCachedThreadPool())

    override fun onScreenCall(details: Call.Details) {
        // onScreenCall runs on the main thread: wait for the worker elsewhere.
        waiter.execute {
            val call = PlatformCall(
                number = details.handle?.schemeSpecificPart,
                presentation = platformPresentationFromAndroid(details.handlePresentation),
                verificationStatus = details.callerNumberVerificationStatus,
            )
            val screener = (application as DemoApp).screener
            val builder = CallResponse.Builder()
            when (val r = budget.run { screener.screenAndroid(call, ResponseOptions()) }) {
                is Budgeted.Done -> {
                    val flags = r.value.response
                    builder.setDisallowCall(flags.disallowCall)
                        .setRejectCall(flags.rejectCall)
                        .setSilenceCall(flags.silenceCall)
                        .setSkipCallLog(flags.skipCallLog)
                        .setSkipNotification(flags.skipNotification)
                    Notifications.show(this, Format.row(r.value.verdict))
                }
                Budgeted.TimedOut, is Budgeted.Failed -> Unit // allow: an empty response
            }
            respondToCall(details, builder.build())
        }
    }

    override fun onDestroy() {
        waiter.shutdown()
        super.onDestroy()
    }
}
