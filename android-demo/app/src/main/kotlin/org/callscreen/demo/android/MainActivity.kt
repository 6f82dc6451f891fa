// The demo's screens behind four tabs: call log, spoofed-call history, lists and
// policy, outbox. On start it asks for ROLE_CALL_SCREENING (all the screening
// service needs), READ_CONTACTS (so contacts ring, as Telecom's own rules would
// have them) and, on Android 13+, POST_NOTIFICATIONS. "Use as phone app" asks
// for the dialer role, which adds the demo's own in-call screen.
// The screener is opened off the main thread; the screens appear once it is.

package org.callscreen.demo.android

import android.Manifest
import android.app.Activity
import android.app.role.RoleManager
import android.content.pm.PackageManager
import android.os.Build
import android.os.Bundle
import android.widget.LinearLayout
import android.widget.ScrollView
import java.time.ZoneId
import org.callscreen.CallScreenerInterface
import org.callscreen.demo.Clock
import org.callscreen.demo.Tone
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
    private lateinit var tabs: LinearLayout
    private lateinit var content: LinearLayout
    private var current: Screen? = null

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val app = application as DemoApp
        val root = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL }
        tabs = Ui.row(root)
        content = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL; setPadding(24, 24, 24, 24) }
        root.addView(ScrollView(this).apply { addView(content) })
        setContentView(root)
        Ui.text(content, "Opening…")
        app.background.execute {
            val screener = try {
                app.screener.get()
            } catch (e: Exception) {
                null // logged by ScreenerHandle
            }
            screener?.outboxNextDue()?.let { OutboxDeliveryJob.schedule(app, maxOf(0L, it - app.clock.now())) }
            runOnUiThread { if (!isDestroyed) showScreens(screener) }
        }
        // One system dialog at a time: the role first, then the permissions.
        if (!requestRole(RoleManager.ROLE_CALL_SCREENING)) requestPermissionsNeeded()
    }

    override fun onActivityResult(requestCode: Int, resultCode: Int, data: android.content.Intent?) {
        super.onActivityResult(requestCode, resultCode, data)
        if (requestCode == REQUEST_ROLE) requestPermissionsNeeded()
    }

    private fun showScreens(screener: CallScreenerInterface?) {
        content.removeAllViews()
        if (screener == null) {
            Ui.text(content, "The screener could not be opened: calls ring unscreened.", color = Ui.color(Tone.WARNING))
            return
        }
        val zone = ZoneId.systemDefault()
        val screens = listOf(
            "Calls" to CallLogScreen(this, CallLogViewModel(screener, zone)),
            "Spoofed" to HistoryScreen(this, SpoofedHistoryViewModel(screener, zone)),
            "Lists" to ListsScreen(this, ListsViewModel(screener, Clock.SYSTEM, zone)),
            "Outbox" to OutboxScreen(this, OutboxViewModel(screener, zone)),
        )
        screens.forEach { (label, screen) -> Ui.button(tabs, label) { select(screen) } }
        Ui.button(tabs, USE_AS_PHONE_APP) { requestRole(RoleManager.ROLE_DIALER) }
        select(screens.first().second)
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

    /** Ask for `role` unless held: ROLE_CALL_SCREENING is all the screening service needs.
     *  @return whether the request was made. */
    private fun requestRole(role: String): Boolean {
        val roles = getSystemService(RoleManager::class.java) ?: return false
        if (!roles.isRoleAvailable(role) || roles.isRoleHeld(role)) return false
        startActivityForResult(roles.createRequestRoleIntent(role), REQUEST_ROLE)
        return true
    }

    private fun requestPermissionsNeeded() {
        val wanted = buildList {
            add(Manifest.permission.READ_CONTACTS)
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) add(Manifest.permission.POST_NOTIFICATIONS)
        }.filter { checkSelfPermission(it) != PackageManager.PERMISSION_GRANTED }
        if (wanted.isNotEmpty()) requestPermissions(wanted.toTypedArray(), REQUEST_PERMISSIONS)
    }

    companion object {
        const val REQUEST_ROLE = 1
        const val REQUEST_PERMISSIONS = 2
        const val USE_AS_PHONE_APP = "Use as phone app"
    }
}
