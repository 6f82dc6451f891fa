// The demo's screens behind four tabs: call log, spoofed-call history, lists and
// policy, outbox. Asks for the dialer role on first start (the screening service
// and the in-call screen both need it).

package org.callscreen.demo.android

import android.app.Activity
import android.app.role.RoleManager
import android.os.Bundle
import android.widget.LinearLayout
import android.widget.ScrollView
import java.time.ZoneId
import org.callscreen.demo.Clock
import org.callscreen.demo.ui.CallLogViewModel
import org.callscreen.demo.ui.ListsViewModel
import org.callscreen.demo.ui.OutboxViewModel
import org.callscreen.demo.ui.SpoofedHistoryViewModel

/** A tab: draws its state into `content` and subscribes while shown. */
interface Screen {
    fun show(content: LinearLayout)
    fun hide()
}

class MainActivity : Activity() {
    private lateinit var content: LinearLayout
    private var current: Screen? = null

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val app = application as DemoApp
        val zone = ZoneId.systemDefault()
        val screens = listOf(
            "Calls" to CallLogScreen(this, CallLogViewModel(app.screener, zone)),
            "Spoofed" to HistoryScreen(this, SpoofedHistoryViewModel(app.screener, zone)),
            "Lists" to ListsScreen(this, ListsViewModel(app.screener, Clock.SYSTEM, zone)),
            "Outbox" to OutboxScreen(this, OutboxViewModel(app.screener, zone)),
        )
        val root = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL }
        val tabs = Ui.row(root)
        content = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL; setPadding(24, 24, 24, 24) }
        root.addView(ScrollView(this).apply { addView(content) })
        screens.forEach { (label, screen) -> Ui.button(tabs, label) { select(screen) } }
        setContentView(root)
        select(screens.first().second)
        requestDialerRole()
    }

    private fun select(screen: Screen) {
        current?.hide()
        content.removeAllViews()
        current = screen
        screen.show(content)
    }

    override fun onDestroy() {
        current?.hide()
        super.onDestroy()
    }

    private fun requestDialerRole() {
        val roles = getSystemService(RoleManager::class.java)
        if (roles.isRoleAvailable(RoleManager.ROLE_DIALER) && !roles.isRoleHeld(RoleManager.ROLE_DIALER)) {
            startActivityForResult(roles.createRequestRoleIntent(RoleManager.ROLE_DIALER), 1)
        }
    }
}
