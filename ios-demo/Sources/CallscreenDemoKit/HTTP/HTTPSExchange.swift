// One synchronous HTTPS request over URLSession, for the two places the app
// talks to the network on the core's behalf: fetching a certificate named in
// cert_needed, and Ut/XCAP requests from the outbox (the core itself never
// touches the network). No redirect is followed (a 3xx is the answer), the
// body is read up to a limit (past it the transfer is cancelled), and HTTP
// Digest challenges are answered by URLSession's authentication handling with
// the credential given (DigestChallenge decides). Blocks the calling thread:
// call it from a background queue, never the main thread.

import Foundation

public struct HTTPHeader: Equatable {
    public let name: String
    public let value: String
}

public struct HTTPSReply: Equatable {
    public let status: Int
    public let headers: [HTTPHeader]
    public let body: Data

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

public enum HTTPSExchangeError: Error, Equatable {
    /// The URL is not https.
    case notHTTPS
    /// No answer in time.
    case timedOut
    /// No answer at all (DNS, TLS, connection); the URLError's code.
    case unreachable(String)
    /// The body is over the limit.
    case tooLarge(limit: Int)
}

public final class HTTPSExchange: NSObject, URLSessionDataDelegate {
    private let limit: Int
    private let credential: URLCredential?
    private let done = DispatchSemaphore(value: 0)
    private var response: HTTPURLResponse?
    private var body = Data()
    private var overLimit = false
    private var failure: Error?

    private init(limit: Int, credential: URLCredential?) {
        self.limit = limit
        self.credential = credential
    }

    /// Sends `request` and waits for the whole answer.
    /// - Parameters:
    ///   - configuration: `.ephemeral` in the app; tests add a URLProtocol stub.
    ///   - limit: the most body bytes accepted.
    ///   - credential: answers Digest challenges (nil: a 401 is returned as it is).
    public static func perform(_ request: URLRequest, configuration: URLSessionConfiguration,
                               limit: Int, credential: URLCredential? = nil) throws -> HTTPSReply {
        guard request.url?.scheme?.lowercased() == "https" else { throw HTTPSExchangeError.notHTTPS }
        let exchange = HTTPSExchange(limit: limit, credential: credential)
        let session = URLSession(configuration: configuration, delegate: exchange, delegateQueue: nil)
        session.dataTask(with: request).resume()
        exchange.done.wait()
        session.finishTasksAndInvalidate() // releases the delegate
        return try exchange.result()
    }

    private func result() throws -> HTTPSReply {
        if overLimit { throw HTTPSExchangeError.tooLarge(limit: limit) }
        if let e = failure as? URLError {
            throw e.code == .timedOut ? HTTPSExchangeError.timedOut : HTTPSExchangeError.unreachable("URLError \(e.code.rawValue)")
        }
        if let e = failure { throw HTTPSExchangeError.unreachable(String(describing: type(of: e))) }
        guard let http = response else { throw HTTPSExchangeError.unreachable("no HTTP response") }
        let headers = http.allHeaderFields.map { HTTPHeader(name: "\($0.key)", value: "\($0.value)") }
        return HTTPSReply(status: http.statusCode, headers: headers, body: body)
    }

    // MARK: URLSessionDataDelegate (called on the session's serial delegate queue)

    public func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                           completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        if response.expectedContentLength > Int64(limit) {
            overLimit = true
            completionHandler(.cancel)
            return
        }
        self.response = response as? HTTPURLResponse
        body = Data()
        completionHandler(.allow)
    }

    public func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        if body.count + data.count > limit {
            overLimit = true
            dataTask.cancel()
            return
        }
        body.append(data)
    }

    public func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                           newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil) // the 3xx itself is the answer
    }

    public func urlSession(_ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
                           completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
        switch DigestChallenge.answer(method: challenge.protectionSpace.authenticationMethod,
                                      previousFailures: challenge.previousFailureCount,
                                      haveCredential: credential != nil) {
        case .useCredential: completionHandler(.useCredential, credential)
        case .defaultHandling: completionHandler(.performDefaultHandling, nil)
        }
    }

    public func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if !overLimit { failure = error }
        done.signal()
    }
}
