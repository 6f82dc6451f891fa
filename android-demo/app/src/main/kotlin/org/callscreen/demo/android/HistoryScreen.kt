// The spoofed-call history: review, delete, "not spoofed" (number or country),
// report; the report the core offers after a correction is confirmed here.

package org.callscreen.demo.android

import android.app.Activity
import android.widget.LinearLayout
import org.callscreen.NotSpoofedScope
import org.callscreen.demo.Tone
import org.callscreen.demo.android.Ui.background
import org.callscreen.demo.ui.SpoofedHistoryState
import org.callscreen.demo.ui.SpoofedHistoryViewModel

class HistoryScreen(activity: Activity, private val vm: SpoofedHistoryViewModel) :
    StateScreen<SpoofedHistoryState>(activity, vm.state, vm::opened) {

    override fun render(content: LinearLayout, s: SpoofedHistoryState) {
        content.removeAllViews()
        s.error?.let { Ui.text(content, it, color = Ui.color(Tone.WARNING)) }
        s.message?.let { Ui.text(content, it) }
        s.offer?.let { offer ->
            Ui.text(content, "Tell your operator (${offer.kind.name.lowercase().replace('_', ' ')})?")
            val r = Ui.row(content)
            Ui.button(r, "Send report") { activity.background { vm.sendOffer(); OutboxDeliveryJob.schedule(activity) } }
            Ui.button(r, "No") { vm.dismissOffer() }
        }
        if (s.entries.isEmpty()) Ui.text(content, "No spoofed calls")
        for (e in s.entries) {
            Ui.text(content, e.row.title + if (e.reviewed) "" else "  (new)", 18f, Ui.color(e.row.tone))
            Ui.text(content, "${e.time} · ${e.row.subtitle} · ${e.row.actionText}", 14f)
            val r = Ui.row(content)
            Ui.button(r, "Reviewed") { activity.background { vm.review(listOf(e.historyId)) } }
            Ui.button(r, "Delete") { activity.background { vm.delete(listOf(e.historyId)) } }
            if (e.hasNumber) {
                val r2 = Ui.row(content)
                Ui.button(r2, "Not spoofed") { activity.background { vm.notSpoofed(e.historyId, NotSpoofedScope.NUMBER) } }
                Ui.button(r2, "Not spoofed: country") { activity.background { vm.notSpoofed(e.historyId, NotSpoofedScope.COUNTRY) } }
            }
            Ui.button(content, "Report spoofed") {
                activity.background { vm.report(e.historyId, block = e.hasNumber); OutboxDeliveryJob.schedule(activity) }
            }
        }
    }
}
