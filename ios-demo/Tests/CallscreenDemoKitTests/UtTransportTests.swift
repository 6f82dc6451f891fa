// Ut over HTTPS: requests stay under the XCAP root, the core's request is sent
// as it is and any HTTP answer comes back as it is, missing answers are
// Timeout/Unreachable, and Digest challenges are answered once. Mirrors
// core-jvm's UtTests.kt, with URLSession answered by StubURLProtocol.

import CallScreen
@testable import CallscreenDemoKit
import XCTest

private let ROOT = URL(string: "https://xcap.example.net/xcap-root/")!

final class UtTransportTests: XCTestCase {
    private func transport(_ root: URL = ROOT) throws -> HttpsUtTransport {
        try HttpsUtTransport(root: root, credentials: UtCredentials(username: "alice", password: "secret"),
                             configuration: StubURLProtocol.configuration(), timeout: 5)
    }

    func testPathsStayUnderTheRoot() throws {
        let t = try transport()
        XCTAssertEqual(t.target(of: "callscreen/reports")?.absoluteString, "https://xcap.example.net/xcap-root/callscreen/reports")
        XCTAssertEqual(t.target(of: "/simservs.ngn.etsi.org/users/tel%3A%2B12155551213/simservs.xml")?.absoluteString,
                       "https://xcap.example.net/xcap-root/simservs.ngn.etsi.org/users/tel%3A%2B12155551213/simservs.xml")
        XCTAssertNotNil(t.target(of: "a:b/c"), "a colon in the first segment is not a scheme")
        for escape in ["../other", "a/../../other", "/../other"] {
            XCTAssertNil(t.target(of: escape), escape)
        }
        // Read as paths under the root, never as another host.
        for path in ["//evil.example/x", "https://evil.example/x"] {
            let url = t.target(of: path)
            XCTAssertEqual(url?.host, "xcap.example.net", path)
            XCTAssertTrue(url?.path.hasPrefix("/xcap-root/") ?? false, path)
        }
        let noSlash = try transport(URL(string: "https://xcap.example.net/xcap-root")!)
        XCTAssertNil(noSlash.target(of: "../xcap-root-evil/x"))
        XCTAssertThrowsError(try HttpsUtTransport(root: URL(string: "http://xcap.example.net/")!))
    }

    func testTheRequestGoesOutAsItIsAndAnyAnswerComesBack() throws {
        StubURLProtocol.answer = { _ in
            StubURLProtocol.Answer(status: 503, headers: ["Retry-After": "120"], body: Data("busy".utf8))
        }
        let body = Data("<report/>".utf8)
        let r = try transport().send(request: UtRequest(method: .put, path: "callscreen/reports",
                                                        headers: [UtHeader(name: "Idempotency-Key", value: "k-1"),
                                                                  UtHeader(name: "Content-Type", value: "application/xml")],
                                                        body: body))
        XCTAssertEqual(r.status, 503)
        XCTAssertEqual(r.body, Data("busy".utf8))
        XCTAssertTrue(r.headers.contains { $0.name.lowercased() == "retry-after" && $0.value == "120" })
        let sent = try XCTUnwrap(StubURLProtocol.requests.first)
        XCTAssertEqual(sent.request.httpMethod, "PUT")
        XCTAssertEqual(sent.request.url?.absoluteString, "https://xcap.example.net/xcap-root/callscreen/reports")
        XCTAssertEqual(sent.request.value(forHTTPHeaderField: "Idempotency-Key"), "k-1")
        XCTAssertEqual(sent.body, body)
    }

    func testMissingAnswersAreTransportErrors() throws {
        let get = UtRequest(method: .get, path: "x", headers: [], body: Data())
        StubURLProtocol.answer = { _ in StubURLProtocol.Answer(error: URLError(.timedOut)) }
        XCTAssertThrowsError(try transport().send(request: get)) { e in
            guard case UtTransportError.Timeout = e else { return XCTFail("\(e)") }
        }
        StubURLProtocol.answer = { _ in StubURLProtocol.Answer(error: URLError(.cannotConnectToHost)) }
        XCTAssertThrowsError(try transport().send(request: get)) { e in
            guard case UtTransportError.Unreachable = e else { return XCTFail("\(e)") }
        }
        StubURLProtocol.answer = { _ in StubURLProtocol.Answer() }
        XCTAssertThrowsError(try transport().send(request: UtRequest(method: .get, path: "../x", headers: [], body: Data()))) { e in
            guard case UtTransportError.Other = e else { return XCTFail("\(e)") }
        }
        XCTAssertEqual(StubURLProtocol.requests.count, 0, "a path outside the root was requested")
        StubURLProtocol.answer = { _ in
            StubURLProtocol.Answer(body: Data(repeating: 0, count: HttpsUtTransport.maxResponseBytes + 1))
        }
        XCTAssertThrowsError(try transport().send(request: get)) { e in
            guard case UtTransportError.Other = e else { return XCTFail("\(e)") }
        }
    }

    func testDigestIsAnsweredOnceAndNothingElseGetsThePassword() {
        let digest = NSURLAuthenticationMethodHTTPDigest
        XCTAssertEqual(DigestChallenge.answer(method: digest, previousFailures: 0, haveCredential: true), .useCredential)
        XCTAssertEqual(DigestChallenge.answer(method: digest, previousFailures: 1, haveCredential: true), .defaultHandling)
        XCTAssertEqual(DigestChallenge.answer(method: digest, previousFailures: 0, haveCredential: false), .defaultHandling)
        XCTAssertEqual(DigestChallenge.answer(method: NSURLAuthenticationMethodHTTPBasic, previousFailures: 0, haveCredential: true),
                       .defaultHandling)
        XCTAssertEqual(DigestChallenge.answer(method: NSURLAuthenticationMethodServerTrust, previousFailures: 0, haveCredential: true),
                       .defaultHandling)
        XCTAssertFalse("\(UtCredentials(username: "alice", password: "secret"))".contains("secret"))
    }

    func testAReportIsDeliveredThroughTheTransport() throws {
        let s = try Fixtures.screener()
        defer { try? s.shutdown() }
        let id = try s.report(request: ReportRequest(kind: .spoofed, number: "+12025550111", when: .after))
        StubURLProtocol.answer = { _ in StubURLProtocol.Answer(status: 201) }
        let summary = try s.deliverOutbox(transport: try transport())
        XCTAssertEqual(summary.delivered, 1)
        let sent = try XCTUnwrap(StubURLProtocol.requests.first)
        XCTAssertEqual(sent.request.value(forHTTPHeaderField: "Idempotency-Key"), id)
        XCTAssertTrue(sent.request.url?.absoluteString.hasPrefix(ROOT.absoluteString) ?? false)
        XCTAssertFalse(sent.body.isEmpty)
        XCTAssertEqual(try s.outbox().first?.state, .delivered)
    }
}
