// The screens' view models against the real library: call log, spoofed-call
// history, lists and policy, outbox. Mirrors core-jvm's ViewModelTests.kt.

import CallScreen
@testable import CallscreenDemoKit
import XCTest

private let DAUGHTER = "+33612345678"
private let STRANGER = "+12025550111"

/// A Ut server that always answers `status`.
final class Answers: UtTransport, @unchecked Sendable {
    let status: UInt16
    init(_ status: UInt16) { self.status = status }
    func send(request: UtRequest) throws -> UtResponse {
        UtResponse(status: status, headers: [], body: Data("refused".utf8))
    }
}

final class ViewModelTests: XCTestCase {
    func testCallLogShowsEveryCallAndFiltersByIndication() throws {
        let cache = try CertificateDiskCache(dir: try Fixtures.tempDir(), clock: ManualWallClock(NOW))
        try cache.put(SP_LEAF_URL, chain: try Fixtures.cert("sp-leaf.pem"), maxAgeSecs: 3600)
        let s = try Fixtures.screener(source: CachedCertificateSource(cache: cache))
        defer { try? s.shutdown() }
        let vm = CallLogViewModel(screener: s, zone: UTC)
        vm.recordAllCalls()
        _ = try s.screenSip(inviteText: try Fixtures.invite("01-good-attest-a.sip"))
        _ = try s.screenSip(inviteText: try Fixtures.invite("04-signature-invalid.sip"))
        _ = try s.screenPlatform(call: platformCall(STRANGER, 0))
        vm.refresh()
        let items = vm.state.value.items
        XCTAssertEqual(items.count, 3)
        XCTAssertTrue(items.allSatisfy { $0.time == "2026-11-22 12:00" })
        let verified = try XCTUnwrap(items.first { $0.row.subtitle == "Verified caller" })
        XCTAssertEqual(verified.row.tone, .trusted)
        XCTAssertTrue(verified.verification.hasPrefix("Verified (attestation A, PASSporT"), verified.verification)
        let spam = try XCTUnwrap(items.first { $0.row.tone == .warning })
        XCTAssertEqual(spam.row.actionText, "Blocked")
        XCTAssertTrue(spam.verification.hasPrefix("Verification failed 438"), spam.verification)
        XCTAssertFalse(spam.reasons.isEmpty)

        vm.show([.likelySpam])
        XCTAssertEqual(vm.state.value.items.map(\.historyId), [spam.historyId])
        var seen = 0
        let stop = vm.state.observe { _ in seen += 1 }
        vm.show([])
        stop()
        vm.refresh()
        XCTAssertEqual(seen, 3) // initial, show's filter, show's refresh
        XCTAssertEqual(vm.state.value.items.count, 3)
    }

    func testSpoofedHistoryNoticeReviewNotSpoofedReportDelete() throws {
        let s = try Fixtures.screener()
        defer { try? s.shutdown() }
        _ = try s.screenPlatform(call: platformCall(DAUGHTER, 2))
        _ = try s.screenPlatform(call: platformCall(STRANGER, 2))
        _ = try s.screenPlatform(call: platformCall(nil, 0, .restricted))
        let vm = SpoofedHistoryViewModel(screener: s, zone: UTC)
        vm.refresh()
        XCTAssertGreaterThanOrEqual(vm.state.value.entries.count, 2)
        XCTAssertGreaterThanOrEqual(vm.state.value.notice, 2)
        vm.opened()
        XCTAssertEqual(vm.state.value.notice, 0)

        let daughter = try XCTUnwrap(vm.state.value.entries.first { $0.row.title == DAUGHTER })
        XCTAssertTrue(daughter.hasNumber && !daughter.reviewed && daughter.row.tone == .warning)
        vm.notSpoofed(daughter.historyId, scope: .country)
        XCTAssertEqual(vm.state.value.offer?.kind, .notSpoofed)
        XCTAssertNil(vm.state.value.error)
        XCTAssertTrue(vm.state.value.entries.first { $0.historyId == daughter.historyId }?.reviewed ?? false)
        XCTAssertEqual(try s.screenPlatform(call: platformCall("+33698765432", 2)).action, .allow)
        vm.sendOffer()
        XCTAssertNil(vm.state.value.offer)
        XCTAssertEqual(try s.outbox().count, 1)

        let stranger = try XCTUnwrap(vm.state.value.entries.first { $0.row.title == STRANGER })
        vm.report(stranger.historyId, block: true)
        XCTAssertTrue(vm.state.value.message?.hasPrefix("Report queued") ?? false)
        XCTAssertEqual(try s.outbox().count, 2)
        XCTAssertEqual(try s.screenPlatform(call: platformCall(STRANGER, 0)).action, .reject)

        vm.refresh()
        let before = vm.state.value.entries.count
        vm.delete([stranger.historyId])
        XCTAssertEqual(vm.state.value.entries.count, before - 1)
        vm.review(vm.state.value.entries.map(\.historyId))
        XCTAssertTrue(vm.state.value.entries.allSatisfy(\.reviewed))

        // Errors are state, not exceptions.
        vm.notSpoofed(999_999, scope: .number)
        XCTAssertTrue(vm.state.value.error?.hasPrefix("Not accepted") ?? false, "\(vm.state.value)")
    }

