// The app's side of "no network in the core": screen, and when the verdict names
// certificates in cert_needed, fetch each (cache first), hand it to the screener
// with addCertificate, and screen again. Runs after the call was answered or in
// a SIP app's own pipeline, never inside CallScreeningService's budget.

package org.callscreen.demo.cert

import org.callscreen.CallScreenException
import org.callscreen.CallScreenerInterface
import org.callscreen.Verdict

/** What happened: the verdicts before and after, and each URL's fate. */
data class Refreshed(
    val first: Verdict,
    val verdict: Verdict,
    val added: List<String>,
    val failed: Map<String, String>,
)

class CertificateRefresh(private val screener: CallScreenerInterface, private val fetcher: ChainFetcher) {
    fun screenSip(invite: String): Refreshed {
        val first = screener.screenSip(invite)
        val needed = first.verification.certNeeded
        if (needed.isEmpty()) return Refreshed(first, first, emptyList(), emptyMap())
        val added = mutableListOf<String>()
        val failed = linkedMapOf<String, String>()
        for (url in needed) {
            try {
                screener.addCertificate(url, fetcher.chain(url))
                added += url
            } catch (e: CertificateFetchException) {
                failed[url] = e.message ?: "fetch failed"
            } catch (e: CallScreenException.InvalidInput) {
                failed[url] = "refused by the screener: ${e.reason}"
            }
        }
        val verdict = if (added.isEmpty()) first else screener.screenSip(invite)
        return Refreshed(first, verdict, added, failed)
    }
}

/** One background run over URLs a verdict named in cert_needed: what the app's refresh job does. */
data class FetchRun(val added: List<String>, val failed: Map<String, String>, val retry: Boolean)

object CertificateFetchRun {
    /** Fetch each URL and hand its chain to the screener. `retry` when a fetch failed
     *  (network or server); a chain the screener refuses is not retried. */
    fun run(screener: CallScreenerInterface, fetcher: ChainFetcher, urls: List<String>): FetchRun {
        val added = mutableListOf<String>()
        val failed = linkedMapOf<String, String>()
        var retry = false
        for (url in urls) {
            try {
                screener.addCertificate(url, fetcher.chain(url))
                added += url
            } catch (e: CertificateFetchException) {
                failed[url] = e.message ?: "fetch failed"
                retry = true
            } catch (e: CallScreenException) {
                failed[url] = "refused by the screener (${e.javaClass.simpleName})"
            }
        }
        return FetchRun(added, failed, retry)
    }
}
