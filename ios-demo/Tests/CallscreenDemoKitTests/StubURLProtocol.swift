// Answers URLSession requests in-process, so the HTTPS clients can be tested
// without a server: each test sets `answer`; every request is recorded, body
// included. (URLSession's own Digest exchange cannot be driven through a
// URLProtocol: DigestChallenge's decision is tested on its own.)

import Foundation

final class StubURLProtocol: URLProtocol {
    struct Answer {
        var status = 200
        var headers: [String: String] = [:]
        var body = Data()
        var error: URLError?
    }

    private static let lock = NSLock()
    private static var _answer: (URLRequest) -> Answer = { _ in Answer() }
    private static var _requests: [(request: URLRequest, body: Data)] = []

    static var answer: (URLRequest) -> Answer {
        get { lock.lock(); defer { lock.unlock() }; return _answer }
        set { lock.lock(); _answer = newValue; _requests = []; lock.unlock() }
    }

    static var requests: [(request: URLRequest, body: Data)] {
        lock.lock()
        defer { lock.unlock() }
        return _requests
    }

    static func configuration() -> URLSessionConfiguration {
        let c = URLSessionConfiguration.ephemeral
        c.protocolClasses = [StubURLProtocol.self]
        return c
    }

    override class func canInit(with request: URLRequest) -> Bool { true }
    override class func canonicalRequest(for request: URLRequest) -> URLRequest { request }

    override func startLoading() {
        let body = request.httpBody ?? Self.read(request.httpBodyStream)
        Self.lock.lock()
        Self._requests.append((request, body))
        let answer = Self._answer(request)
        Self.lock.unlock()
        if let error = answer.error {
            client?.urlProtocol(self, didFailWithError: error)
            return
        }
        let response = HTTPURLResponse(url: request.url!, statusCode: answer.status, httpVersion: "HTTP/1.1",
                                       headerFields: answer.headers)!
        client?.urlProtocol(self, didReceive: response, cacheStoragePolicy: .notAllowed)
        if !answer.body.isEmpty { client?.urlProtocol(self, didLoad: answer.body) }
        client?.urlProtocolDidFinishLoading(self)
    }

    override func stopLoading() {}

    private static func read(_ stream: InputStream?) -> Data {
        guard let stream else { return Data() }
        stream.open()
        defer { stream.close() }
        var data = Data()
        var buf = [UInt8](repeating: 0, count: 8192)
        while stream.hasBytesAvailable {
            let n = stream.read(&buf, maxLength: buf.count)
            if n <= 0 { break }
            data.append(buf, count: n)
        }
        return data
    }
}
