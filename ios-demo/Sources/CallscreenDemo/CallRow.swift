// Mirrors android-demo/core-jvm/.../CallRow.kt: what a call log row or the
// in-call banner shows for a verdict or a history entry. Not compiled on the
// machine this was written on (no Swift toolchain); see README.md.

import Foundation

enum Tone { case trusted, neutral, warning, hidden }

struct CallRow: Equatable {
    let title: String
    let subtitle: String
    let tone: Tone
    let actionText: String
    let reasons: [String]
}

enum Format {
    static func tone(_ i: Indication) -> Tone {
        switch i {
        case .verifiedBusiness, .verified: return .trusted
        case .unverified: return .neutral
        case .likelySpam: return .warning
        case .withheld, .numberNotAvailable: return .hidden
        }
    }

    static func action(_ a: Action) -> String {
        switch a {
        case .allow: return "Rang"
        case .silence: return "Silenced"
        case .voicemail: return "Sent to voicemail"
        case .reject: return "Blocked"
        }
    }

    static func label(_ i: Indication) -> String {
        switch i {
        case .verifiedBusiness: return "Verified business"
        case .verified: return "Verified caller"
        case .unverified: return "Caller's number can neither be confirmed nor repudiated"
        case .likelySpam: return "Likely spam"
        case .withheld: return "Number withheld"
        case .numberNotAvailable: return "Number not available"
        }
    }

    static func row(_ v: Verdict) -> CallRow {
        CallRow(title: v.display.name ?? v.display.number ?? "Number not available",
                subtitle: v.display.label, tone: tone(v.indication),
                actionText: action(v.action), reasons: v.reasons.map(\.code))
    }

    static func row(_ e: HistoryEntry) -> CallRow {
        CallRow(title: e.calling ?? "Number withheld", subtitle: label(e.indication),
                tone: tone(e.indication), actionText: action(e.action),
                reasons: e.reasons.map(\.code))
    }
}
