// The app's side of "no network in the core": screen, and when the verdict
// names certificates in cert_needed, fetch each (cache first), hand it to the
// screener with addCertificate, and screen again. For an app that has the SIP
// INVITE (VoIP, IMS); runs off the main thread. Mirrors CertificateRefresh.kt.

import CallScreen
import Foundation

/// What happened: the verdicts before and after, and each URL's fate.
public struct Refreshed: Equatable {
    public let first: Verdict
    public let verdict: Verdict
    public let added: [String]
    public let failed: [String: String]
}

public final class CertificateRefresh {
    private let screener: CallScreener
    private let fetcher: CertificateFetcher

    public init(screener: CallScreener, fetcher: CertificateFetcher) {
        self.screener = screener
        self.fetcher = fetcher
    }

    public func screenSip(_ invite: String) throws -> Refreshed {
        let first = try screener.screenSip(inviteText: invite)
        let needed = first.verification.certNeeded
        if needed.isEmpty { return Refreshed(first: first, verdict: first, added: [], failed: [:]) }
        var added: [String] = []
        var failed: [String: String] = [:]
        for url in needed {
            do {
                try screener.addCertificate(x5u: url, chain: try fetcher.chain(x5u: url))
                added.append(url)
            } catch let e as CertificateFetchError {
                failed[url] = e.reason
            } catch CallScreenError.InvalidInput(let reason) {
                failed[url] = "refused by the screener: \(reason)"
            }
        }
        let verdict = added.isEmpty ? first : try screener.screenSip(inviteText: invite)
        return Refreshed(first: first, verdict: verdict, added: added, failed: failed)
    }
}
