// The in-call screen: the formatted row (name or number, indication, warning
// colour) with answer and decline for an incoming call, hang up for an outgoing one.

package org.callscreen.demo.android

import android.app.Activity
import android.content.Context
import android.content.Intent
import android.os.Bundle
import android.telecom.VideoProfile
import android.widget.Button
import android.widget.LinearLayout
import android.widget.TextView
import org.callscreen.demo.CallRow
import org.callscreen.demo.Tone

class InCallActivity : Activity() {
    enum class Mode { INCOMING, OUTGOING }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val tone = Tone.valueOf(intent.getStringExtra(TONE) ?: Tone.NEUTRAL.name)
        val mode = Mode.valueOf(intent.getStringExtra(MODE) ?: Mode.INCOMING.name)
        val root = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL; setPadding(48, 96, 48, 48) }
        root.addView(TextView(this).apply { text = intent.getStringExtra(TITLE); textSize = 30f })
        root.addView(TextView(this).apply { text = intent.getStringExtra(SUBTITLE); textSize = 18f; setTextColor(Ui.color(tone)) })
        when (mode) {
            Mode.INCOMING -> {
                root.addView(button(ANSWER) { CurrentCall.call?.answer(VideoProfile.STATE_AUDIO_ONLY) })
                root.addView(button(DECLINE) { CurrentCall.call?.reject(false, null); finish() })
            }
            Mode.OUTGOING -> root.addView(button(HANG_UP) { CurrentCall.call?.disconnect(); finish() })
        }
        setContentView(root)
    }

    private fun button(label: String, onClick: () -> Unit) = Button(this).apply {
        text = label
        setOnClickListener { onClick() }
    }

    companion object {
        const val ANSWER = "Answer"
        const val DECLINE = "Decline"
        const val HANG_UP = "Hang up"
        const val TITLE = "title"
        const val SUBTITLE = "subtitle"
        const val TONE = "tone"
        const val MODE = "mode"

        fun show(context: Context, row: CallRow, mode: Mode) {
            context.startActivity(
                Intent(context, InCallActivity::class.java)
                    .addFlags(Intent.FLAG_ACTIVITY_NEW_TASK)
                    .putExtra(TITLE, row.title)
                    .putExtra(SUBTITLE, row.subtitle)
                    .putExtra(TONE, row.tone.name)
                    .putExtra(MODE, mode.name),
            )
        }
    }
}
