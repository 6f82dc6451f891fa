// One delivery run over the core's outbox, and what to do next. The core keeps
// each item's own schedule (its next attempt, with backoff and jitter, from the
// server's answers); the run decides when the app should wake up again:
// nothing left → settled; else after JobScheduler's backoff for this run, or
// later when the earliest item is not due before then.

package org.callscreen.demo.ut

import org.callscreen.CallScreenException
import org.callscreen.CallScreenerInterface
import org.callscreen.DeliverySummary
import org.callscreen.UtTransport

sealed interface NextRun {
    /** Nothing pending: no further run needed (failed items wait for the user). */
    data object Settled : NextRun

    /** Run again after the backoff (the job finishes asking for a reschedule). */
    data class Backoff(val afterSecs: Long) : NextRun

    /** The earliest item is due later than the backoff: schedule a run then. */
    data class At(val afterSecs: Long) : NextRun
}

data class DeliveryRun(val summary: DeliverySummary?, val next: NextRun, val error: String? = null)

class OutboxDelivery(private val transport: UtTransport, private val backoff: Backoff = Backoff()) {
    /** One pass at the screener's `now`; `run` counts runs since the last settled one, from 1. */
    fun run(screener: CallScreenerInterface, now: Long, run: Int): DeliveryRun = try {
        val summary = screener.deliverOutbox(transport)
        DeliveryRun(summary, plan(screener.outboxNextDue(), now, run, backoff))
    } catch (e: CallScreenException.Closed) {
        DeliveryRun(null, NextRun.Settled, "screener closed")
    } catch (e: CallScreenException) {
        DeliveryRun(null, NextRun.Backoff(backoff.delaySecs(run)), e.javaClass.simpleName)
    }

    companion object {
        /** `nextDue` is the core's `outboxNextDue()`: `null` when nothing waits. */
        fun plan(nextDue: Long?, now: Long, run: Int, backoff: Backoff): NextRun {
            if (nextDue == null) return NextRun.Settled
            val delay = backoff.delaySecs(run)
            val dueIn = nextDue - now
            return if (dueIn > delay) NextRun.At(dueIn) else NextRun.Backoff(delay)
        }
    }
}
