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

class RoleAndPermissionTest : AppTest() {
    private fun roles(): ShadowRoleManager = Shadow.extract(app.getSystemService(RoleManager::class.java))

    @Test fun requestsTheCallScreeningRoleNotTheDialerRole() {
        roles().addAvailableRole(RoleManager.ROLE_CALL_SCREENING)
        roles().addAvailableRole(RoleManager.ROLE_DIALER)
        val activity = Robolectric.buildActivity(MainActivity::class.java).setup().get()
        val started = shadowOf(activity).nextStartedActivityForResult
        assertNotNull("a role request", started)
        assertEquals(RoleManager.ACTION_REQUEST_ROLE, started.intent.action)
        assertEquals(RoleManager.ROLE_CALL_SCREENING, started.intent.getStringExtra(Intent_EXTRA_ROLE_NAME))
        assertEquals(MainActivity.REQUEST_ROLE, started.requestCode)
        assertNull("only one role asked for", shadowOf(activity).nextStartedActivityForResult)
    }

    @Test fun noRoleRequestWhenTheCallScreeningRoleIsHeld() {
        roles().addAvailableRole(RoleManager.ROLE_CALL_SCREENING)
        roles().addHeldRole(RoleManager.ROLE_CALL_SCREENING)
        val activity = Robolectric.buildActivity(MainActivity::class.java).setup().get()
        assertNull(shadowOf(activity).nextStartedActivityForResult)
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
