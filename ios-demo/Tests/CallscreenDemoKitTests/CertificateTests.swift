// The certificate side of "no network in the core": disk cache, max-age, the
// 64 KiB limit, https only, and fetch → addCertificate → re-screen. Mirrors
// core-jvm's CertificateTests.kt, with URLSession answered by StubURLProtocol.

import CallScreen
@testable import CallscreenDemoKit
import XCTest

final class CertificateTests: XCTestCase {
    private func fetcher(_ cache: CertificateDiskCache) -> CertificateFetcher {
        CertificateFetcher(cache: cache, configuration: StubURLProtocol.configuration())
    }

    private func serve(_ name: String, cacheControl: String? = "max-age=3600") throws {
        let chain = try Fixtures.cert(name)
        StubURLProtocol.answer = { _ in
            var a = StubURLProtocol.Answer(body: chain)
            if let cacheControl { a.headers["Cache-Control"] = cacheControl }
            return a
        }
    }

    func testFetchThenAnswerFromTheDiskCache() throws {
        let dir = try Fixtures.tempDir()
        let clock = ManualWallClock(NOW)
        try serve("sp-leaf.pem")
        let f = fetcher(try CertificateDiskCache(dir: dir, clock: clock))
        XCTAssertEqual(try f.chain(x5u: SP_LEAF_URL), try Fixtures.cert("sp-leaf.pem"))
        _ = try f.chain(x5u: SP_LEAF_URL)
        XCTAssertEqual(StubURLProtocol.requests.count, 1)
        XCTAssertEqual(StubURLProtocol.requests.first?.request.value(forHTTPHeaderField: "Accept"),
                       "application/pem-certificate-chain, application/pkix-cert")

        // A new process: the cache on disk answers, no request.
        let again = fetcher(try CertificateDiskCache(dir: dir, clock: clock))
        XCTAssertEqual(try again.chain(x5u: SP_LEAF_URL), try Fixtures.cert("sp-leaf.pem"))
        XCTAssertEqual(again.networkFetches, 0)
        let source = CachedCertificateSource(cache: try CertificateDiskCache(dir: dir, clock: clock))
        XCTAssertEqual(try source.lookup(x5u: SP_LEAF_URL), try Fixtures.cert("sp-leaf.pem"))
        XCTAssertNil(try source.lookup(x5u: MISSING_URL))
    }

    func testMaxAgeIsHonoured() throws {
        let clock = ManualWallClock(NOW)
        let cache = try CertificateDiskCache(dir: try Fixtures.tempDir(), clock: clock)
        try serve("sp-leaf.pem", cacheControl: "public, max-age=600")
        let f = fetcher(cache)
        _ = try f.chain(x5u: SP_LEAF_URL)
        clock.advance(599)
        _ = try f.chain(x5u: SP_LEAF_URL)
        XCTAssertEqual(f.networkFetches, 1)
        XCTAssertNotNil(try CachedCertificateSource(cache: cache).lookup(x5u: SP_LEAF_URL))
        clock.advance(1)
        XCTAssertNil(try CachedCertificateSource(cache: cache).lookup(x5u: SP_LEAF_URL))
        _ = try f.chain(x5u: SP_LEAF_URL)
        XCTAssertEqual(f.networkFetches, 2)
    }

    func testCacheControlParsing() {
        XCTAssertEqual(CertificateFetcher.maxAge(cacheControl: nil, defaultSecs: 86_400), 86_400)
        XCTAssertEqual(CertificateFetcher.maxAge(cacheControl: "public", defaultSecs: 86_400), 86_400)
        XCTAssertEqual(CertificateFetcher.maxAge(cacheControl: "public, Max-Age=\"120\"", defaultSecs: 1), 120)
        XCTAssertEqual(CertificateFetcher.maxAge(cacheControl: "max-age=-5", defaultSecs: 1), 0)
        XCTAssertNil(CertificateFetcher.maxAge(cacheControl: "max-age=60, no-store", defaultSecs: 1))
        XCTAssertNil(CertificateFetcher.maxAge(cacheControl: "no-cache", defaultSecs: 1))
    }

    func testNoStoreIsNotCached() throws {
        let cache = try CertificateDiskCache(dir: try Fixtures.tempDir(), clock: ManualWallClock(NOW))
        try serve("sp-leaf.pem", cacheControl: "no-store")
        let f = fetcher(cache)
        _ = try f.chain(x5u: SP_LEAF_URL)
        _ = try f.chain(x5u: SP_LEAF_URL)
        XCTAssertEqual(f.networkFetches, 2)
        XCTAssertNil(try cache.entry(SP_LEAF_URL))
    }

