// Fetches the certificate chain an x5u URL names (RFC 8225 §5.1.1,
// ATIS-1000074: https only), for a URL the screener put in cert_needed. Never
// called while a call is being screened. A fresh cached chain is answered
// without network; otherwise one GET with short timeouts, no redirects, at most
// 64 KiB (the core's own limit for addCertificate), status 200, then cached for
// the response's Cache-Control max-age. Mirrors HttpsCertificateFetcher.kt.

import Foundation

public struct CertificateFetchError: Error, Equatable {
    public let reason: String
}

public final class CertificateFetcher {
    /// The core's own limit for addCertificate and a CertificateSource answer.
    public static let maxChainBytes = 64 * 1024

    private let cache: CertificateDiskCache
    private let configuration: URLSessionConfiguration
    private let timeout: TimeInterval
    private let defaultMaxAgeSecs: Int64
    private let lock = NSLock()
    private var fetches = 0

    /// - Parameters:
    ///   - configuration: `.ephemeral` in the app; tests add a URLProtocol stub.
    ///   - defaultMaxAgeSecs: freshness when the server sends no max-age.
    public init(cache: CertificateDiskCache, configuration: URLSessionConfiguration = .ephemeral,
                timeout: TimeInterval = 5, defaultMaxAgeSecs: Int64 = 86_400) {
        let c = (configuration.copy() as? URLSessionConfiguration) ?? configuration
        c.urlCache = nil
        c.requestCachePolicy = .reloadIgnoringLocalCacheData
        c.urlCredentialStorage = nil
        c.httpShouldSetCookies = false
        c.timeoutIntervalForRequest = timeout
        c.timeoutIntervalForResource = timeout * 2
        self.cache = cache
        self.configuration = c
        self.timeout = timeout
        self.defaultMaxAgeSecs = defaultMaxAgeSecs
    }

    /// Counts real network fetches (the cache's hits are not fetches).
    public var networkFetches: Int {
        lock.lock()
        defer { lock.unlock() }
        return fetches
    }

    /// The chain for `x5u`, from the cache when fresh, else from the network.
    /// Throws CertificateFetchError when the URL is refused or the fetch fails.
    public func chain(x5u: String) throws -> Data {
        let url = try Self.httpsURL(x5u)
        if let hit = try? cache.fresh(x5u) { return hit } // a damaged entry is fetched again
        let (chain, maxAge) = try fetch(url)
        if let maxAge, maxAge > 0 {
            try? cache.put(x5u, chain: chain, maxAgeSecs: maxAge) // an unwritable cache costs a fetch next time
        }
        return chain
    }

    static func httpsURL(_ x5u: String) throws -> URL {
        guard let url = URL(string: x5u), let scheme = url.scheme else { throw CertificateFetchError(reason: "not a URL") }
        guard scheme.lowercased() == "https", let host = url.host, !host.isEmpty else {
            throw CertificateFetchError(reason: "x5u must be an https URL")
        }
        guard url.user == nil, url.password == nil else { throw CertificateFetchError(reason: "x5u with user info") }
        return url
    }

    /// The body and its max-age (nil: do not cache).
    private func fetch(_ url: URL) throws -> (Data, Int64?) {
        lock.lock()
        fetches += 1
        lock.unlock()
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "GET"
        request.setValue("application/pem-certificate-chain, application/pkix-cert", forHTTPHeaderField: "Accept")
        let reply: HTTPSReply
        do {
            reply = try HTTPSExchange.perform(request, configuration: configuration, limit: Self.maxChainBytes)
        } catch HTTPSExchangeError.tooLarge {
            throw CertificateFetchError(reason: "chain over \(Self.maxChainBytes) bytes")
        } catch HTTPSExchangeError.timedOut {
            throw CertificateFetchError(reason: "fetch failed: timed out")
        } catch HTTPSExchangeError.unreachable(let why) {
            throw CertificateFetchError(reason: "fetch failed: \(why)")
        } catch {
            throw CertificateFetchError(reason: "fetch failed")
        }
        guard reply.status == 200 else { throw CertificateFetchError(reason: "HTTP \(reply.status)") }
        guard !reply.body.isEmpty else { throw CertificateFetchError(reason: "empty chain") }
        return (reply.body, Self.maxAge(cacheControl: reply.header("Cache-Control"), defaultSecs: defaultMaxAgeSecs))
    }

    /// Seconds to keep the response: max-age; nil (do not cache) for no-store
    /// or no-cache; the default when there is no Cache-Control or no max-age.
    public static func maxAge(cacheControl: String?, defaultSecs: Int64) -> Int64? {
        guard let cacheControl else { return defaultSecs }
        var maxAge: Int64? = defaultSecs
        for raw in cacheControl.split(separator: ",") {
            let directive = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if directive == "no-store" || directive == "no-cache" { return nil }
            if directive.hasPrefix("max-age=") {
                let value = directive.dropFirst("max-age=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                maxAge = Int64(value).map { max($0, 0) }
            }
        }
        return maxAge
    }
}
