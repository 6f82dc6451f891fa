// The Application the tests run: the real DemoApp with the repository's test
// STI-CA root instead of the asset (Robolectric runs without packaged assets),
// the fixtures' clock, and fakes where the app would reach the network (the
// certificate fetcher, the Ut transport). Everything else is the app's own code
// over the real library.

package org.callscreen.demo.android

import android.os.Looper
import java.io.File
import java.util.Collections
import java.util.concurrent.atomic.AtomicInteger
import org.callscreen.CallScreener
import org.callscreen.CallScreenerInterface
import org.callscreen.CertificateSource
import org.callscreen.ScreenerConfig
import org.callscreen.UtRequest
import org.callscreen.UtResponse
import org.callscreen.UtTransport
import org.callscreen.demo.Clock
import org.callscreen.demo.ScreeningBudget
import org.callscreen.demo.cert.CertificateFetchException
import org.callscreen.demo.cert.ChainFetcher

const val NOW = 1795348800L // 2026-11-22T12:00:00Z, the fixtures' clock

val REPO = File(System.getProperty("callscreen.repo") ?: "../..")

class TestApp : DemoApp() {
    /** Per-test settings (a new TestApp is made for each test). */
    object Setup {
        /** Open with the app's real asset lookup: there is no sti-ca-roots.pem, so open fails. */
        @Volatile var missingTrustAnchors = false
        @Volatile var budgetMillis = ScreeningBudget.DEFAULT_MILLIS
        /** Added to every screen (a slow screener). */
        @Volatile var screenDelayMillis = 0L
        /** HTTP status the fake Ut server answers. */
        @Volatile var utStatus = 201
        /** URLs the fake fetcher fails for. */
        val unreachable: MutableSet<String> = Collections.synchronizedSet(mutableSetOf<String>())

        fun reset() {
            missingTrustAnchors = false
            budgetMillis = ScreeningBudget.DEFAULT_MILLIS
            screenDelayMillis = 0
            utStatus = 201
            unreachable.clear()
            Seen.reset()
        }
    }

    /** What the fakes and the screener saw. */
    object Seen {
        val opens = AtomicInteger()
        val screenerCallsOnMain = AtomicInteger()
        val screenerCalls = AtomicInteger()
        val fetched: MutableList<String> = Collections.synchronizedList(mutableListOf<String>())
        val utRequests: MutableList<UtRequest> = Collections.synchronizedList(mutableListOf<UtRequest>())

        fun reset() {
            opens.set(0)
            screenerCallsOnMain.set(0)
            screenerCalls.set(0)
            fetched.clear()
            utRequests.clear()
        }

        fun call() {
            screenerCalls.incrementAndGet()
            if (Looper.myLooper() == Looper.getMainLooper()) screenerCallsOnMain.incrementAndGet()
        }
    }

    override val clock: Clock get() = Clock { NOW }

    override val budgetMillis: Long get() = Setup.budgetMillis

    override fun trustAnchorsPem(): List<String> {
        Seen.opens.incrementAndGet() // the first step of every open attempt
        return if (Setup.missingTrustAnchors) super.trustAnchorsPem() else listOf(File(REPO, "tests/data/pki/sti-ca-root.pem").readText())
    }

    override fun open(config: ScreenerConfig, source: CertificateSource?): CallScreenerInterface {
        Seen.call()
        return WatchedScreener(CallScreener.openAtTime(config, source, NOW))
    }

    /** Serves https://certs.example.org/<name> from tests/data/certs/. */
    override fun certificateFetcher(): ChainFetcher = ChainFetcher { url ->
        Seen.fetched += url
        if (url in Setup.unreachable) throw CertificateFetchException("unreachable")
        File(REPO, "tests/data/certs/" + url.removePrefix("https://certs.example.org/")).readBytes()
    }

    override fun utTransport(): UtTransport = object : UtTransport {
        override fun send(request: UtRequest): UtResponse {
            Seen.utRequests += request
            return UtResponse(Setup.utStatus.toUShort(), emptyList(), ByteArray(0))
        }
    }
}
