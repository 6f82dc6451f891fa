// (f) The role request: RoleManager, ROLE_CALL_SCREENING (not the dialer role).
// (g) POST_NOTIFICATIONS requested on 33+ (with READ_CONTACTS on every level).

package org.callscreen.demo.android

import android.Manifest
import android.app.role.RoleManager
import android.os.Build
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.robolectric.Robolectric
import org.robolectric.Shadows.shadowOf
import org.robolectric.shadow.api.Shadow
import org.robolectric.shadows.ShadowRoleManager

@Suppress("DEPRECATION") // ShadowRoleManager.addAvailableRole/addHeldRole: still how a test sets the roles
class RoleAndPermissionTest : AppTest() {
    private fun roles(): ShadowRoleManager = Shadow.extract(app.getSystemService(RoleManager::class.java))

    @Test fun requestsTheCallScreeningRoleNotTheDialerRole() {
        roles().addAvailableRole(RoleManager.ROLE_CALL_SCREENING)
        roles().addAvailableRole(RoleManager.ROLE_DIALER)
        val controller = Robolectric.buildActivity(MainActivity::class.java).setup()
        val activity = controller.get()
        val started = startedForResult(activity)
        assertEquals("one dialog at a time: the role request only", 1, started.size)
        assertEquals(RoleManager.ACTION_REQUEST_ROLE, started[0].intent.action)
        assertEquals(RoleManager.ROLE_CALL_SCREENING, started[0].intent.getStringExtra(Intent_EXTRA_ROLE_NAME))
        assertEquals(MainActivity.REQUEST_ROLE, started[0].requestCode)
        assertNull("permissions wait for the role dialog", shadowOf(activity).lastRequestedPermission)
        // The user answered the role dialog: now the permissions.
        shadowOf(activity).receiveResult(started[0].intent, android.app.Activity.RESULT_OK, null)
        assertTrue(shadowOf(activity).lastRequestedPermission.requestedPermissions.contains(Manifest.permission.READ_CONTACTS))
    }

    private fun startedForResult(activity: MainActivity) =
        generateSequence { shadowOf(activity).nextStartedActivityForResult }.toList()
            .filter { it.intent.action == RoleManager.ACTION_REQUEST_ROLE }

    @Test fun noRoleRequestWhenTheCallScreeningRoleIsHeld() {
        roles().addAvailableRole(RoleManager.ROLE_CALL_SCREENING)
        roles().addHeldRole(RoleManager.ROLE_CALL_SCREENING)
        val activity = Robolectric.buildActivity(MainActivity::class.java).setup().get()
        assertTrue("no role request", startedForResult(activity).isEmpty())
        assertNotNull("the permissions are asked for at once", shadowOf(activity).lastRequestedPermission)
    }

    @Test fun postNotificationsRequestedOn33AndLaterWithReadContacts() {
        val activity = Robolectric.buildActivity(MainActivity::class.java).setup().get()
        val asked = shadowOf(activity).lastRequestedPermission
        assertNotNull("permissions requested", asked)
        val names = asked.requestedPermissions.toList()
        assertTrue(names.toString(), Manifest.permission.READ_CONTACTS in names)
        assertEquals(names.toString(), Build.VERSION.SDK_INT >= 33, "android.permission.POST_NOTIFICATIONS" in names)
        assertEquals(MainActivity.REQUEST_PERMISSIONS, asked.requestCode)
    }

    @Test fun nothingRequestedWhenThePermissionsAreGranted() {
        shadowOf(app).grantPermissions(Manifest.permission.READ_CONTACTS, "android.permission.POST_NOTIFICATIONS")
        val activity = Robolectric.buildActivity(MainActivity::class.java).setup().get()
        assertNull(shadowOf(activity).lastRequestedPermission)
        assertFalse(activity.isFinishing)
    }

    private companion object {
        /** Intent.EXTRA_ROLE_NAME (public constant since API 29, kept literal for clarity). */
        const val Intent_EXTRA_ROLE_NAME = "android.intent.extra.ROLE_NAME"
    }
}
