// Outbox delivery runs: backoff, when to run next, and a run over the real
// outbox with a failing then answering server. Mirrors core-jvm's UtTests.kt.

import CallScreen
@testable import CallscreenDemoKit
import XCTest

final class DeliveryTests: XCTestCase {
    func testBackoffDoublesPerRunAndIsCapped() {
        let b = Backoff()
        XCTAssertEqual((1...5).map { b.delaySecs(run: $0) }, [30, 60, 120, 240, 480])
        XCTAssertEqual(b.delaySecs(run: 20), 5 * 3600)
        XCTAssertEqual(b.delaySecs(run: 1000), 5 * 3600)
    }

    func testNextRunSettledBackoffOrTheCoresDueTime() {
        let b = Backoff()
        XCTAssertEqual(OutboxDelivery.plan(nextDue: nil, now: NOW, run: 1, backoff: b), .settled)
        XCTAssertEqual(OutboxDelivery.plan(nextDue: NOW + 20, now: NOW, run: 1, backoff: b), .backoff(afterSecs: 30))
        XCTAssertEqual(OutboxDelivery.plan(nextDue: NOW + 100, now: NOW, run: 3, backoff: b), .backoff(afterSecs: 120))
        XCTAssertEqual(OutboxDelivery.plan(nextDue: NOW + 3600, now: NOW, run: 1, backoff: b), .at(afterSecs: 3600))
    }

    func testA503IsRetriedLaterThenDelivered() throws {
        let db = try Fixtures.tempDB()
        var s = try Fixtures.screener(dbPath: db)
        _ = try s.report(request: ReportRequest(kind: .unsolicited, number: "+12025550111", when: .after))
        let first = OutboxDelivery(transport: Answers(503)).run(s, now: NOW, run: 1)
        XCTAssertEqual(first.summary?.retrying, 1)
        XCTAssertNotEqual(first.next, .settled)
        let due = try XCTUnwrap(s.outbox().first).nextAttemptAt
        try s.shutdown()

        // Later, in another process: the same database file, the core's clock at the due time.
        s = try Fixtures.screener(at: due, dbPath: db)
        defer { try? s.shutdown() }
        let second = OutboxDelivery(transport: Answers(201)).run(s, now: due, run: 2)
        XCTAssertEqual(second.summary?.delivered, 1)
        XCTAssertEqual(second.next, .settled)
        try s.shutdown()
        let closed = OutboxDelivery(transport: Answers(201)).run(s, now: due, run: 1)
        XCTAssertEqual(closed.next, .settled)
        XCTAssertNotNil(closed.error)
    }
}
