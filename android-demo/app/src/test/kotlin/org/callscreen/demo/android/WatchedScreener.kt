// The real screener, with the calls the app's services and jobs make counted by
// thread (so a test sees database work on the main looper) and an optional
// delay on each screen (a slow screener).

package org.callscreen.demo.android

import org.callscreen.AndroidScreening
import org.callscreen.CallScreener
import org.callscreen.CallScreenerInterface
import org.callscreen.DeliverySummary
import org.callscreen.HistoryEntry
import org.callscreen.HistoryFilter
import org.callscreen.OutboxItem
import org.callscreen.PlatformCall
import org.callscreen.ResponseOptions
import org.callscreen.UtTransport
import org.callscreen.Verdict

class WatchedScreener(private val inner: CallScreener) : CallScreenerInterface by inner, AutoCloseable {
    private fun <T> seen(block: () -> T): T {
        TestApp.Seen.call()
        return block()
    }

    override fun screenAndroid(call: PlatformCall, options: ResponseOptions): AndroidScreening = seen {
        TestApp.Setup.screenDelayMillis.takeIf { it > 0 }?.let(Thread::sleep)
        inner.screenAndroid(call, options)
    }

    override fun screenPlatform(call: PlatformCall): Verdict = seen { inner.screenPlatform(call) }
    override fun screenSip(inviteText: String): Verdict = seen { inner.screenSip(inviteText) }
    override fun emergencyCallPlaced(atUnixSecs: Long) = seen { inner.emergencyCallPlaced(atUnixSecs) }
    override fun addCertificate(x5u: String, chain: ByteArray) = seen { inner.addCertificate(x5u, chain) }
    override fun deliverOutbox(transport: UtTransport): DeliverySummary = seen { inner.deliverOutbox(transport) }
    override fun outbox(): List<OutboxItem> = seen { inner.outbox() }
    override fun outboxNextDue(): Long? = seen { inner.outboxNextDue() }
    override fun history(filter: HistoryFilter): List<HistoryEntry> = seen { inner.history(filter) }
    override fun close() = inner.close()
}
