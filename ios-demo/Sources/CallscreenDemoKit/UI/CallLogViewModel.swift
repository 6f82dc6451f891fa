// The call log: every screened call the core recorded (HistoryMode.all), newest
// first, each with its indication, what was done and why. Mirrors CallLogViewModel.kt.
// On iOS the core sees calls only when the app itself has the SIP INVITE (a VoIP
// or IMS app: screenSip); CallKit never shows the app a cellular call.

import CallScreen
import Foundation

public struct CallLogItem: Equatable {
    public let historyId: Int64
    public let time: String
    public let row: CallRow
    public let reasons: [String]
    public let verification: String
}

public struct CallLogState: Equatable {
    public var items: [CallLogItem] = []
    public var only: Set<Indication> = []
    public var error: String?
    public init() {}
}

public final class CallLogViewModel {
    public let state = StateStore(CallLogState())
    private let screener: CallScreener
    private let zone: TimeZone
    private let limit: UInt32

    public init(screener: CallScreener, zone: TimeZone = .current, limit: UInt32 = 500) {
        self.screener = screener
        self.zone = zone
        self.limit = limit
    }

    /// The call log needs every call recorded, not only flagged ones.
    public func recordAllCalls() { guarded { try screener.setHistoryMode(mode: .all) } }

    public func refresh() {
        guarded {
            let filter = HistoryFilter(indications: Array(state.value.only), limit: limit)
            var s = state.value
            s.items = try screener.history(filter: filter).map(item)
            s.error = nil
            state.set(s)
        }
    }

    /// Show only these indications (empty: all).
    public func show(_ only: Set<Indication>) {
        var s = state.value
        s.only = only
        state.set(s)
        refresh()
    }

    private func item(_ e: HistoryEntry) -> CallLogItem {
        CallLogItem(historyId: e.id, time: Texts.time(e.time, zone: zone), row: Format.row(e),
                    reasons: e.reasons.map(Texts.reason), verification: Format.verification(e.verification))
    }

    private func guarded(_ body: () throws -> Void) {
        do { try body() } catch {
            var s = state.value
            s.error = Format.error(error)
            state.set(s)
        }
    }
}
