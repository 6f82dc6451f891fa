// A minimal in-call screen: the formatted row and answer / hang-up buttons.
// (Layout omitted from the skeleton; see README.md.)

package org.callscreen.demo.android

import android.app.Activity
import android.content.Context
import android.content.Intent
import android.telecom.Call
import org.callscreen.demo.CallRow

class InCallActivity : Activity() {
    companion object {
        fun show(context: Context, call: Call, row: CallRow) {
            context.startActivity(
                Intent(context, InCallActivity::class.java)
                    .addFlags(Intent.FLAG_ACTIVITY_NEW_TASK)
                    .putExtra("title", row.title)
                    .putExtra("subtitle", row.subtitle)
                    .putExtra("tone", row.tone.name),
            )
        }
    }
}
