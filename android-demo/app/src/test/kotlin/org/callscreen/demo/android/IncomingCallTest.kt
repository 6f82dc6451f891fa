// (a) Incoming calls at each verification status (API 30+; on 29 the API-30
// method is never called), the CallResponse sent, with flags valid for a
// ROLE_CALL_SCREENING app; (c) contacts with and without READ_CONTACTS.

package org.callscreen.demo.android

import android.Manifest
import android.content.ContentProvider
import android.content.ContentValues
import android.database.Cursor
import android.database.MatrixCursor
import android.net.Uri
import android.os.Build
import android.provider.ContactsContract
import android.telecom.CallScreeningService
import java.util.Collections
import org.callscreen.Action
import org.callscreen.Indication
import org.callscreen.VerificationStatus
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.robolectric.Robolectric
import org.robolectric.Shadows.shadowOf

class IncomingCallTest : AppTest() {
    private fun verdictOf(d: android.telecom.Call.Details) = app.controller.verdictFor(CallReading.key(d))

    private fun assertValidForScreeningRole(r: CallScreeningService.CallResponse) {
        // Telecom ignores skip-call-log for a non-carrier screening app: never set.
        assertFalse("skipCallLog", r.skipCallLog)
        if (r.rejectCall || r.skipNotification) assertTrue("reject/skip only with disallow", r.disallowCall)
        if (r.silenceCall) assertFalse("silence only when allowed", r.disallowCall)
    }

    @Test fun verificationPassedShowsVerifiedOn30AndNotVerifiedOn29() {
        val d = Telecom.details("+12025550143", verificationStatus = Telecom.PASSED)
        val r = screen(d)
        assertValidForScreeningRole(r)
        assertFalse(r.disallowCall)
        val v = verdictOf(d)
        assertNotNull("a verdict", v)
        v!!
        if (Build.VERSION.SDK_INT >= 30) {
            assertEquals(VerificationStatus.PASSED, v.verification.status)
            assertEquals(Indication.VERIFIED, v.indication)
        } else {
            assertEquals(VerificationStatus.NO_VALIDATION, v.verification.status)
        }
        assertTrue(errors().toString(), errors().isEmpty())
    }

    @Test fun verificationFailedIsRejectedOn30ByTheFailedPolicy() {
        setPolicy { it.copy(failedAction = Action.REJECT, unverifiedAction = Action.ALLOW) }
        val d = Telecom.details("+12025550144", verificationStatus = Telecom.FAILED)
        val r = screen(d)
        assertValidForScreeningRole(r)
        if (Build.VERSION.SDK_INT >= 30) {
            assertTrue("disallow", r.disallowCall)
            assertTrue("reject", r.rejectCall)
            assertTrue("no missed-call notification", r.skipNotification)
            assertEquals(VerificationStatus.FAILED, verdictOf(d)!!.verification.status)
        } else {
            // No status on 29: not verified, which this policy lets ring.
            assertFalse(r.disallowCall)
            assertEquals(VerificationStatus.NO_VALIDATION, verdictOf(d)!!.verification.status)
        }
    }

    @Test fun notVerifiedCallIsSilencedByTheUnverifiedPolicy() {
        setPolicy { it.copy(unverifiedAction = Action.SILENCE) }
        val d = Telecom.details("+12025550145", verificationStatus = Telecom.NOT_VERIFIED)
        val r = screen(d)
        assertValidForScreeningRole(r)
        assertTrue("silenced", r.silenceCall)
        assertFalse("rings (silently)", r.disallowCall)
    }

