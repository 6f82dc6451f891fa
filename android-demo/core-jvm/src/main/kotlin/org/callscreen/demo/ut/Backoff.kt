// Exponential backoff between delivery runs: base × 2^(run − 1), capped. The
// defaults are WorkManager's EXPONENTIAL policy as the app configures it
// (setBackoffCriteria(EXPONENTIAL, 30 s); WorkManager caps at 5 hours), so the
// delays computed and tested here are the ones the worker gets.

package org.callscreen.demo.ut

data class Backoff(val baseSecs: Long = 30, val maxSecs: Long = 5 * 3600) {
    init {
        require(baseSecs >= 10) { "WorkManager's minimum backoff is 10 s" }
        require(maxSecs >= baseSecs)
    }

    /** The wait after the `run`-th run failed (run ≥ 1). */
    fun delaySecs(run: Int): Long {
        require(run >= 1)
        val exp = (run - 1).coerceAtMost(30)
        return (baseSecs shl exp).coerceAtMost(maxSecs)
    }
}
