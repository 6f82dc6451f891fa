// Telecom objects as the framework builds them, for the tests: Call.Details
// through its (hidden) constructor, whose shape differs between SDK 29 and the
// newer ones, and a Call whose InCallAdapter records what the app asked Telecom
// to do (answer, reject, disconnect) through the real framework code path.

package org.callscreen.demo.android

import android.net.Uri
import android.os.Bundle
import android.telecom.Call
import android.telecom.TelecomManager
import java.lang.reflect.Proxy
import java.util.Collections
import org.robolectric.util.ReflectionHelpers

object Telecom {
    const val INCOMING = 0 // Call.Details.DIRECTION_INCOMING
    const val OUTGOING = 1 // Call.Details.DIRECTION_OUTGOING
    const val NOT_VERIFIED = 0 // Connection.VERIFICATION_STATUS_NOT_VERIFIED
    const val PASSED = 1
    const val FAILED = 2

    private var nextId = 1

    /** Call.Details as Telecom hands it over; `verificationStatus` exists on API 30+ only. */
    fun details(
        number: String?,
        direction: Int = INCOMING,
        verificationStatus: Int = NOT_VERIFIED,
        presentation: Int = if (number == null) TelecomManager.PRESENTATION_RESTRICTED else TelecomManager.PRESENTATION_ALLOWED,
        createdMillis: Long = 1_795_348_800_000L + nextId,
    ): Call.Details {
        val id = "TC@${nextId++}"
        val handle = number?.let { Uri.fromParts("tel", it, null) }
        val ctor = Call.Details::class.java.constructors.maxByOrNull { it.parameterCount }!!
        val args: Array<Any?> = when (ctor.parameterCount) {
            // SDK 29: (id, handle, presentation, callerDisplayName, its presentation, account,
            // capabilities, properties, disconnectCause, connectTime, gateway, videoState,
            // statusHints, extras, intentExtras, creationTime, direction)
            17 -> arrayOf(id, handle, presentation, null, 1, null, 0, 0, null, 0L, null, 0, null, Bundle(), Bundle(), createdMillis, direction)
            // SDK 34+: (state, id, ... as above ..., creationTime, contactDisplayName,
            // direction, callerNumberVerificationStatus, contactPhotoUri, userHandle)
            22 -> arrayOf(
                if (direction == INCOMING) Call.STATE_RINGING else Call.STATE_DIALING,
                id, handle, presentation, null, 1, null, 0, 0, null, 0L, null, 0, null, Bundle(), Bundle(), createdMillis,
                null, direction, verificationStatus, null, null,
            )
            else -> error("unknown Call.Details constructor: ${ctor.parameterTypes.map { it.simpleName }}")
        }
        return ctor.newInstance(*args) as Call.Details
    }

    /** What the app asked Telecom to do with a call (IInCallAdapter method names). */
    class Requests {
        val made: MutableList<String> = Collections.synchronizedList(mutableListOf<String>())
    }

    /** A Call with these details whose requests reach `requests` through the real InCallAdapter. */
    fun call(details: Call.Details, requests: Requests): Call {
        val iface = Class.forName("com.android.internal.telecom.IInCallAdapter")
        val binder = Proxy.newProxyInstance(iface.classLoader, arrayOf(iface)) { _, m, _ ->
            if (m.name != "asBinder") requests.made += m.name
            when (m.returnType) {
                java.lang.Boolean.TYPE -> false
                Integer.TYPE -> 0
                else -> null
            }
        }
        val adapterClass = Class.forName("android.telecom.InCallAdapter")
        val adapter = adapterClass.getDeclaredConstructor(iface).apply { isAccessible = true }.newInstance(binder)
        val ctor = Call::class.java.getDeclaredConstructor(
            Class.forName("android.telecom.Phone"), String::class.java, adapterClass, String::class.java, Integer.TYPE,
        ).apply { isAccessible = true }
        val call = ctor.newInstance(null, "TC@${nextId++}", adapter, "org.callscreen.demo", 35) as Call
        ReflectionHelpers.setField(call, "mDetails", details)
        return call
    }
}
