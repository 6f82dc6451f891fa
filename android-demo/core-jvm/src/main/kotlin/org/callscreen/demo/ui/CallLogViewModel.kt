// The call log: every screened call the core recorded (HistoryMode.ALL), newest
// first, each with its indication, what was done and why.

package org.callscreen.demo.ui

import java.time.ZoneId
import org.callscreen.CallScreenException
import org.callscreen.CallScreenerInterface
import org.callscreen.HistoryEntry
import org.callscreen.HistoryFilter
import org.callscreen.HistoryMode
import org.callscreen.Indication
import org.callscreen.demo.CallRow
import org.callscreen.demo.Format

data class CallLogItem(
    val historyId: Long,
    val time: String,
    val row: CallRow,
    val reasons: List<String>,
    val verification: String,
)

data class CallLogState(
    val items: List<CallLogItem> = emptyList(),
    val only: Set<Indication> = emptySet(),
    val error: String? = null,
)

class CallLogViewModel(
    private val screener: CallScreenerInterface,
    private val zone: ZoneId,
    private val limit: UInt = 500u,
) {
    val state = StateStore(CallLogState())

    /** The call log needs every call recorded, not only flagged ones. */
    fun recordAllCalls() = guard { screener.setHistoryMode(HistoryMode.ALL) }

    fun refresh() = guard {
        val filter = HistoryFilter(indications = state.value.only.toList(), limit = limit)
        state.set(state.value.copy(items = screener.history(filter).map(::item), error = null))
    }

    /** Show only these indications (empty: all). */
    fun show(only: Set<Indication>) {
        state.set(state.value.copy(only = only))
        refresh()
    }

    private fun item(e: HistoryEntry) = CallLogItem(
        historyId = e.id,
        time = Texts.time(e.time, zone),
        row = Format.row(e),
        reasons = e.reasons.map(Texts::reason),
        verification = Format.verification(e.verification),
    )

    private fun guard(block: () -> Unit) {
        try {
            block()
        } catch (e: CallScreenException) {
            state.set(state.value.copy(error = Format.error(e)))
        }
    }
}
