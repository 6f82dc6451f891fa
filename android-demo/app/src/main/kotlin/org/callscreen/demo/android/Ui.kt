// Small helpers the screens share: colours per tone, text rows, buttons, and
// running a view model call off the main thread.

package org.callscreen.demo.android

import android.app.Activity
import android.graphics.Color
import android.view.ViewGroup
import android.widget.Button
import android.widget.LinearLayout
import android.widget.TextView
import org.callscreen.demo.Tone

object Ui {
    fun color(tone: Tone): Int = when (tone) {
        Tone.TRUSTED -> Color.rgb(0x1b, 0x5e, 0x20)
        Tone.NEUTRAL -> Color.DKGRAY
        Tone.WARNING -> Color.rgb(0xb7, 0x1c, 0x1c)
        Tone.HIDDEN -> Color.GRAY
    }

    fun text(parent: ViewGroup, s: String, size: Float = 16f, color: Int = Color.BLACK): TextView =
        TextView(parent.context).apply {
            text = s
            textSize = size
            setTextColor(color)
            parent.addView(this)
        }

    fun button(parent: ViewGroup, label: String, onClick: () -> Unit): Button =
        Button(parent.context).apply {
            text = label
            setOnClickListener { onClick() }
            parent.addView(this)
        }

    fun row(parent: ViewGroup): LinearLayout =
        LinearLayout(parent.context).apply { orientation = LinearLayout.HORIZONTAL; parent.addView(this) }

    /** Run `work` on the app's background executor (view model calls touch the database). */
    fun Activity.background(work: () -> Unit) = (application as DemoApp).background.execute(work)
}
