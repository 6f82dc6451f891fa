// The Call Directory extension's logic without CallKit: the core's export
// streamed into a recording sink, ascending, labels never claiming
// "verified", full loads then deltas from the accepted version.

import CallScreen
@testable import CallscreenDemoKit
import XCTest

final class RecordingSink: CallDirectorySink {
    var removedAll = 0
    var blocking: [Int64] = []
    var blockingRemoved: [Int64] = []
    var identification: [(Int64, String)] = []
    var identificationRemoved: [Int64] = []

    func removeAllEntries() { removedAll += 1 }
    func addBlockingEntry(_ number: Int64) { blocking.append(number) }
    func removeBlockingEntry(_ number: Int64) { blockingRemoved.append(number) }
    func addIdentificationEntry(_ number: Int64, label: String) { identification.append((number, label)) }
    func removeIdentificationEntry(_ number: Int64) { identificationRemoved.append(number) }
}

final class MemoryVersionStore: CallDirectoryVersionStore {
    var acceptedVersion: UInt64?
}

final class CallDirectorySyncTests: XCTestCase {
    private func block(_ s: CallScreener, _ number: String) throws -> Int64 {
        try s.addRule(rule: NewRule(kind: .number(number: number), effect: .block, source: .user))
    }

    func testAFullLoadThenADeltaFromTheAcceptedVersion() throws {
        let s = try Fixtures.screener()
        defer { try? s.shutdown() }
        let removed = try block(s, "+12025550111")
        _ = try block(s, "+12025550100")
        _ = try s.addRule(rule: NewRule(kind: .number(number: "+12025550123"), effect: .exception, source: .user,
                                        label: "Verified Dentist ✓"))
        let store = MemoryVersionStore()
        let sync = CallDirectorySync()

        // iOS's first request is never incremental.
        let sink = RecordingSink()
        let load = try sync.load(from: s, into: sink, incrementalRequest: false, store: store)
        XCTAssertFalse(load.incremental)
        XCTAssertEqual(sink.removedAll, 0)
        XCTAssertEqual(sink.blocking, [12_025_550_100, 12_025_550_111])
        XCTAssertEqual(sink.identification.map(\.0), [12_025_550_123])
        for (_, label) in sink.identification {
            XCTAssertFalse(label.lowercased().contains("verified"), label)
            XCTAssertFalse(label.contains("✓"), label)
        }
        XCTAssertNil(store.acceptedVersion, "committed before iOS accepted")
        let v1 = try load.commit(to: store)
        XCTAssertEqual(store.acceptedVersion, v1)

        // A change, then an incremental request: only the difference crosses.
        _ = try block(s, "+12025550105")
        _ = try s.removeRule(id: removed)
        let delta = RecordingSink()
        let load2 = try sync.load(from: s, into: delta, incrementalRequest: true, store: store)
        XCTAssertTrue(load2.incremental)
        XCTAssertEqual(delta.removedAll, 0)
        XCTAssertEqual(delta.blocking, [12_025_550_105])
        XCTAssertEqual(delta.blockingRemoved, [12_025_550_111])
        XCTAssertTrue(delta.identification.isEmpty && delta.identificationRemoved.isEmpty)
        let v2 = try load2.commit(to: store)
        XCTAssertGreaterThan(v2, v1)
    }

    func testAnIncrementalRequestWithAnUnknownVersionStartsFromNothing() throws {
        let s = try Fixtures.screener()
        defer { try? s.shutdown() }
        _ = try block(s, "+12025550111")
        let store = MemoryVersionStore()
        store.acceptedVersion = 999
        let sink = RecordingSink()
        let load = try CallDirectorySync().load(from: s, into: sink, incrementalRequest: true, store: store)
        XCTAssertFalse(load.incremental)
        XCTAssertEqual(sink.removedAll, 1)
        XCTAssertEqual(sink.blocking, [12_025_550_111])
        XCTAssertEqual(load.entries, 1)
    }

    func testManyEntriesCrossInChunksInAscendingOrder() throws {
        let s = try Fixtures.screener()
        defer { try? s.shutdown() }
        // A prefix of 10 000 numbers: five chunks of 2 000.
        _ = try s.addRule(rule: NewRule(kind: .prefix(prefix: "+1202555"), effect: .block, source: .user))
        let sink = RecordingSink()
        let load = try CallDirectorySync().load(from: s, into: sink, incrementalRequest: false, store: MemoryVersionStore())
        XCTAssertEqual(sink.blocking.count, 10_000)
        XCTAssertEqual(sink.blocking.first, 12_025_550_000)
        XCTAssertEqual(sink.blocking.last, 12_025_559_999)
        XCTAssertEqual(sink.blocking, sink.blocking.sorted())
        XCTAssertEqual(try load.report().blockingEntries, 10_000)
    }

    func testTheVersionLivesInTheAppGroupDefaults() throws {
        let suite = "callscreen-test-\(UUID().uuidString)"
        let defaults = try XCTUnwrap(UserDefaults(suiteName: suite))
        defer { defaults.removePersistentDomain(forName: suite) }
        let store = DefaultsVersionStore(defaults: defaults)
        XCTAssertNil(store.acceptedVersion)
        store.acceptedVersion = UInt64(1) << 40
        XCTAssertEqual(DefaultsVersionStore(defaults: defaults).acceptedVersion, UInt64(1) << 40)
        store.acceptedVersion = nil
        XCTAssertNil(store.acceptedVersion)
    }
}
