// The CertificateSource the screener calls while a call rings: a lookup in the
// disk cache, nothing else (no network: DESIGN.md). A fresh entry is returned,
// a stale or missing one is null (the core names its URL in cert_needed). A
// damaged cache is reported as CallScreenException.Storage, the error type of
// this foreign trait, which the core turns into cert_unavailable; no other
// exception leaves this method.

package org.callscreen.demo.cert

import org.callscreen.CallScreenException
import org.callscreen.CertificateSource

class CachedCertificateSource(private val cache: CertificateDiskCache) : CertificateSource {
    override fun lookup(x5u: String): ByteArray? = try {
        cache.fresh(x5u)
    } catch (e: Exception) {
        // Only the exception's class: its message may hold paths.
        throw CallScreenException.Storage("certificate cache unreadable (${e.javaClass.simpleName})")
    }
}
