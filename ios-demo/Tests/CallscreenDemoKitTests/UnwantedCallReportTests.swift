// The Unwanted Communication Reporting extension's logic without
// IdentityLookup: the system's report (sender, date) becomes a queued
// callscreen report, with an optional block unless verified.

import CallScreen
@testable import CallscreenDemoKit
import XCTest

final class UnwantedCallReportTests: XCTestCase {
    private let received = Date(timeIntervalSince1970: TimeInterval(NOW))

    func testWhatCountsAsANumber() {
        func number(_ sender: String?) -> String? {
            UnwantedCallReport(sender: sender, received: received, kind: .spoofed, block: false, comment: nil).number
        }
        XCTAssertEqual(number("+1 (202) 555-0111"), "+1 (202) 555-0111")
        XCTAssertEqual(number(" 0612345678 "), "0612345678")
        XCTAssertNil(number(nil))
        XCTAssertNil(number(""))
        XCTAssertNil(number("someone@example.org"))
        XCTAssertNil(number("+ ()"))
        XCTAssertTrue(UnwantedCallReport.sameNumber("+12025550111", "(202) 555-0111"))
        XCTAssertFalse(UnwantedCallReport.sameNumber("+12025550111", "+12025550112"))
        XCTAssertFalse(UnwantedCallReport.sameNumber("+12025550111", "111"))
    }

    func testASpoofedReportWithABlockIsQueuedAndBlocksUnlessVerified() throws {
        let s = try Fixtures.screener()
        defer { try? s.shutdown() }
        let r = UnwantedCallReport(sender: "+12025550111", received: received, kind: .spoofed, block: true, comment: "bank")
        XCTAssertTrue(r.canBlock)
        let id = try r.queue(on: s)
        let item = try XCTUnwrap(s.outbox().first { $0.id == id })
        XCTAssertEqual(item.op, .report)
        XCTAssertEqual(item.state, .pending)
        XCTAssertFalse(try XCTUnwrap(s.reportBody(id: id)).isEmpty)
        let rule = try XCTUnwrap(s.rules().first { $0.rule.effect == .block })
        XCTAssertTrue(try s.isUnlessVerified(ruleId: rule.id))
        XCTAssertEqual(try s.screenPlatform(call: platformCall("+12025550111", 0)).action, .reject)
        XCTAssertEqual(try s.screenPlatform(call: platformCall("+12025550111", 1)).action, .allow, "the owner's verified call")
    }

    func testAnUnsolicitedReportCitesTheRecordedCall() throws {
        let s = try Fixtures.screener()
        defer { try? s.shutdown() }
        try s.setHistoryMode(mode: .all)
        _ = try s.screenPlatform(call: platformCall("+12025550111", 0))
        let r = UnwantedCallReport(sender: "(202) 555-0111", received: received, kind: .unsolicited, block: false, comment: nil)
        let recorded = try XCTUnwrap(r.recordedCall(in: s))
        let id = try r.queue(on: s)
        XCTAssertEqual(try s.outbox().first { $0.id == id }?.historyId, recorded.id)
        XCTAssertTrue(try s.rules().isEmpty, "blocked without being asked")
    }

    func testAWithheldCallerIsReportedByTheTimeOfTheCall() throws {
        let s = try Fixtures.screener()
        defer { try? s.shutdown() }
        let r = UnwantedCallReport(sender: nil, received: received, kind: .spoofed, block: true, comment: nil)
        XCTAssertFalse(r.canBlock)
        let id = try r.queue(on: s)
        let body = String(decoding: try XCTUnwrap(s.reportBody(id: id)), as: UTF8.self)
        XCTAssertTrue(body.contains("<time>"), body)
        XCTAssertFalse(body.contains("<calling>"), body)
        XCTAssertTrue(try s.rules().isEmpty, "no number to block")
    }
}
