// What a call log row, a history row or a notification shows for a verdict or
// a history entry. Mirrors android-demo/core-jvm/.../CallRow.kt; platform-free.

import CallScreen

/// The tone of a row: drives colour and icon in the UI.
public enum Tone: Equatable { case trusted, neutral, warning, hidden }

/// One row as the user sees it.
public struct CallRow: Equatable {
    public let title: String
    public let subtitle: String
    public let tone: Tone
    public let actionText: String
    public let reasons: [String]
}

public enum Format {
    public static func tone(_ i: Indication) -> Tone {
        switch i {
        case .verifiedBusiness, .verified: return .trusted
        case .unverified: return .neutral
        case .likelySpam: return .warning
        case .withheld, .numberNotAvailable: return .hidden
        }
    }

    public static func action(_ a: Action) -> String {
        switch a {
        case .allow: return "Rang"
        case .silence: return "Silenced"
        case .voicemail: return "Sent to voicemail"
        case .reject: return "Blocked"
        }
    }

    public static func label(_ i: Indication) -> String {
        switch i {
        case .verifiedBusiness: return "Verified business"
        case .verified: return "Verified caller"
        case .unverified: return "Caller's number can neither be confirmed nor repudiated"
        case .likelySpam: return "Likely spam"
        case .withheld: return "Number withheld"
        case .numberNotAvailable: return "Number not available"
        }
    }

    /// A live verdict: the name only when vetted; never a number that may not be shown.
    public static func row(_ v: Verdict) -> CallRow {
        CallRow(title: v.display.name ?? v.display.number ?? "Number not available",
                subtitle: v.display.label, tone: tone(v.indication),
                actionText: action(v.action), reasons: v.reasons.map(\.code))
    }

    /// A history entry (no display text is stored: the indication decides).
    public static func row(_ e: HistoryEntry) -> CallRow {
        CallRow(title: e.calling ?? "Number withheld", subtitle: label(e.indication),
                tone: tone(e.indication), actionText: action(e.action),
                reasons: e.reasons.map(\.code))
    }

    /// The verification in one line: "Verified (attestation A, PASSporT, SPC 1234)", "Verification failed 438 …".
    public static func verification(_ v: Verification) -> String {
        switch v.status {
        case .passed:
            var parts: [String] = []
            if let a = v.attestation { parts.append("attestation \(attestation(a))") }
            if let s = v.source { parts.append(source(s)) }
            if let signer = v.signer { parts.append(signer.spc.map { "SPC \($0)" } ?? signer.subject) }
            return parts.isEmpty ? "Verified" : "Verified (\(parts.joined(separator: ", ")))"
        case .failed:
            return "Verification failed" + (v.failure.map { " \($0.code) \($0.reason)" } ?? "")
        case .noValidation:
            return "Not verified"
        }
    }

    public static func attestation(_ a: Attestation) -> String {
        switch a {
        case .a: return "A"
        case .b: return "B"
        case .c: return "C"
        }
    }

    public static func source(_ s: VerificationSource) -> String {
        switch s {
        case .passport: return "PASSporT"
        case .verstat: return "network verstat"
        case .platform: return "platform"
        }
    }

    /// An error for the user: what was refused, never a stack trace.
    public static func error(_ e: Error) -> String {
        switch e {
        case CallScreenError.InvalidInput(let reason): return "Not accepted: \(reason)"
        case CallScreenError.Storage: return "Could not read or write the database"
        case CallScreenError.Closed: return "The screener is shut down"
        case let e as CallScreenError: return "Something went wrong (\(kind(e)))"
        default: return "Something went wrong"
        }
    }

    private static func kind(_ e: CallScreenError) -> String {
        switch e {
        case .InvalidInput: return "InvalidInput"
        case .TooLarge: return "TooLarge"
        case .NotSipRequest: return "NotSipRequest"
        case .Configuration: return "Configuration"
        case .Storage: return "Storage"
        case .Closed: return "Closed"
        case .Internal: return "Internal"
        }
    }
}
