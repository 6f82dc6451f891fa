// Lists and policy: blocks, exceptions, pause blocking for an hour or until
// tomorrow 08:00, and "present only trusted CLIs" / withheld callers.

package org.callscreen.demo.android

import android.app.Activity
import android.widget.EditText
import android.widget.LinearLayout
import java.time.LocalTime
import java.time.ZoneId
import java.time.ZonedDateTime
import org.callscreen.Action
import org.callscreen.demo.Tone
import org.callscreen.demo.android.Ui.background
import org.callscreen.demo.ui.ListsState
import org.callscreen.demo.ui.ListsViewModel

class ListsScreen(activity: Activity, private val vm: ListsViewModel) :
    StateScreen<ListsState>(activity, vm.state, vm::refresh) {

    override fun render(content: LinearLayout, s: ListsState) {
        content.removeAllViews()
        s.error?.let { Ui.text(content, it, color = Ui.color(Tone.WARNING)) }
        Ui.text(content, s.pausedUntil?.let { "Blocking paused until $it" } ?: "Blocking active", 18f)
        val pause = Ui.row(content)
        if (s.pausedUntil != null) {
            Ui.button(pause, "Resume") { activity.background { vm.resume() } }
        } else {
            Ui.button(pause, "Pause 1 h") { activity.background { vm.pauseUntil(System.currentTimeMillis() / 1000 + 3600) } }
            Ui.button(pause, "Until 08:00") { activity.background { vm.pauseUntil(nextEight()) } }
        }
        val input = EditText(activity).apply { hint = "+12025550123 or FR" }
        content.addView(input)
        val add = Ui.row(content)
        Ui.button(add, "Block") { val v = input.text.toString(); activity.background { vm.block(v, null); OutboxDeliveryJob.schedule(activity) } }
        Ui.button(add, "Allow number") { val v = input.text.toString(); activity.background { vm.allowNumber(v, null) } }
        Ui.button(add, "Allow country") { val v = input.text.toString(); activity.background { vm.allowCountry(v) } }

        Ui.text(content, "Blocked", 18f)
        for (r in s.blocks) {
            val line = listOfNotNull(r.what, r.label, r.source, r.until?.let { "until $it" }, "unless verified".takeIf { r.unlessVerified })
            Ui.text(content, line.joinToString(" · "))
            Ui.button(content, "Remove") { activity.background { vm.remove(r.id); OutboxDeliveryJob.schedule(activity) } }
        }
        Ui.text(content, "Always ring", 18f)
        for (r in s.exceptions) {
            Ui.text(content, listOfNotNull(r.what, r.label, r.source, r.until?.let { "until $it" }).joinToString(" · "))
            Ui.button(content, "Remove") { activity.background { vm.remove(r.id) } }
        }
        s.policy?.let { p ->
            Ui.text(content, "Policy", 18f)
            Ui.button(content, "Present only trusted numbers: " + if (p.presentOnlyTrustedCli) "on" else "off") {
                activity.background { vm.setPresentOnlyTrustedCli(!p.presentOnlyTrustedCli) }
            }
            Ui.button(content, "Withheld numbers: ${p.withheldAction.name.lowercase()}") {
                val next = Action.entries[(p.withheldAction.ordinal + 1) % Action.entries.size]
                activity.background { vm.setWithheldAction(next) }
            }
        }
    }

    private fun nextEight(): Long {
        val now = ZonedDateTime.now(ZoneId.systemDefault())
        var at = now.with(LocalTime.of(8, 0))
        if (!at.isAfter(now)) at = at.plusDays(1)
        return at.toEpochSecond()
    }
}
