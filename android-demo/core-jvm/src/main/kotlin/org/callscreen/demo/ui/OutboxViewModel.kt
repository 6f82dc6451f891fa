// The report outbox: every queued report and network barring change with its
// delivery state; a failed one can be put back in the queue.

package org.callscreen.demo.ui

import java.time.ZoneId
import org.callscreen.CallScreenException
import org.callscreen.CallScreenerInterface
import org.callscreen.OutboxItem
import org.callscreen.OutboxState
import org.callscreen.demo.Format

data class OutboxRow(
    val id: String,
    val what: String,
    val state: OutboxState,
    val stateText: String,
    val attempts: Int,
    val canRetry: Boolean,
)

data class OutboxUiState(
    val rows: List<OutboxRow> = emptyList(),
    val waiting: Int = 0,
    val failed: Int = 0,
    val error: String? = null,
)

class OutboxViewModel(private val screener: CallScreenerInterface, private val zone: ZoneId) {
    val state = StateStore(OutboxUiState())

    fun refresh() = guard {
        val items = screener.outbox().asReversed() // newest first
        state.set(
            OutboxUiState(
                rows = items.map(::row),
                waiting = items.count { it.state == OutboxState.PENDING || it.state == OutboxState.SENDING },
                failed = items.count { it.state == OutboxState.FAILED },
            ),
        )
    }

    /** Back in the queue, due now; the caller then schedules a delivery run. */
    fun retry(id: String): Boolean {
        var ok = false
        guard {
            ok = screener.retryReport(id)
            refresh()
        }
        return ok
    }

    private fun row(i: OutboxItem) = OutboxRow(
        id = i.id,
        what = Texts.outboxWhat(i),
        state = i.state,
        stateText = Texts.delivery(i, zone),
        attempts = i.attempts.toInt(),
        canRetry = i.state == OutboxState.FAILED,
    )

    private fun guard(block: () -> Unit) {
        try {
            block()
        } catch (e: CallScreenException) {
            state.set(state.value.copy(error = Format.error(e)))
        }
    }
}
