// View-model-ish formatting of a verdict or a history entry: what a call log row,
// an in-call screen or a notification shows. Pure Kotlin: no Android classes, so
// it runs on the desktop JVM against the real library (scripts/demo-jvm.sh).

package org.callscreen.demo

import org.callscreen.Action
import org.callscreen.CallScreenException
import org.callscreen.HistoryEntry
import org.callscreen.Indication
import org.callscreen.Verdict
import org.callscreen.Verification
import org.callscreen.VerificationSource
import org.callscreen.VerificationStatus

/** The tone of a row: drives colour and icon in the Android and iOS UIs. */
enum class Tone { TRUSTED, NEUTRAL, WARNING, HIDDEN }

/** One row as the user sees it. */
data class CallRow(
    val title: String,
    val subtitle: String,
    val tone: Tone,
    val actionText: String,
    val reasons: List<String>,
)

object Format {
    fun tone(i: Indication): Tone = when (i) {
        Indication.VERIFIED_BUSINESS, Indication.VERIFIED -> Tone.TRUSTED
        Indication.UNVERIFIED -> Tone.NEUTRAL
        Indication.LIKELY_SPAM -> Tone.WARNING
        Indication.WITHHELD, Indication.NUMBER_NOT_AVAILABLE -> Tone.HIDDEN
    }

    fun action(a: Action): String = when (a) {
        Action.ALLOW -> "Rang"
        Action.SILENCE -> "Silenced"
        Action.VOICEMAIL -> "Sent to voicemail"
        Action.REJECT -> "Blocked"
    }

    /** A live verdict: the name only when vetted; never a number that may not be shown. */
    fun row(v: Verdict): CallRow = CallRow(
        title = v.display.name ?: v.display.number ?: "Number not available",
        subtitle = v.display.label,
        tone = tone(v.indication),
        actionText = action(v.action),
        reasons = v.reasons.map { it.code },
    )

    /** An incoming call the screening service did not decide (it ran late or failed): the number, unjudged. */
    fun unscreened(number: String?): CallRow = CallRow(
        title = number ?: "Number not available",
        subtitle = "Not screened",
        tone = Tone.NEUTRAL,
        actionText = action(Action.ALLOW),
        reasons = emptyList(),
    )

    /** An outgoing call (never screened). */
    fun outgoing(number: String?): CallRow = CallRow(
        title = number ?: "Calling",
        subtitle = "Calling…",
        tone = Tone.NEUTRAL,
        actionText = "Outgoing",
        reasons = emptyList(),
    )

    /** A history entry (no display text is stored: the indication decides). */
    fun row(e: HistoryEntry): CallRow = CallRow(
        title = e.calling ?: "Number withheld",
        subtitle = label(e.indication),
        tone = tone(e.indication),
        actionText = action(e.action),
        reasons = e.reasons.map { it.code },
    )

    fun label(i: Indication): String = when (i) {
        Indication.VERIFIED_BUSINESS -> "Verified business"
        Indication.VERIFIED -> "Verified caller"
        Indication.UNVERIFIED -> "Caller's number can neither be confirmed nor repudiated"
        Indication.LIKELY_SPAM -> "Likely spam"
        Indication.WITHHELD -> "Number withheld"
        Indication.NUMBER_NOT_AVAILABLE -> "Number not available"
    }

    /** The verification in one line: "Verified (A, PASSporT, signer)", "Failed 438 …". */
    fun verification(v: Verification): String = when (v.status) {
        VerificationStatus.PASSED -> buildString {
            append("Verified")
            val parts = listOfNotNull(
                v.attestation?.let { "attestation $it" },
                v.source?.let(::source),
                v.signer?.let { it.spc?.let { spc -> "SPC $spc" } ?: it.subject },
            )
            if (parts.isNotEmpty()) append(" (").append(parts.joinToString(", ")).append(')')
        }
        VerificationStatus.FAILED -> "Verification failed" + (v.failure?.let { " ${it.code} ${it.reason}" } ?: "")
        VerificationStatus.NO_VALIDATION -> "Not verified"
    }

    fun source(s: VerificationSource): String = when (s) {
        VerificationSource.PASSPORT -> "PASSporT"
        VerificationSource.VERSTAT -> "network verstat"
        VerificationSource.PLATFORM -> "platform"
    }

    /** An error for the user: what was refused, never a stack trace. */
    fun error(e: CallScreenException): String = when (e) {
        is CallScreenException.InvalidInput -> "Not accepted: ${e.reason}"
        is CallScreenException.Storage -> "Could not read or write the database"
        is CallScreenException.Closed -> "The screener is shut down"
        else -> "Something went wrong (${e.javaClass.simpleName})"
    }
}
