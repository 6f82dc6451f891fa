// Exponential backoff between delivery runs: base × 2^(run − 1), capped. The
// defaults are JobScheduler's BACKOFF_POLICY_EXPONENTIAL as the app configures it
// (setBackoffCriteria(30 s, EXPONENTIAL); JobScheduler caps at 5 hours), so the
// delays computed and tested here are the ones the delivery job gets.

package org.callscreen.demo.ut

data class Backoff(val baseSecs: Long = 30, val maxSecs: Long = 5 * 3600) {
    init {
        require(baseSecs >= 10) { "JobScheduler's minimum backoff is 10 s" }
        require(maxSecs >= baseSecs)
    }

    /** The wait after the `run`-th run failed (run ≥ 1). */
    fun delaySecs(run: Int): Long {
        require(run >= 1)
        val exp = (run - 1).coerceAtMost(30)
        return (baseSecs shl exp).coerceAtMost(maxSecs)
    }
}
