// Wall-clock time in seconds since the epoch, injected so caches, pauses and
// backoff can be tested with a fake clock (the core's own clock is injected the
// same way: CallScreener.openAtTime).

package org.callscreen.demo

fun interface Clock {
    fun now(): Long

    companion object {
        val SYSTEM = Clock { System.currentTimeMillis() / 1000 }
    }
}

/** A clock that moves only when told to: for tests and replays. */
class ManualClock(private var t: Long) : Clock {
    override fun now(): Long = t
    fun advance(secs: Long) {
        t += secs
    }
}
