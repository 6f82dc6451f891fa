// The report outbox: each report and barring change with its delivery state;
// failed ones can be retried (queued again and a delivery run scheduled).

package org.callscreen.demo.android

import android.app.Activity
import android.widget.LinearLayout
import org.callscreen.OutboxState
import org.callscreen.demo.Tone
import org.callscreen.demo.android.Ui.background
import org.callscreen.demo.ui.OutboxUiState
import org.callscreen.demo.ui.OutboxViewModel

class OutboxScreen(activity: Activity, private val vm: OutboxViewModel) :
    StateScreen<OutboxUiState>(activity, vm.state, vm::refresh) {

    override fun render(content: LinearLayout, s: OutboxUiState) {
        content.removeAllViews()
        s.error?.let { Ui.text(content, it, color = Ui.color(Tone.WARNING)) }
        Ui.text(content, "${s.waiting} waiting, ${s.failed} not delivered", 18f)
        Ui.button(content, "Send now") { OutboxDeliveryJob.schedule(activity) }
        for (r in s.rows) {
            val tone = when (r.state) {
                OutboxState.DELIVERED -> Tone.TRUSTED
                OutboxState.FAILED -> Tone.WARNING
                OutboxState.PENDING, OutboxState.SENDING -> Tone.NEUTRAL
            }
            Ui.text(content, r.what, 16f)
            Ui.text(content, r.stateText, 14f, Ui.color(tone))
            if (r.canRetry) {
                Ui.button(content, "Retry") { activity.background { if (vm.retry(r.id)) OutboxDeliveryJob.schedule(activity) } }
            }
        }
    }
}
