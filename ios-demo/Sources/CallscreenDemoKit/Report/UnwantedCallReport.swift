// Turns the system's "Report" on a call in Recents (the Unwanted Communication
// Reporting extension's ILCallCommunication: the caller's number as iOS shows
// it, and when the call came) into a callscreen report queued in the shared
// outbox, delivered later over Ut by the app. The user chooses:
//   - spoofed: the number shown was not the real caller (CLI spoofing);
//   - unsolicited: the real caller, but an unwanted call (telemarketing, fraud).
// With "block", the number is blocked as the history screen does: a spoofed
// number unless verified, so its real owner's verified calls still ring (iOS
// never tells the app whether the call was verified: it is taken as not).
// A report is queued only because the user asked (DESIGN.md).

import CallScreen
import Foundation

public enum UnwantedKind: Equatable {
    case spoofed, unsolicited

    var reportKind: ReportKind { self == .spoofed ? .spoofed : .unsolicited }
}

public struct UnwantedCallReport: Equatable {
    /// `ILCommunication.sender`: a phone number, nil for a withheld caller.
    public let sender: String?
    /// `ILCommunication.dateReceived`.
    public let received: Date
    public let kind: UnwantedKind
    public let block: Bool
    public let comment: String?

    public init(sender: String?, received: Date, kind: UnwantedKind, block: Bool, comment: String?) {
        self.sender = sender
        self.received = received
        self.kind = kind
        self.block = block
        self.comment = comment
    }

    /// Every call can be reported (the core cites the recorded call, else the
    /// number and the time it came in, and for a withheld caller the time
    /// alone), but only a number can be blocked.
    public var canBlock: Bool { number != nil }

    /// The sender when it is a telephone number (digits, an optional leading
    /// "+", and the usual separators); an e-mail address or nothing is not one.
    public var number: String? {
        guard let s = sender?.trimmingCharacters(in: .whitespaces), !s.isEmpty else { return nil }
        let allowed = CharacterSet(charactersIn: "+0123456789 ()-.")
        guard s.unicodeScalars.allSatisfy(allowed.contains), s.contains(where: \.isNumber) else { return nil }
        return s
    }

    /// The recorded call it was, when the core screened it (a VoIP or IMS app
    /// that saw the INVITE): same number, within `slackSecs` of `received`.
    public func recordedCall(in screener: CallScreener, slackSecs: Int64 = 120) throws -> HistoryEntry? {
        guard let number else { return nil }
        let t = Int64(received.timeIntervalSince1970)
        let candidates = try screener.history(filter: HistoryFilter(since: t - slackSecs, until: t + slackSecs + 1))
        return candidates.first { e in e.calling.map { Self.sameNumber($0, number) } ?? false }
    }

    /// Blocks when asked (a withheld caller has no number to block), then queues
    /// the report; returns the report's id (its Idempotency-Key). Cites the
    /// recorded call when there is one, else the number and the call's time.
    public func queue(on screener: CallScreener) throws -> String {
        let recorded = try recordedCall(in: screener)
        if block, let number {
            if let recorded {
                _ = try screener.correctUnwanted(historyId: recorded.id, kind: kind.reportKind, block: .default)
            } else {
                _ = try screener.blockNumber(number: number, kind: kind.reportKind, block: .default, verified: false)
            }
        }
        let request = ReportRequest(kind: kind.reportKind, historyId: recorded?.id,
                                    number: recorded == nil ? number : nil,
                                    callTime: recorded == nil ? Int64(received.timeIntervalSince1970) : nil,
                                    when: .after,
                                    comment: comment.flatMap { $0.isEmpty ? nil : $0 })
        return try screener.report(request: request)
    }

    /// The history holds E.164 ("+12025550111"); iOS may show the national
    /// form ("(202) 555-0111"): equal digits, or one ending with the other's
    /// (at least 7 of them).
    static func sameNumber(_ a: String, _ b: String) -> Bool {
        let x = a.filter(\.isNumber), y = b.filter(\.isNumber)
        return x == y || (min(x.count, y.count) >= 7 && (x.hasSuffix(y) || y.hasSuffix(x)))
    }
}
