// The spoofed-call history: flagged calls to review. The user marks them
// reviewed, deletes them, says "not spoofed" (the number, or its whole country:
// an exception so the next call rings, with a NotSpoofed report offered), or
// reports one as spoofed (blocked unless verified, report queued on Ut).

package org.callscreen.demo.ui

import java.time.ZoneId
import org.callscreen.BlockMode
import org.callscreen.CallScreenException
import org.callscreen.CallScreenerInterface
import org.callscreen.HistoryEntry
import org.callscreen.HistoryFilter
import org.callscreen.NotSpoofedScope
import org.callscreen.ReportKind
import org.callscreen.ReportOffer
import org.callscreen.ReportRequest
import org.callscreen.ReportWhen
import org.callscreen.demo.CallRow
import org.callscreen.demo.Format

data class SpoofedEntry(
    val historyId: Long,
    val time: String,
    val row: CallRow,
    val reviewed: Boolean,
    /** "Not spoofed" and blocking need a number: a withheld caller has none. */
    val hasNumber: Boolean,
)

data class SpoofedHistoryState(
    val entries: List<SpoofedEntry> = emptyList(),
    /** Flagged calls since the user last looked: "there was spoofed-call activity". */
    val notice: Long = 0,
    /** A report the core offers after a correction, waiting for the user's yes or no. */
    val offer: ReportOffer? = null,
    val message: String? = null,
    val error: String? = null,
)

class SpoofedHistoryViewModel(private val screener: CallScreenerInterface, private val zone: ZoneId) {
    val state = StateStore(SpoofedHistoryState())

    fun refresh() = guard {
        val entries = screener.history(HistoryFilter(flaggedOnly = true)).map(::entry)
        state.set(state.value.copy(entries = entries, notice = screener.historyNoticeCount().toLong(), error = null))
    }

    /** The screen was opened: the notice count starts again from now. */
    fun opened() = guard {
        screener.historySeen()
        refresh()
    }

    fun review(ids: List<Long>) = guard {
        screener.markReviewed(ids)
        refresh()
    }

    fun delete(ids: List<Long>) = guard {
        val n = screener.deleteHistory(ids)
        state.set(state.value.copy(message = "$n deleted"))
        refresh()
    }

    fun notSpoofed(id: Long, scope: NotSpoofedScope) = guard {
        val c = screener.correctNotSpoofed(id, scope)
        val what = if (scope == NotSpoofedScope.COUNTRY) "this country" else "this number"
        state.set(state.value.copy(offer = c.offer, message = "Calls from $what will ring"))
        refresh()
    }

    /** "Report spoofed": block unless verified (when `block`), then queue the report. */
    fun report(id: Long, block: Boolean) = guard {
        screener.correctUnwanted(id, ReportKind.SPOOFED, if (block) BlockMode.DEFAULT else BlockMode.NO_BLOCK)
        val reportId = screener.report(ReportRequest(ReportKind.SPOOFED, historyId = id, `when` = ReportWhen.AFTER))
        state.set(state.value.copy(offer = null, message = "Report queued ($reportId)"))
        refresh()
    }

    /** The user accepted the offered report. */
    fun sendOffer() = guard {
        val o = state.value.offer ?: return@guard
        val reportId = screener.report(ReportRequest(o.kind, historyId = o.historyId, number = o.number, `when` = ReportWhen.AFTER))
        state.set(state.value.copy(offer = null, message = "Report queued ($reportId)"))
    }

    fun dismissOffer() = state.set(state.value.copy(offer = null))

    private fun entry(e: HistoryEntry) = SpoofedEntry(e.id, Texts.time(e.time, zone), Format.row(e), e.reviewed, e.calling != null)

    private fun guard(block: () -> Unit) {
        try {
            block()
        } catch (e: CallScreenException) {
            state.set(state.value.copy(error = Format.error(e)))
        }
    }
}
