// The indication of a screened call as a notification (the screening service
// cannot change the system dialer's own screen). Framework Notification.Builder;
// the channel is created in DemoApp.onCreate. On Android 13+ nothing shows
// until the user granted POST_NOTIFICATIONS (MainActivity asks).

package org.callscreen.demo.android

import android.app.Notification
import android.app.NotificationManager
import android.content.Context
import org.callscreen.demo.CallRow

object Notifications {
    const val CHANNEL = "screened-calls"

    fun show(context: Context, row: CallRow) {
        val nm = context.getSystemService(NotificationManager::class.java) ?: return
        val n = Notification.Builder(context, CHANNEL)
            .setSmallIcon(android.R.drawable.sym_call_incoming)
            .setContentTitle(row.title)
            .setContentText("${row.subtitle} · ${row.actionText}")
            .build()
        nm.notify(row.title.hashCode(), n)
    }
}
