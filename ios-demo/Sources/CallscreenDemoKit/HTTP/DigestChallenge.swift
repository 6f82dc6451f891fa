// How an HTTPSExchange answers URLSession's authentication challenges. HTTP
// Digest (RFC 7616) is the Ut/XCAP servers' usual scheme when GBA is not used
// (TS 24.623, TS 33.222); URLSession computes the response itself
// (NSURLAuthenticationMethodHTTPDigest), so the app only supplies the
// credential, once: after a failure (a wrong password) the 401 goes back to
// the core, which records it on the outbox item. The password is never sent
// in a Basic challenge's clear form. Server trust and everything else get the
// system's default handling (its trust store).

import Foundation

public enum DigestChallenge {
    public enum Answer: Equatable { case useCredential, defaultHandling }

    public static func answer(method: String, previousFailures: Int, haveCredential: Bool) -> Answer {
        if method == NSURLAuthenticationMethodHTTPDigest && haveCredential && previousFailures == 0 {
            return .useCredential
        }
        return .defaultHandling
    }
}

/// The subscriber's Ut credentials (the XCAP user and its password).
public struct UtCredentials: CustomStringConvertible {
    public let username: String
    public let password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// Kept for this session only, never in the keychain's shared credential storage.
    public var urlCredential: URLCredential {
        URLCredential(user: username, password: password, persistence: .forSession)
    }

    public var description: String { "UtCredentials(\(username), ***)" }
}
