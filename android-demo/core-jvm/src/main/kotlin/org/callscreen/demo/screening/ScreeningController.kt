// The screening decision for one call the platform reports, free of Android
// classes: the app's CallScreeningService and InCallService read Call.Details
// into an ObservedCall and act on the Decision (thin adapters). Rules it keeps:
//
// - only incoming calls are screened; an outgoing call is never screened,
//   recorded or notified, and an outgoing call to an emergency number tells the
//   screener (emergency_call_placed), so the call back rings;
// - the network's verification status is read only on API 30 and later
//   (Call.Details.getCallerNumberVerificationStatus() does not exist on 29);
// - opening the screener, the contact lookup and the screen all run inside the
//   budget on a worker: a failure or a late answer allows the call, is logged,
//   and never throws;
// - the response never asks to skip the call log (Telecom ignores that flag for
//   a non-carrier screening app) and only combines flags Android accepts.

package org.callscreen.demo.screening

import org.callscreen.CallScreenerInterface
import org.callscreen.PlatformCall
import org.callscreen.ResponseOptions
import org.callscreen.Verdict
import org.callscreen.demo.Budgeted
import org.callscreen.demo.Clock
import org.callscreen.demo.ScreeningBudget
import org.callscreen.platformPresentationFromAndroid

/** `Call.Details.getCallDirection()` (API 29): -1 unknown, 0 incoming, 1 outgoing. */
enum class CallDirection {
    INCOMING, OUTGOING, UNKNOWN;

    companion object {
        fun fromAndroid(direction: Int): CallDirection = when (direction) {
            0 -> INCOMING
            1 -> OUTGOING
            else -> UNKNOWN
        }
    }
}

/**
 * What the platform says about a call. The verification status and the contact
 * lookup are functions: the first is called only where the platform has it
 * (API 30+), the second only inside the budget, off the main thread.
 */
class ObservedCall(
    val direction: CallDirection,
    /** The handle's number (`tel:` scheme-specific part), `null` when withheld. */
    val number: String?,
    /** `Call.Details.getHandlePresentation()` (TelecomManager.PRESENTATION_*). */
    val presentation: Int,
    /** `Build.VERSION.SDK_INT` of the device. */
    val sdkInt: Int,
    /** The dialled number is an emergency number (TelephonyManager.isEmergencyNumber). */
    val isEmergencyNumber: Boolean = false,
    /** Whether the caller is one of the user's contacts (false without READ_CONTACTS). */
    val isContact: () -> Boolean = { false },
    /** `Call.Details.getCallerNumberVerificationStatus()`; never called below API 30. */
    val verificationStatus: () -> Int = { 0 },
) {
    /** The network's verification status, or `null` where the platform has none (API 29). */
    fun readVerificationStatus(): Int? =
        if (sdkInt >= API_VERIFICATION_STATUS) verificationStatus() else null

    companion object {
        /** Android 11 (R) added `getCallerNumberVerificationStatus()`. */
        const val API_VERIFICATION_STATUS = 30
    }
}

/** The flags for `CallScreeningService.CallResponse.Builder`; never skip-call-log. */
data class ResponseFlags(
    val disallowCall: Boolean,
    val rejectCall: Boolean,
    val silenceCall: Boolean,
    val skipNotification: Boolean,
) {
    companion object {
        /** Let the call ring (the empty response). */
        val ALLOW = ResponseFlags(disallowCall = false, rejectCall = false, silenceCall = false, skipNotification = false)
    }
}

sealed interface Decision {
    /** The flags to answer Telecom with (every decision answers). */
    val flags: ResponseFlags

    /** Not an incoming call: allowed, not screened, recorded or notified. */
    data class NotScreened(val direction: CallDirection, val emergency: Boolean) : Decision {
        override val flags get() = ResponseFlags.ALLOW
    }

    /** Screened: the verdict and its response. */
    data class Screened(val verdict: Verdict, override val flags: ResponseFlags) : Decision

    /** Screening failed or ran past the budget: the call is allowed. */
    data class Allowed(val why: String) : Decision {
        override val flags get() = ResponseFlags.ALLOW
    }
}

/** Where the controller reports what went wrong (Logcat in the app). */
interface ScreeningLog {
    fun warn(message: String)
    fun error(message: String, error: Throwable?)
}

/**
 * The app's screener, opened on first use. An open failure (missing trust
 * anchors, a database that cannot be opened) is logged and rethrown to the
 * caller, which allows the call; the next call tries again.
 */
class ScreenerHandle(private val open: () -> CallScreenerInterface, private val log: ScreeningLog) {
    @Volatile private var screener: CallScreenerInterface? = null