    func testAChainOver64KiBIsRefusedDeclaredOrNot() throws {
        let cache = try CertificateDiskCache(dir: try Fixtures.tempDir(), clock: ManualWallClock(NOW))
        let limit = CertificateFetcher.maxChainBytes
        for declared in [true, false] {
            let body = Data(repeating: 0x41, count: limit + 1)
            StubURLProtocol.answer = { _ in
                StubURLProtocol.Answer(headers: declared ? ["Content-Length": "\(limit + 1)"] : [:], body: body)
            }
            XCTAssertThrowsError(try fetcher(cache).chain(x5u: "https://certs.example.org/big.pem")) { e in
                XCTAssertTrue((e as? CertificateFetchError)?.reason.contains("\(limit)") ?? false, "\(e)")
            }
            XCTAssertNil(try cache.entry("https://certs.example.org/big.pem"))
        }
        StubURLProtocol.answer = { _ in StubURLProtocol.Answer(body: Data(repeating: 0x41, count: limit)) }
        XCTAssertEqual(try fetcher(cache).chain(x5u: "https://certs.example.org/edge.pem").count, limit)
    }

    func testOnlyHttpsWithoutUserInfoIsFetched() throws {
        let cache = try CertificateDiskCache(dir: try Fixtures.tempDir(), clock: ManualWallClock(NOW))
        try serve("sp-leaf.pem")
        for url in ["http://certs.example.org/sp-leaf.pem", "ftp://certs.example.org/x", "not a url",
                    "https://user:pw@certs.example.org/sp-leaf.pem", "https:///no-host"] {
            XCTAssertThrowsError(try fetcher(cache).chain(x5u: url), url)
        }
        XCTAssertEqual(StubURLProtocol.requests.count, 0)
        StubURLProtocol.answer = { _ in StubURLProtocol.Answer(status: 404) }
        XCTAssertThrowsError(try fetcher(cache).chain(x5u: SP_LEAF_URL)) { e in
            XCTAssertEqual(e as? CertificateFetchError, CertificateFetchError(reason: "HTTP 404"))
        }
        StubURLProtocol.answer = { _ in StubURLProtocol.Answer(error: URLError(.secureConnectionFailed)) }
        XCTAssertThrowsError(try fetcher(cache).chain(x5u: SP_LEAF_URL))
    }

    func testADamagedCacheEntryIsStorageForTheCoreAndRefetched() throws {
        let cache = try CertificateDiskCache(dir: try Fixtures.tempDir(), clock: ManualWallClock(NOW))
        try Data("garbage".utf8).write(to: cache.fileFor(SP_LEAF_URL))
        XCTAssertThrowsError(try CachedCertificateSource(cache: cache).lookup(x5u: SP_LEAF_URL)) { e in
            guard case CallScreenError.Storage = e else { return XCTFail("\(e)") }
        }
        try serve("sp-leaf.pem")
        XCTAssertEqual(try fetcher(cache).chain(x5u: SP_LEAF_URL), try Fixtures.cert("sp-leaf.pem"))
        XCTAssertNotNil(try cache.entry(SP_LEAF_URL))
    }

    func testFetchAddCertificateRescreenTurnsCertUnavailableIntoAPass() throws {
        let cache = try CertificateDiskCache(dir: try Fixtures.tempDir(), clock: ManualWallClock(NOW))
        let s = try Fixtures.screener(source: CachedCertificateSource(cache: cache))
        defer { try? s.shutdown() }
        try serve("sp-leaf.pem")
        let r = try CertificateRefresh(screener: s, fetcher: fetcher(cache)).screenSip(try Fixtures.invite("01-good-attest-a.sip"))
        XCTAssertEqual(r.first.verification.status, .failed)
        XCTAssertTrue(codes(r.first).contains("cert_unavailable"), "\(codes(r.first))")
        XCTAssertEqual(r.first.verification.certNeeded, [SP_LEAF_URL])
        XCTAssertEqual(r.added, [SP_LEAF_URL])
        XCTAssertTrue(r.failed.isEmpty)
        XCTAssertEqual(r.verdict.verification.status, .passed)
        XCTAssertEqual(r.verdict.indication, .verified)
        XCTAssertEqual(StubURLProtocol.requests.first?.request.url?.absoluteString, SP_LEAF_URL)
    }
}
