// Fetches the certificate chain an x5u URL names (RFC 8225 §5.1.1, ATIS-1000074:
// https only), for a URL the screener put in cert_needed. Never called while
// a call is being screened. A fresh cached chain is answered without network;
// otherwise one GET with short timeouts, no redirects, at most 64 KiB, status
// 200, then cached for the response's Cache-Control max-age.

package org.callscreen.demo.cert

import java.io.IOException
import java.net.URI
import javax.net.ssl.HttpsURLConnection
import javax.net.ssl.SSLSocketFactory
import org.callscreen.demo.Clock
import org.callscreen.demo.readAtMost

class CertificateFetchException(message: String) : Exception(message)

/** Fetches the chain behind an `x5u` URL (the app's background refresh uses it). */
fun interface ChainFetcher {
    /** @throws CertificateFetchException when the URL is refused or the fetch fails. */
    fun chain(x5u: String): ByteArray
}

class HttpsCertificateFetcher(
    private val cache: CertificateDiskCache,
    private val clock: Clock = Clock.SYSTEM,
    /** null: the platform's trust store. Tests pass one that trusts their own server. */
    private val sslSocketFactory: SSLSocketFactory? = null,
    /** Where to connect for a URL (identity in the app; tests point it at a local server). */
    private val route: (URI) -> URI = { it },
    private val connectTimeoutMillis: Int = 3_000,
    private val readTimeoutMillis: Int = 5_000,
    /** Freshness when the server sends no max-age. */
    private val defaultMaxAgeSecs: Long = 86_400,
) : ChainFetcher {
    /** Counts real network fetches (the cache's hits are not fetches). */
    @Volatile var networkFetches = 0
        private set

    /** The chain for `x5u`, from the cache when fresh, else from the network.
     *  @throws CertificateFetchException when the URL is refused or the fetch fails. */
    override fun chain(x5u: String): ByteArray {
        val uri = httpsUri(x5u)
        cached(x5u)?.let { return it }
        val (chain, maxAge) = fetch(route(uri))
        if (maxAge != null && maxAge > 0) {
            try {
                cache.put(x5u, chain, maxAge)
            } catch (_: IOException) {
                // An unwritable cache costs a fetch next time, nothing else.
            }
        }
        return chain
    }

    private fun cached(x5u: String): ByteArray? = try {
        cache.fresh(x5u)
    } catch (_: IOException) {
        null // damaged: fetch again and overwrite it
    }

    private fun httpsUri(x5u: String): URI {
        val uri = try {
            URI(x5u)
        } catch (e: Exception) {
            throw CertificateFetchException("not a URL")
        }
        if (!uri.scheme.equals("https", ignoreCase = true) || uri.host == null) {
            throw CertificateFetchException("x5u must be an https URL")
        }
        if (uri.rawUserInfo != null) throw CertificateFetchException("x5u with user info")
        return uri
    }

    /** The body and its max-age (null: do not cache). */
    private fun fetch(uri: URI): Pair<ByteArray, Long?> {
        if (!uri.scheme.equals("https", ignoreCase = true)) throw CertificateFetchException("x5u must be an https URL")
        networkFetches++
        val c = try {
            uri.toURL().openConnection() as HttpsURLConnection
        } catch (e: IOException) {
            throw CertificateFetchException("cannot open connection: ${e.javaClass.simpleName}")
        }
        try {
            sslSocketFactory?.let { c.sslSocketFactory = it }
            c.connectTimeout = connectTimeoutMillis
            c.readTimeout = readTimeoutMillis
            c.instanceFollowRedirects = false
            c.useCaches = false
            c.setRequestProperty("Accept", "application/pem-certificate-chain, application/pkix-cert")
            val status = c.responseCode
            if (status != 200) throw CertificateFetchException("HTTP $status")
            val declared = c.contentLengthLong
            if (declared > MAX_CHAIN_BYTES) throw CertificateFetchException("chain over $MAX_CHAIN_BYTES bytes")
            val body = c.inputStream.use { it.readAtMost(MAX_CHAIN_BYTES) }
                ?: throw CertificateFetchException("chain over $MAX_CHAIN_BYTES bytes")
            if (body.isEmpty()) throw CertificateFetchException("empty chain")
            return body to maxAge(c.getHeaderField("Cache-Control"))
        } catch (e: IOException) {
            throw CertificateFetchException("fetch failed: ${e.javaClass.simpleName}")
        } finally {
            c.disconnect()
        }
    }

    /** Seconds to keep the response: max-age, 0 for no-store/no-cache, the default when absent. */
    internal fun maxAge(cacheControl: String?): Long? {
        if (cacheControl == null) return defaultMaxAgeSecs
        var maxAge: Long? = defaultMaxAgeSecs
        for (directive in cacheControl.split(',').map { it.trim().lowercase() }) {
            when {
                directive == "no-store" || directive == "no-cache" -> return null
                directive.startsWith("max-age=") ->
                    maxAge = directive.removePrefix("max-age=").trim('"').toLongOrNull()?.coerceAtLeast(0)
            }
        }
        return maxAge
    }

    companion object {
        /** The core's own limit for add_certificate and a CertificateSource answer. */
        const val MAX_CHAIN_BYTES = 64 * 1024
    }
}
