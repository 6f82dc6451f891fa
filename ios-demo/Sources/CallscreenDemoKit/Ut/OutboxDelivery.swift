// One delivery run over the core's outbox, and what to do next. The core keeps
// each item's own schedule (its next attempt, with backoff and jitter, from the
// server's answers); the run decides when the app should wake up again:
// nothing left → settled; else after the backoff for this run, or later when
// the earliest item is not due before then. Mirrors OutboxDelivery.kt; the app
// runs it from a BGProcessingTask (requiresNetworkConnectivity).

import CallScreen

public enum NextRun: Equatable {
    /// Nothing pending: no further run needed (failed items wait for the user).
    case settled
    /// Run again after the backoff.
    case backoff(afterSecs: Int64)
    /// The earliest item is due later than the backoff: schedule a run then.
    case at(afterSecs: Int64)

    public var afterSecs: Int64? {
        switch self {
        case .settled: return nil
        case .backoff(let s), .at(let s): return s
        }
    }
}

public struct DeliveryRun: Equatable {
    public let summary: DeliverySummary?
    public let next: NextRun
    public let error: String?
}

public struct OutboxDelivery {
    private let transport: UtTransport
    private let backoff: Backoff

    public init(transport: UtTransport, backoff: Backoff = Backoff()) {
        self.transport = transport
        self.backoff = backoff
    }

    /// One pass at `now`; `run` counts runs since the last settled one, from 1. Blocks: not on the main thread.
    public func run(_ screener: CallScreener, now: Int64, run: Int) -> DeliveryRun {
        do {
            let summary = try screener.deliverOutbox(transport: transport)
            return DeliveryRun(summary: summary, next: Self.plan(nextDue: try screener.outboxNextDue(), now: now, run: run, backoff: backoff), error: nil)
        } catch CallScreenError.Closed {
            return DeliveryRun(summary: nil, next: .settled, error: "screener closed")
        } catch {
            return DeliveryRun(summary: nil, next: .backoff(afterSecs: backoff.delaySecs(run: run)), error: Format.error(error))
        }
    }

    /// `nextDue` is the core's `outboxNextDue()`: nil when nothing waits.
    public static func plan(nextDue: Int64?, now: Int64, run: Int, backoff: Backoff) -> NextRun {
        guard let due = nextDue else { return .settled }
        let delay = backoff.delaySecs(run: run)
        let dueIn = due - now
        return dueIn > delay ? .at(afterSecs: dueIn) : .backoff(afterSecs: delay)
    }
}
