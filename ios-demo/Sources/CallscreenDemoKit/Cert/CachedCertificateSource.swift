// The CertificateSource the screener calls while a call is screened: a lookup
// in the disk cache, nothing else (no network: DESIGN.md). A fresh entry is
// returned, a stale or missing one is nil (the core names its URL in
// cert_needed). A damaged cache is reported as CallScreenError.Storage, the
// error type of this foreign trait, which the core turns into
// cert_unavailable; no other error leaves this method. Mirrors CachedCertificateSource.kt.

import CallScreen
import Foundation

public final class CachedCertificateSource: CertificateSource, @unchecked Sendable {
    // @unchecked: the cache is only read here, and its reads are file reads.
    private let cache: CertificateDiskCache

    public init(cache: CertificateDiskCache) { self.cache = cache }

    public func lookup(x5u: String) throws -> Data? {
        do {
            return try cache.fresh(x5u)
        } catch {
            // Only the error's type: its message may hold paths.
            throw CallScreenError.Storage(reason: "certificate cache unreadable (\(type(of: error)))")
        }
    }
}
