// The in-call screen: the formatted row (name or number, indication, warning
// colour) with answer and decline buttons.

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
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val tone = Tone.valueOf(intent.getStringExtra(TONE) ?: Tone.NEUTRAL.name)
        val root = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL; setPadding(48, 96, 48, 48) }
        root.addView(TextView(this).apply { text = intent.getStringExtra(TITLE); textSize = 30f })
        root.addView(TextView(this).apply { text = intent.getStringExtra(SUBTITLE); textSize = 18f; setTextColor(Ui.color(tone)) })
        root.addView(Button(this).apply {
            text = "Answer"
            setOnClickListener { CurrentCall.call?.answer(VideoProfile.STATE_AUDIO_ONLY) }
        })
        root.addView(Button(this).apply {
            text = "Decline"
            setOnClickListener { CurrentCall.call?.reject(false, null); finish() }
        })
        setContentView(root)
    }

    companion object {
        private const val TITLE = "title"
        private const val SUBTITLE = "subtitle"
        private const val TONE = "tone"

        fun show(context: Context, row: CallRow) {
            context.startActivity(
                Intent(context, InCallActivity::class.java)
                    .addFlags(Intent.FLAG_ACTIVITY_NEW_TASK)
                    .putExtra(TITLE, row.title)
                    .putExtra(SUBTITLE, row.subtitle)
                    .putExtra(TONE, row.tone.name),
            )
        }
    }
}