    @Test fun api29ScreensWithoutCallingTheApi30Method() {
        // On 29 Call.Details has no getCallerNumberVerificationStatus(): calling it
        // would throw NoSuchMethodError, the call would be allowed unscreened and an
        // error logged. The call must be screened (the block rule applies) cleanly.
        val hasMethod = runCatching { android.telecom.Call.Details::class.java.getMethod("getCallerNumberVerificationStatus") }.isSuccess
        assertEquals(Build.VERSION.SDK_INT >= 30, hasMethod)
        block("+12025550146")
        val d = Telecom.details("+12025550146", verificationStatus = Telecom.FAILED)
        val r = screen(d)
        assertTrue("blocked by the rule", r.disallowCall && r.rejectCall)
        assertValidForScreeningRole(r)
        assertTrue(errors().toString(), errors().isEmpty())
        val expected = if (Build.VERSION.SDK_INT >= 30) VerificationStatus.FAILED else VerificationStatus.NO_VALIDATION
        assertEquals(expected, verdictOf(d)!!.verification.status)
    }

    @Test fun blockedNumberIsRejectedKeptInTheCallLogAndNotified() {
        block("+12025550147")
        val before = historySize()
        val r = screen(Telecom.details("+12025550147"))
        assertTrue(r.disallowCall && r.rejectCall && r.skipNotification)
        assertFalse(r.skipCallLog)
        assertEquals("one history row", before + 1, historySize())
        // Posted after the response, on the service's worker.
        assertTrue("notified", awaitNotification("+12025550147"))
    }

    @Test fun withheldNumberFollowsTheWithheldPolicy() {
        setPolicy { it.copy(withheldAction = Action.VOICEMAIL) }
        val r = screen(Telecom.details(null))
        // Voicemail: disallowed without reject, so the network forwards on no reply.
        assertTrue(r.disallowCall)
        assertFalse(r.rejectCall)
        assertValidForScreeningRole(r)
    }

    // (c) contacts

    @Test fun contactRingsWhenReadContactsIsGranted() {
        FakeContacts.numbers += "+12025550150"
        Robolectric.setupContentProvider(FakeContacts::class.java, ContactsContract.AUTHORITY)
        shadowOf(app).grantPermissions(Manifest.permission.READ_CONTACTS)
        setPolicy { it.copy(unverifiedAction = Action.REJECT) }
        val r = screen(Telecom.details("+12025550150"))
        assertFalse("a contact rings", r.disallowCall)
        assertTrue("looked up", FakeContacts.queried.isNotEmpty())
        // A stranger under the same policy is rejected: the contact flag made the difference.
        assertTrue(screen(Telecom.details("+12025550151")).disallowCall)
    }

    @Test fun contactsAreNotReadWithoutReadContacts() {
        FakeContacts.numbers += "+12025550152"
        Robolectric.setupContentProvider(FakeContacts::class.java, ContactsContract.AUTHORITY)
        shadowOf(app).denyPermissions(Manifest.permission.READ_CONTACTS)
        setPolicy { it.copy(unverifiedAction = Action.REJECT) }
        val r = screen(Telecom.details("+12025550152"))
        assertTrue("not known as a contact: the policy rejects", r.disallowCall)
        assertTrue("no lookup without the permission", FakeContacts.queried.isEmpty())
    }
}

/** The contacts provider, answering PhoneLookup for the numbers listed. */
class FakeContacts : ContentProvider() {
    companion object {
        val numbers: MutableSet<String> = Collections.synchronizedSet(mutableSetOf<String>())
        val queried: MutableList<Uri> = Collections.synchronizedList(mutableListOf<Uri>())
    }

    override fun onCreate() = true.also { queried.clear() }

    override fun query(uri: Uri, projection: Array<out String>?, selection: String?, args: Array<out String>?, sort: String?): Cursor {
        queried += uri
        val c = MatrixCursor(arrayOf(ContactsContract.PhoneLookup._ID))
        if (uri.lastPathSegment in numbers) c.addRow(arrayOf<Any>(1L))
        return c
    }

    override fun getType(uri: Uri): String? = null
    override fun insert(uri: Uri, values: ContentValues?): Uri? = null
    override fun delete(uri: Uri, selection: String?, args: Array<out String>?) = 0
    override fun update(uri: Uri, values: ContentValues?, selection: String?, args: Array<out String>?) = 0
}
