// Reads Call.Details into the controller's ObservedCall (the only place the app
// touches Telecom's fields), and looks up whether a caller is a contact.
// Everything here runs on a worker thread, inside the screening budget.

package org.callscreen.demo.android

import android.Manifest
import android.annotation.TargetApi
import android.content.Context
import android.content.pm.PackageManager
import android.net.Uri
import android.os.Build
import android.provider.ContactsContract
import android.telecom.Call
import android.telephony.TelephonyManager
import org.callscreen.demo.screening.CallDirection
import org.callscreen.demo.screening.ObservedCall

object CallReading {
    fun observe(context: Context, details: Call.Details): ObservedCall {
        val number = details.handle?.schemeSpecificPart?.takeIf { it.isNotEmpty() }
        val direction = CallDirection.fromAndroid(details.callDirection)
        return ObservedCall(
            direction = direction,
            number = number,
            presentation = details.handlePresentation,
            sdkInt = Build.VERSION.SDK_INT,
            isEmergencyNumber = direction == CallDirection.OUTGOING && number != null && isEmergencyNumber(context, number),
            isContact = { Contacts.isContact(context, number) },
            // Called by the controller on API 30+ only (the method does not exist on 29).
            verificationStatus = { verificationStatus(details) },
        )
    }

    @TargetApi(Build.VERSION_CODES.R)
    private fun verificationStatus(details: Call.Details): Int = details.callerNumberVerificationStatus

    /** The same call in the screening service and the in-call service. */
    fun key(details: Call.Details): String = "${details.handle}|${details.creationTimeMillis}"

    fun isEmergencyNumber(context: Context, number: String): Boolean = try {
        context.getSystemService(TelephonyManager::class.java)?.isEmergencyNumber(number) ?: (number in FALLBACK_EMERGENCY)
    } catch (e: RuntimeException) {
        // No telephony service (a tablet, a test): the numbers every network routes.
        number in FALLBACK_EMERGENCY
    }

    private val FALLBACK_EMERGENCY = setOf("112", "911")
}

object Contacts {
    /** Whether `number` is one of the user's contacts; false without READ_CONTACTS (never asks). */
    fun isContact(context: Context, number: String?): Boolean {
        if (number.isNullOrEmpty()) return false
        if (context.checkSelfPermission(Manifest.permission.READ_CONTACTS) != PackageManager.PERMISSION_GRANTED) return false
        val uri = Uri.withAppendedPath(ContactsContract.PhoneLookup.CONTENT_FILTER_URI, Uri.encode(number))
        return try {
            context.contentResolver.query(uri, arrayOf(ContactsContract.PhoneLookup._ID), null, null, null)
                ?.use { it.moveToFirst() } ?: false
        } catch (e: RuntimeException) {
            Logcat.warn("callscreen: contact lookup failed (${e.javaClass.simpleName})")
            false
        }
    }
}
