// Runs OutboxDelivery until the outbox settles: the desktop's stand-in for
// JobScheduler, which on Android makes the same runs with the same delays
// (OutboxDeliveryJob). `screenerAt(now)` gives the screener for a run: the app's one
// long-lived screener on a real clock, or one opened at `now` on the same
// database file when time is simulated.

package org.callscreen.demo.ut

import org.callscreen.CallScreenerInterface
import org.callscreen.demo.Clock

class DeliveryLoop(
    private val delivery: OutboxDelivery,
    private val clock: Clock,
    private val sleep: (Long) -> Unit,
    private val maxRuns: Int = 8,
) {
    /** The runs made, the last one settled unless `maxRuns` ran out. */
    fun run(screenerAt: (Long) -> CallScreenerInterface): List<DeliveryRun> {
        val runs = mutableListOf<DeliveryRun>()
        for (n in 1..maxRuns) {
            val now = clock.now()
            val r = delivery.run(screenerAt(now), now, n)
            runs += r
            when (val next = r.next) {
                NextRun.Settled -> return runs
                is NextRun.Backoff -> sleep(next.afterSecs)
                is NextRun.At -> sleep(next.afterSecs)
            }
        }
        return runs
    }
}
