// Text the screens show for times, reasons, rules and outbox states. Mirrors Texts.kt.

import CallScreen
import Foundation

public enum Texts {
    /// "2026-11-22 12:00" in `zone`.
    public static func time(_ unixSecs: Int64, zone: TimeZone) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.calendar = Calendar(identifier: .gregorian)
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(unixSecs)))
    }

    /// A reason as `code: detail` (the code alone when there is no detail).
    public static func reason(_ r: Reason) -> String {
        r.detail.trimmingCharacters(in: .whitespaces).isEmpty ? r.code : "\(r.code): \(r.detail)"
    }

    public static func rule(_ kind: RuleKind) -> String {
        switch kind {
        case .number(let number): return number
        case .prefix(let prefix): return "\(prefix)…"
        case .range(let start, let count): return "\(start) (+\(count))"
        case .country(let country): return "Country \(country)"
        case .withheld: return "Withheld numbers"
        case .verification(let c):
            switch c {
            case .failed: return "Calls that failed verification"
            case .unverified: return "Unverified calls"
            case .attestationB: return "Calls with attestation B"
            case .attestationC: return "Calls with attestation C"
            }
        case .contact: return "Contacts"
        case .allCalls: return "Every call"
        }
    }

    public static func source(_ s: RuleSource) -> String {
        switch s {
        case .user: return "You"
        case .feedback: return "Your \"not spoofed\""
        case .`operator`: return "Operator"
        case .operatorMandatory: return "Operator (mandatory)"
        }
    }

    public static func outboxWhat(_ item: OutboxItem) -> String {
        switch item.op {
        case .report: return "Report (\(item.kind))"
        case .bar: return "Network barring \(item.target ?? "")".trimmingCharacters(in: .whitespaces)
        case .unbar: return "Network unbarring \(item.target ?? "")".trimmingCharacters(in: .whitespaces)
        }
    }

    /// The delivery state as the outbox screen shows it.
    public static func delivery(_ item: OutboxItem, zone: TimeZone) -> String {
        switch item.state {
        case .delivered:
            return "Delivered" + (item.deliveredAt.map { " " + time($0, zone: zone) } ?? "")
        case .sending:
            return "Sending…"
        case .pending:
            if item.attempts == 0 { return "Waiting to send" }
            return "Retrying at \(time(item.nextAttemptAt, zone: zone)) (\(item.attempts) attempts; last: \(last(item)))"
        case .failed:
            return "Not delivered: \(last(item))"
        }
    }

    private static func last(_ item: OutboxItem) -> String {
        item.lastError ?? item.lastStatus.map { "HTTP \($0)" } ?? "unknown"
    }
}
