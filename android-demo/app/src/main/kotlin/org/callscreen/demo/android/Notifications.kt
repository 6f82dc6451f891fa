// The indication of a screened call as a notification (the screening service
// cannot change the system dialer's own screen).

package org.callscreen.demo.android

import android.app.NotificationChannel
import android.app.NotificationManager
import android.content.Context
import androidx.core.app.NotificationCompat
import org.callscreen.demo.CallRow

object Notifications {
    private const val CHANNEL = "screened-calls"

    fun show(context: Context, row: CallRow) {
        val nm = context.getSystemService(NotificationManager::class.java)
        nm.createNotificationChannel(NotificationChannel(CHANNEL, "Screened calls", NotificationManager.IMPORTANCE_HIGH))
        val n = NotificationCompat.Builder(context, CHANNEL)
            .setSmallIcon(android.R.drawable.sym_call_incoming)
            .setContentTitle(row.title)
            .setContentText("${row.subtitle} · ${row.actionText}")
            .build()
        nm.notify(row.title.hashCode(), n)
    }
}
