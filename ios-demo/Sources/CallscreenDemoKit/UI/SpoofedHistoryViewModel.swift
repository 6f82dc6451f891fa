// The spoofed-call history: flagged calls to review. The user marks them
// reviewed, deletes them, says "not spoofed" (the number, or its whole country:
// an exception so the next call rings, with a NotSpoofed report offered), or
// reports one as spoofed (blocked unless verified, report queued for Ut).
// Mirrors SpoofedHistoryViewModel.kt.

import CallScreen
import Foundation

public struct SpoofedEntry: Equatable {
    public let historyId: Int64
    public let time: String
    public let row: CallRow
    public let reviewed: Bool
    /// "Not spoofed" and blocking need a number: a withheld caller has none.
    public let hasNumber: Bool
}

public struct SpoofedHistoryState: Equatable {
    public var entries: [SpoofedEntry] = []
    /// Flagged calls since the user last looked: "there was spoofed-call activity".
    public var notice: UInt64 = 0
    /// A report the core offers after a correction, waiting for the user's yes or no.
    public var offer: ReportOffer?
    public var message: String?
    public var error: String?
    public init() {}
}

public final class SpoofedHistoryViewModel {
    public let state = StateStore(SpoofedHistoryState())
    private let screener: CallScreener
    private let zone: TimeZone

    public init(screener: CallScreener, zone: TimeZone = .current) {
        self.screener = screener
        self.zone = zone
    }

    public func refresh() {
        guarded {
            var s = state.value
            s.entries = try screener.history(filter: HistoryFilter(flaggedOnly: true)).map(entry)
            s.notice = try screener.historyNoticeCount()
            s.error = nil
            state.set(s)
        }
    }

    /// The screen was opened: the notice count starts again from now.
    public func opened() {
        guarded { try screener.historySeen() }
        refresh()
    }

    public func review(_ ids: [Int64]) {
        guarded { _ = try screener.markReviewed(ids: ids) }
        refresh()
    }

    public func delete(_ ids: [Int64]) {
        guarded {
            let n = try screener.deleteHistory(ids: ids)
            update { $0.message = "\(n) deleted" }
        }
        refresh()
    }

    public func notSpoofed(_ id: Int64, scope: NotSpoofedScope) {
        guarded {
            let c = try screener.correctNotSpoofed(historyId: id, scope: scope)
            let what = scope == .country ? "this country" : "this number"
            update {
                $0.offer = c.offer
                $0.message = "Calls from \(what) will ring"
            }
            refresh()
        }
    }

    /// "Report spoofed": block unless verified (when `block`), then queue the report.
    public func report(_ id: Int64, block: Bool) {
        guarded {
            _ = try screener.correctUnwanted(historyId: id, kind: .spoofed, block: block ? .default : .noBlock)
            let reportId = try screener.report(request: ReportRequest(kind: .spoofed, historyId: id, when: .after))
            update {
                $0.offer = nil
                $0.message = "Report queued (\(reportId))"
            }
            refresh()
        }
    }

    /// The user accepted the offered report.
    public func sendOffer() {
        guard let o = state.value.offer else { return }
        guarded {
            let reportId = try screener.report(request: ReportRequest(kind: o.kind, historyId: o.historyId, number: o.number, when: .after))
            update {
                $0.offer = nil
                $0.message = "Report queued (\(reportId))"
            }
        }
    }

    public func dismissOffer() { update { $0.offer = nil } }

    private func entry(_ e: HistoryEntry) -> SpoofedEntry {
        SpoofedEntry(historyId: e.id, time: Texts.time(e.time, zone: zone), row: Format.row(e),
                     reviewed: e.reviewed, hasNumber: e.calling != nil)
    }

    private func update(_ change: (inout SpoofedHistoryState) -> Void) {
        var s = state.value
        change(&s)
        state.set(s)
    }

    private func guarded(_ body: () throws -> Void) {
        do { try body() } catch { update { $0.error = Format.error(error) } }
    }
}
