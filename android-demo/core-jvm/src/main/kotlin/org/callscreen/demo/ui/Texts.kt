// Text the screens show for times, reasons, rules and outbox states.

package org.callscreen.demo.ui

import java.time.Instant
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import org.callscreen.OutboxItem
import org.callscreen.OutboxOp
import org.callscreen.OutboxState
import org.callscreen.Reason
import org.callscreen.RuleKind
import org.callscreen.RuleSource
import org.callscreen.VerificationClass

object Texts {
    private val TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")

    fun time(unixSecs: Long, zone: ZoneId): String = TIME.format(Instant.ofEpochSecond(unixSecs).atZone(zone))

    /** A reason as `code: detail` (the code alone when there is no detail). */
    fun reason(r: Reason): String = if (r.detail.isBlank()) r.code else "${r.code}: ${r.detail}"

    fun rule(kind: RuleKind): String = when (kind) {
        is RuleKind.Number -> kind.number
        is RuleKind.Prefix -> "${kind.prefix}…"
        is RuleKind.Range -> "${kind.start} (+${kind.count})"
        is RuleKind.Country -> "Country ${kind.country}"
        RuleKind.Withheld -> "Withheld numbers"
        is RuleKind.Verification -> when (kind.verificationClass) {
            VerificationClass.FAILED -> "Calls that failed verification"
            VerificationClass.UNVERIFIED -> "Unverified calls"
            VerificationClass.ATTESTATION_B -> "Calls with attestation B"
            VerificationClass.ATTESTATION_C -> "Calls with attestation C"
        }
        RuleKind.Contact -> "Contacts"
        RuleKind.AllCalls -> "Every call"
    }

    fun source(s: RuleSource): String = when (s) {
        RuleSource.USER -> "You"
        RuleSource.FEEDBACK -> "Your \"not spoofed\""
        RuleSource.OPERATOR -> "Operator"
        RuleSource.OPERATOR_MANDATORY -> "Operator (mandatory)"
    }

    fun outboxWhat(item: OutboxItem): String = when (item.op) {
        OutboxOp.REPORT -> "Report (${item.kind})"
        OutboxOp.BAR -> "Network barring ${item.target ?: ""}".trim()
        OutboxOp.UNBAR -> "Network unbarring ${item.target ?: ""}".trim()
    }

    /** The delivery state as the outbox screen shows it. */
    fun delivery(item: OutboxItem, zone: ZoneId): String = when (item.state) {
        OutboxState.DELIVERED -> "Delivered" + (item.deliveredAt?.let { " " + time(it, zone) } ?: "")
        OutboxState.SENDING -> "Sending…"
        OutboxState.PENDING -> if (item.attempts == 0u) {
            "Waiting to send"
        } else {
            "Retrying at ${time(item.nextAttemptAt, zone)} (${item.attempts} attempts; last: ${last(item)})"
        }
        OutboxState.FAILED -> "Not delivered: ${last(item)}"
    }

    private fun last(item: OutboxItem): String = item.lastError ?: item.lastStatus?.let { "HTTP $it" } ?: "unknown"
}