    func testListsPolicyAndPauseUntil() throws {
        let s = try Fixtures.screener()
        defer { try? s.shutdown() }
        let clock = ManualWallClock(NOW)
        let vm = ListsViewModel(screener: s, clock: clock, zone: UTC)
        var changes = 0
        vm.onChange = { changes += 1 }
        vm.block(STRANGER, label: "car warranty")
        vm.allowCountry("FR")
        let block = try XCTUnwrap(vm.state.value.blocks.first)
        XCTAssertEqual(vm.state.value.blocks.count, 1)
        XCTAssertEqual(block.what, STRANGER)
        XCTAssertEqual(block.label, "car warranty")
        XCTAssertEqual(block.source, "You")
        XCTAssertFalse(block.unlessVerified)
        XCTAssertEqual(vm.state.value.exceptions.map(\.what), ["Country FR"])
        XCTAssertNil(vm.state.value.pausedUntil)
        XCTAssertEqual(changes, 2)
        XCTAssertEqual(try s.screenPlatform(call: platformCall(STRANGER, 0)).action, .reject)

        vm.pauseUntil(NOW + 3600)
        XCTAssertEqual(vm.state.value.pausedUntil, "2026-11-22 13:00")
        XCTAssertFalse(vm.state.value.exceptions.contains { $0.what == "Every call" })
        XCTAssertEqual(try s.screenPlatform(call: platformCall(STRANGER, 0)).action, .allow)
        vm.pauseUntil(NOW + 7200)
        XCTAssertEqual(vm.state.value.pausedUntil, "2026-11-22 14:00")
        XCTAssertEqual(try s.rules().filter { $0.rule.kind == .allCalls }.count, 1)
        clock.advance(7200)
        vm.refresh()
        XCTAssertNil(vm.state.value.pausedUntil)
        clock.advance(-7200)
        vm.resume()
        XCTAssertNil(vm.state.value.pausedUntil)
        XCTAssertEqual(try s.screenPlatform(call: platformCall(STRANGER, 0)).action, .reject)

        vm.pauseUntil(NOW - 1)
        XCTAssertNotNil(vm.state.value.error)

        vm.remove(block.id)
        XCTAssertTrue(vm.state.value.blocks.isEmpty)
        XCTAssertEqual(try s.screenPlatform(call: platformCall(STRANGER, 0)).action, .allow)

        vm.setPresentOnlyTrustedCli(true)
        XCTAssertEqual(vm.state.value.policy?.presentOnlyTrustedCli, true)
        XCTAssertEqual(try s.screenPlatform(call: platformCall("+12025550123", 0)).indication, .numberNotAvailable)
        vm.setWithheldAction(.reject)
        XCTAssertEqual(try s.screenPlatform(call: platformCall(nil, 0, .restricted)).action, .reject)

        vm.block("not a number", label: nil)
        XCTAssertTrue(vm.state.value.error?.hasPrefix("Not accepted") ?? false)
    }

    func testABlockFromASpoofedReportIsUnlessVerified() throws {
        let s = try Fixtures.screener()
        defer { try? s.shutdown() }
        _ = try s.blockNumber(number: STRANGER, kind: .spoofed, block: .default, verified: false)
        let vm = ListsViewModel(screener: s, clock: ManualWallClock(NOW), zone: UTC)
        vm.refresh()
        XCTAssertEqual(vm.state.value.blocks.first?.unlessVerified, true)
    }

    func testOutboxWaitingFailedRetriedDelivered() throws {
        let s = try Fixtures.screener()
        defer { try? s.shutdown() }
        let id = try s.report(request: ReportRequest(kind: .spoofed, number: STRANGER, when: .after))
        let vm = OutboxViewModel(screener: s, zone: UTC)
        vm.refresh()
        var row = try XCTUnwrap(vm.state.value.rows.first)
        XCTAssertEqual(row.id, id)
        XCTAssertEqual(row.stateText, "Waiting to send")
        XCTAssertTrue(row.what.hasPrefix("Report"))
        XCTAssertEqual(vm.state.value.waiting, 1)

        _ = try s.deliverOutbox(transport: Answers(400))
        vm.refresh()
        row = try XCTUnwrap(vm.state.value.rows.first)
        XCTAssertEqual(row.state, .failed)
        XCTAssertTrue(row.canRetry)
        XCTAssertTrue(row.stateText.hasPrefix("Not delivered: ") && row.stateText.contains("400"), row.stateText)
        XCTAssertEqual(vm.state.value.failed, 1)
        XCTAssertTrue(vm.retry(id))
        row = try XCTUnwrap(vm.state.value.rows.first)
        XCTAssertEqual(row.state, .pending)
        XCTAssertFalse(row.canRetry)
        XCTAssertFalse(vm.retry("no-such-id"))

        _ = try s.deliverOutbox(transport: Answers(201))
        vm.refresh()
        XCTAssertEqual(vm.state.value.rows.first?.stateText, "Delivered 2026-11-22 12:00")
    }
}
