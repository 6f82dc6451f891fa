// The report outbox: every queued report and network barring change with its
// delivery state; a failed one can be put back in the queue. Mirrors OutboxViewModel.kt.

import CallScreen
import Foundation

public struct OutboxRow: Equatable, Identifiable {
    public let id: String
    public let what: String
    public let state: OutboxState
    public let stateText: String
    public let attempts: Int
    public let canRetry: Bool
}

public struct OutboxUiState: Equatable {
    public var rows: [OutboxRow] = []
    public var waiting = 0
    public var failed = 0
    public var error: String?
    public init() {}
}

public final class OutboxViewModel {
    public let state = StateStore(OutboxUiState())
    private let screener: CallScreener
    private let zone: TimeZone

    public init(screener: CallScreener, zone: TimeZone = .current) {
        self.screener = screener
        self.zone = zone
    }

    public func refresh() {
        do {
            let items = Array(try screener.outbox().reversed()) // newest first
            var s = OutboxUiState()
            s.rows = items.map(row)
            s.waiting = items.filter { $0.state == .pending || $0.state == .sending }.count
            s.failed = items.filter { $0.state == .failed }.count
            state.set(s)
        } catch {
            fail(error)
        }
    }

    /// Back in the queue, due now; the caller then schedules a delivery run.
    @discardableResult
    public func retry(_ id: String) -> Bool {
        do {
            let ok = try screener.retryReport(id: id)
            refresh()
            return ok
        } catch {
            fail(error)
            return false
        }
    }

    private func row(_ i: OutboxItem) -> OutboxRow {
        OutboxRow(id: i.id, what: Texts.outboxWhat(i), state: i.state, stateText: Texts.delivery(i, zone: zone),
                  attempts: Int(i.attempts), canRetry: i.state == .failed)
    }

    private func fail(_ error: Error) {
        var s = state.value
        s.error = Format.error(error)
        state.set(s)
    }
}
