// HttpsCertificateFetcher, its disk cache, the CertificateSource over the cache,
// and fetch → add → re-screen against the fixtures, over real TLS.

package org.callscreen.demo.test

import org.callscreen.CallScreenException
import org.callscreen.Indication
import org.callscreen.VerificationStatus
import org.callscreen.demo.ManualClock
import org.callscreen.demo.cert.CachedCertificateSource
import org.callscreen.demo.cert.CertificateDiskCache
import org.callscreen.demo.cert.CertificateFetchException
import org.callscreen.demo.cert.CertificateRefresh
import org.callscreen.demo.cert.HttpsCertificateFetcher

fun certificateTests(fx: Fixtures, tls: TestTls) = Suite("cert").apply {
    fun serveLeaf(server: LocalHttps, cacheControl: String?) = server.on("/sp-leaf.pem") { ex ->
        LocalHttps.respond(ex, 200, fx.cert("sp-leaf.pem"), listOfNotNull(cacheControl?.let { "Cache-Control" to it }).toMap())
    }

    fun fetcher(server: LocalHttps, cache: CertificateDiskCache, clock: ManualClock) =
        HttpsCertificateFetcher(cache, clock, tls.clientTrust, server::route)

    test("fetch, then answer from the disk cache with the server stopped") {
        val clock = ManualClock(NOW)
        val dir = fx.tempDir("certcache")
        val server = LocalHttps(tls)
        serveLeaf(server, "public, max-age=600")
        val f = fetcher(server, CertificateDiskCache(dir, clock), clock)
        expect(f.chain(SP_LEAF_URL).contentEquals(fx.cert("sp-leaf.pem"))) { "chain differs" }
        f.chain(SP_LEAF_URL)
        expectEqual(1, server.requests("/sp-leaf.pem"), "network fetches")
        server.close()
        // A new fetcher (the app restarted) on the same directory, no server.
        val again = fetcher(server, CertificateDiskCache(dir, clock), clock)
        expect(again.chain(SP_LEAF_URL).contentEquals(fx.cert("sp-leaf.pem"))) { "cached chain differs" }
        expectEqual(0, again.networkFetches, "fetches after restart")
        val source = CachedCertificateSource(CertificateDiskCache(dir, clock))
        expect(source.lookup(SP_LEAF_URL)?.contentEquals(fx.cert("sp-leaf.pem")) == true) { "source missed" }
        expectEqual(null, source.lookup(MISSING_URL), "unknown URL")
    }

    test("max-age is honoured: fresh until it expires, then fetched again") {
        val clock = ManualClock(NOW)
        LocalHttps(tls).use { server ->
            serveLeaf(server, "max-age=60")
            val cache = CertificateDiskCache(fx.tempDir("certcache"), clock)
            val f = fetcher(server, cache, clock)
            f.chain(SP_LEAF_URL)
            clock.advance(59)
            f.chain(SP_LEAF_URL)
            expectEqual(1, server.requests("/sp-leaf.pem"), "within max-age")
            expect(CachedCertificateSource(cache).lookup(SP_LEAF_URL) != null) { "fresh entry not served" }
            clock.advance(1)
            expectEqual(null, CachedCertificateSource(cache).lookup(SP_LEAF_URL), "stale entry served by the source")
            f.chain(SP_LEAF_URL)
            expectEqual(2, server.requests("/sp-leaf.pem"), "after max-age")
        }
    }

    test("no-store is not cached; a missing Cache-Control gets the default max-age") {
        val clock = ManualClock(NOW)
        LocalHttps(tls).use { server ->
            serveLeaf(server, "no-store")
            val f = fetcher(server, CertificateDiskCache(fx.tempDir("certcache"), clock), clock)
            f.chain(SP_LEAF_URL)
            f.chain(SP_LEAF_URL)
            expectEqual(2, server.requests("/sp-leaf.pem"), "no-store")
            serveLeaf(server, null)
            val g = fetcher(server, CertificateDiskCache(fx.tempDir("certcache"), clock), clock)
            g.chain(SP_LEAF_URL)
            clock.advance(86_399)
            g.chain(SP_LEAF_URL)
            expectEqual(3, server.requests("/sp-leaf.pem"), "default max-age")
        }
    }

    test("a chain over 64 KiB is refused, declared or chunked; 64 KiB exactly is accepted") {
        val clock = ManualClock(NOW)
        LocalHttps(tls).use { server ->
            val limit = HttpsCertificateFetcher.MAX_CHAIN_BYTES
            server.on("/big.pem") { LocalHttps.respond(it, 200, ByteArray(limit + 1) { 'A'.code.toByte() }) }
            server.on("/big-chunked.pem") { LocalHttps.respond(it, 200, ByteArray(limit + 1), chunked = true) }
            server.on("/edge.pem") { LocalHttps.respond(it, 200, ByteArray(limit), chunked = true) }
            val cache = CertificateDiskCache(fx.tempDir("certcache"), clock)
            val f = fetcher(server, cache, clock)
            for (name in listOf("big.pem", "big-chunked.pem")) {
                val e = expectThrows<CertificateFetchException> { f.chain("https://certs.example.org/$name") }
                expect("64" in (e.message ?: "") || "65536" in (e.message ?: "")) { "$name: ${e.message}" }
                expectEqual(null, cache.entry("https://certs.example.org/$name"), "$name cached")
            }
            expectEqual(limit, f.chain("https://certs.example.org/edge.pem").size, "64 KiB chain")
        }
    }

    test("non-https x5u is refused without a request; an untrusted server fails") {
        val clock = ManualClock(NOW)
        LocalHttps(tls).use { server ->
            serveLeaf(server, null)
            val f = fetcher(server, CertificateDiskCache(fx.tempDir("certcache"), clock), clock)
            for (url in listOf("http://certs.example.org/sp-leaf.pem", "ftp://certs.example.org/sp-leaf.pem", "sp-leaf.pem", "https://user@certs.example.org/sp-leaf.pem")) {
                expectThrows<CertificateFetchException> { f.chain(url) }
            }
            val downgraded = HttpsCertificateFetcher(CertificateDiskCache(fx.tempDir("certcache"), clock), clock, tls.clientTrust, {
                java.net.URI("http", null, "127.0.0.1", server.port, it.path, null, null)
            })
            expectThrows<CertificateFetchException> { downgraded.chain(SP_LEAF_URL) }
            expectEqual(0, server.requests("/sp-leaf.pem"), "requests for refused URLs")
            // The platform's trust store does not know the test certificate: the
            // production default checks certificates.
            val platformTrust = HttpsCertificateFetcher(CertificateDiskCache(fx.tempDir("certcache"), clock), clock, null, server::route)
            val e = expectThrows<CertificateFetchException> { platformTrust.chain(SP_LEAF_URL) }
            expect("SSL" in (e.message ?: "")) { e.message ?: "" }
        }
    }

    test("fetch → addCertificate → re-screen turns cert_unavailable into a pass") {
        val clock = ManualClock(NOW)
        val dir = fx.tempDir("certcache")
        LocalHttps(tls).use { server ->
            serveLeaf(server, "max-age=3600")
            val cache = CertificateDiskCache(dir, clock)
            fx.screener(CachedCertificateSource(cache)).use { s ->
                val r = CertificateRefresh(s, fetcher(server, cache, clock)).screenSip(fx.invite("01-good-attest-a.sip"))
                expectEqual(VerificationStatus.FAILED, r.first.verification.status, "first screen")
                expect("cert_unavailable" in codes(r.first)) { codes(r.first).toString() }
                expectEqual(listOf(SP_LEAF_URL), r.first.verification.certNeeded, "cert_needed")
                expectEqual(listOf(SP_LEAF_URL), r.added, "added")
                expectEqual(Indication.VERIFIED, r.verdict.indication, "after re-screen")
                expect(r.verdict.verification.certNeeded.isEmpty()) { r.verdict.toString() }
            }
            // A fresh screener with an empty database passes from the disk cache alone.
            server.close()
            fx.screener(CachedCertificateSource(CertificateDiskCache(dir, clock))).use { s ->
                expectEqual(Indication.VERIFIED, s.screenSip(fx.invite("01-good-attest-a.sip")).indication, "from the cache")
            }
        }
    }

    test("a URL the server does not have stays cert_unavailable, with the reason") {
        val clock = ManualClock(NOW)
        LocalHttps(tls).use { server ->
            val cache = CertificateDiskCache(fx.tempDir("certcache"), clock)
            fx.screener(CachedCertificateSource(cache)).use { s ->
                val r = CertificateRefresh(s, fetcher(server, cache, clock)).screenSip(fx.invite("19-cert-unavailable.sip"))
                expectEqual(mapOf(MISSING_URL to "HTTP 404"), r.failed, "failed")
                expect(r.added.isEmpty() && "cert_unavailable" in codes(r.verdict)) { r.verdict.toString() }
            }
        }
    }

    test("a damaged cache entry is a Storage error, and the call gets cert_unavailable") {
        val clock = ManualClock(NOW)
        val cache = CertificateDiskCache(fx.tempDir("certcache"), clock)
        cache.fileFor(SP_LEAF_URL).writeText("garbage without a header line")
        val source = CachedCertificateSource(cache)
        expectThrows<CallScreenException.Storage> { source.lookup(SP_LEAF_URL) }
        fx.screener(source).use { s ->
            val v = s.screenSip(fx.invite("01-good-attest-a.sip"))
            expect("cert_unavailable" in codes(v)) { codes(v).toString() }
            expectEqual(436, v.verification.failure?.code?.toInt(), "SIP code")
        }
    }
}