    fun get(): CallScreenerInterface = screener ?: synchronized(this) {
        screener ?: try {
            open().also { screener = it }
        } catch (e: Throwable) {
            log.error("callscreen: the screener could not be opened (${e.javaClass.simpleName}); calls are allowed", e)
            throw ScreenerUnavailable(e)
        }
    }

    /** The screener if it is already open (never opens it). */
    fun ifOpen(): CallScreenerInterface? = screener

    /** Shut the screener down (its database) and free its handle. */
    fun close() = synchronized(this) {
        screener?.let { s ->
            s.shutdown()
            (s as? AutoCloseable)?.close()
        }
        screener = null
    }
}

class ScreenerUnavailable(cause: Throwable) : Exception("screener unavailable", cause)

/**
 * Decides each call. `onCall` blocks for at most the budget: call it from a
 * worker thread, never from the main thread.
 */
class ScreeningController(
    private val screener: ScreenerHandle,
    private val budget: ScreeningBudget,
    private val clock: Clock,
    private val log: ScreeningLog,
) {
    private val recent = RecentVerdicts()

    fun onCall(call: ObservedCall, key: String? = null): Decision = when (call.direction) {
        CallDirection.INCOMING -> screenIncoming(call, key)
        CallDirection.OUTGOING -> {
            if (call.isEmergencyNumber) emergencyPlaced()
            Decision.NotScreened(call.direction, call.isEmergencyNumber)
        }
        // A call Telecom cannot place in a direction is not screened: never block what may not ring in.
        CallDirection.UNKNOWN -> Decision.NotScreened(call.direction, emergency = false)
    }

    /** The verdict `onCall` reached for the call with this key, for the in-call screen (no second screen). */
    fun verdictFor(key: String): Verdict? = recent.get(key)

    private fun emergencyPlaced() {
        // The user is calling for help: never let a screener fault get in the way.
        when (val r = budget.run { screener.get().emergencyCallPlaced(clock.now()) }) {
            is Budgeted.Done -> Unit
            Budgeted.TimedOut -> log.warn("callscreen: recording the emergency call ran late")
            is Budgeted.Failed -> log.error("callscreen: the emergency call could not be recorded (${r.error.javaClass.simpleName})", r.error)
        }
    }

    private fun screenIncoming(call: ObservedCall, key: String?): Decision {
        val r = budget.run {
            val s = screener.get()
            val platformCall = PlatformCall(
                number = call.number,
                presentation = platformPresentationFromAndroid(call.presentation),
                verificationStatus = call.readVerificationStatus() ?: STATUS_NOT_VERIFIED,
                isContact = call.isContact(),
            )
            s.screenAndroid(platformCall, OPTIONS)
        }
        return when (r) {
            is Budgeted.Done -> {
                val flags = r.value.response
                val decision = Decision.Screened(
                    r.value.verdict,
                    ResponseFlags(
                        disallowCall = flags.disallowCall,
                        rejectCall = flags.disallowCall && flags.rejectCall,
                        silenceCall = !flags.disallowCall && flags.silenceCall,
                        skipNotification = flags.disallowCall && flags.skipNotification,
                    ),
                )
                if (key != null) recent.put(key, r.value.verdict)
                decision
            }
            Budgeted.TimedOut -> {
                log.warn("callscreen: screening ran past ${budget.budgetMillis} ms; the call is allowed")
                Decision.Allowed("timed out")
            }
            is Budgeted.Failed -> {
                val e = (r.error as? ScreenerUnavailable)?.cause ?: r.error
                if (r.error !is ScreenerUnavailable) {
                    log.error("callscreen: screening failed (${e.javaClass.simpleName}); the call is allowed", e)
                }
                Decision.Allowed("failed: ${e.javaClass.simpleName}")
            }
        }
    }

    companion object {
        /** `Connection.VERIFICATION_STATUS_NOT_VERIFIED`: what API 29 implies. */
        const val STATUS_NOT_VERIFIED = 0

        /** Keep blocked calls in the call log (Telecom keeps them anyway), no missed-call notification. */
        val OPTIONS = ResponseOptions(skipCallLog = false, skipNotification = true)
    }
}

/** The last few verdicts by call key, so the in-call screen shows the one the screening service reached. */
class RecentVerdicts(private val capacity: Int = 16) {
    private val map = object : LinkedHashMap<String, Verdict>(capacity, 0.75f, true) {
        override fun removeEldestEntry(eldest: MutableMap.MutableEntry<String, Verdict>?) = size > capacity
    }

    @Synchronized fun put(key: String, verdict: Verdict) {
        map[key] = verdict
    }

    @Synchronized fun get(key: String): Verdict? = map[key]
}
