// The app's side of "no network in the core": screen, and when the verdict names
// certificates in cert_needed, fetch each (cache first), hand it to the screener
// with addCertificate, and screen again. Runs after the call was answered or in
// a SIP app's own pipeline, never inside CallScreeningService's budget.

package org.callscreen.demo.cert

import org.callscreen.CallScreenException
import org.callscreen.CallScreener
import org.callscreen.Verdict

/** What happened: the verdicts before and after, and each URL's fate. */
data class Refreshed(
    val first: Verdict,
    val verdict: Verdict,
    val added: List<String>,
    val failed: Map<String, String>,
)

class CertificateRefresh(private val screener: CallScreener, private val fetcher: HttpsCertificateFetcher) {
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
