// The UtTransport the outbox delivers through: one XCAP request over HTTPS to
// the operator's Ut root (TS 24.623), Digest challenges answered by URLSession
// with the subscriber's credentials. Any HTTP answer is returned as it is (a
// 503 is the core's to classify); only a missing answer is an error: Timeout,
// Unreachable, or Other. Called by CallScreener.deliverOutbox on the thread
// that called it: never the main thread. Mirrors HttpsUtTransport.kt.

import CallScreen
import Foundation

public final class HttpsUtTransport: UtTransport, @unchecked Sendable {
    // @unchecked: every stored property is immutable after init.
    public static let maxResponseBytes = 256 * 1024

    /// The XCAP root, e.g. `https://xcap.ims.mnc001.mcc001.pub.3gppnetwork.org/`.
    public let root: URL
    private let rootPath: String
    private let credential: URLCredential?
    private let configuration: URLSessionConfiguration
    private let timeout: TimeInterval

    public struct NotHTTPS: Error {}

    /// - Parameters:
    ///   - configuration: `.ephemeral` in the app; tests add a URLProtocol stub.
    public init(root: URL, credentials: UtCredentials? = nil,
                configuration: URLSessionConfiguration = .ephemeral, timeout: TimeInterval = 20) throws {
        guard root.scheme?.lowercased() == "https", root.host != nil,
              let withSlash = URL(string: root.absoluteString.hasSuffix("/") ? root.absoluteString : root.absoluteString + "/")
        else { throw NotHTTPS() }
        self.root = withSlash
        rootPath = withSlash.path.hasSuffix("/") ? withSlash.path : withSlash.path + "/"
        credential = credentials?.urlCredential
        let c = (configuration.copy() as? URLSessionConfiguration) ?? configuration
        c.urlCache = nil
        c.requestCachePolicy = .reloadIgnoringLocalCacheData
        c.urlCredentialStorage = nil // only the credential given here, only for Digest
        c.httpShouldSetCookies = false
        c.timeoutIntervalForRequest = timeout
        c.timeoutIntervalForResource = timeout * 2
        self.configuration = c
        self.timeout = timeout
    }

    public func send(request: UtRequest) throws -> UtResponse {
        guard let target = target(of: request.path) else {
            throw UtTransportError.Other(reason: "path leaves the Ut root")
        }
        var r = URLRequest(url: target, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        r.httpMethod = Self.method(request.method)
        for h in request.headers { r.addValue(h.value, forHTTPHeaderField: h.name) }
        if !request.body.isEmpty { r.httpBody = request.body }
        do {
            let reply = try HTTPSExchange.perform(r, configuration: configuration, limit: Self.maxResponseBytes,
                                                  credential: credential)
            return UtResponse(status: UInt16(clamping: reply.status),
                              headers: reply.headers.map { UtHeader(name: $0.name, value: $0.value) },
                              body: reply.body)
        } catch HTTPSExchangeError.timedOut {
            throw UtTransportError.Timeout(reason: "no answer in time")
        } catch HTTPSExchangeError.unreachable(let why) {
            throw UtTransportError.Unreachable(reason: why)
        } catch HTTPSExchangeError.tooLarge(let limit) {
            throw UtTransportError.Other(reason: "response over \(limit) bytes")
        } catch {
            throw UtTransportError.Other(reason: String(describing: type(of: error)))
        }
    }

    /// The request's path resolved under the root; nil when it would leave it
    /// (another scheme, host or port, or `..` above the root's path).
    func target(of path: String) -> URL? {
        // "./" first, so a first segment with a colon is never read as a scheme.
        let relative = "./" + (path.hasPrefix("/") ? String(path.dropFirst()) : path)
        guard let url = URL(string: relative, relativeTo: root)?.absoluteURL.standardized,
              url.scheme?.lowercased() == "https", url.host == root.host, url.port == root.port,
              (url.path + "/").hasPrefix(rootPath) else { return nil }
        return url
    }

    static func method(_ m: UtMethod) -> String {
        switch m {
        case .get: return "GET"
        case .put: return "PUT"
        case .post: return "POST"
        case .delete: return "DELETE"
        }
    }
}
