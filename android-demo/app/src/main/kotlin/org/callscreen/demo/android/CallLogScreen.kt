// The call log: each screened call with its indication, action, verification
// and reasons.

package org.callscreen.demo.android

import android.app.Activity
import android.graphics.Color
import android.widget.LinearLayout
import org.callscreen.demo.Tone
import org.callscreen.demo.ui.CallLogState
import org.callscreen.demo.ui.CallLogViewModel

class CallLogScreen(activity: Activity, private val vm: CallLogViewModel) :
    StateScreen<CallLogState>(activity, vm.state, vm::refresh) {

    override fun render(content: LinearLayout, s: CallLogState) {
        content.removeAllViews()
        s.error?.let { Ui.text(content, it, color = Ui.color(Tone.WARNING)) }
        if (s.items.isEmpty()) Ui.text(content, "No calls yet")
        for (item in s.items) {
            Ui.text(content, item.row.title, 18f, Ui.color(item.row.tone))
            Ui.text(content, "${item.time} · ${item.row.subtitle} · ${item.row.actionText}", 14f)
            Ui.text(content, item.verification, 13f, Color.DKGRAY)
            item.reasons.forEach { Ui.text(content, "  • $it", 12f, Color.GRAY) }
        }
    }
}
