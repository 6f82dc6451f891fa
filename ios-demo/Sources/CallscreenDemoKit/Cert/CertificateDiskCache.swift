// Fetched STI certificate chains on disk, one file per x5u URL named by the
// URL's SHA-256, each with the time until which it is fresh (the server's
// Cache-Control max-age). Written atomically (temporary file and rename), so a
// reader never sees half an entry. Local only: it never touches the network.
// Mirrors CertificateDiskCache.kt, file format included.

import CryptoKit
import Foundation

/// One cached chain; fresh while `now < freshUntil` (seconds since the epoch).
public struct CachedChain: Equatable {
    public let url: String
    public let chain: Data
    public let fetchedAt: Int64
    public let freshUntil: Int64

    public func isFresh(_ now: Int64) -> Bool { now < freshUntil }
}

public struct CertificateCacheError: Error, Equatable {
    public let reason: String
}

public final class CertificateDiskCache {
    private static let magic = "callscreen-chain-1"
    private let dir: URL
    private let clock: WallClock

    public init(dir: URL, clock: WallClock = SystemWallClock()) throws {
        self.dir = dir
        self.clock = clock
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    public func fileFor(_ url: String) -> URL {
        let digest = SHA256.hash(data: Data(url.utf8)).map { String(format: "%02x", $0) }.joined()
        return dir.appendingPathComponent(digest + ".chain")
    }

    /// The entry for `url`, fresh or stale; nil when there is none.
    /// Throws CertificateCacheError when the entry is damaged, or the file's error.
    public func entry(_ url: String) throws -> CachedChain? {
        let file = fileFor(url)
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let bytes = try Data(contentsOf: file)
        let damaged = CertificateCacheError(reason: "damaged cache entry \(file.lastPathComponent)")
        guard let nl = bytes.firstIndex(of: UInt8(ascii: "\n")),
              let head = String(data: bytes[bytes.startIndex..<nl], encoding: .utf8) else { throw damaged }
        let parts = head.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == Self.magic,
              let fetchedAt = Int64(parts[1]), let freshUntil = Int64(parts[2]) else { throw damaged }
        guard parts[3] == url else { return nil } // another URL with the same hash: not ours
        return CachedChain(url: url, chain: Data(bytes[bytes.index(after: nl)...]), fetchedAt: fetchedAt, freshUntil: freshUntil)
    }

    /// The chain for `url` if it is fresh now. Throws as `entry`.
    public func fresh(_ url: String) throws -> Data? {
        guard let e = try entry(url), e.isFresh(clock.now()) else { return nil }
        return e.chain
    }

    /// Store `chain` for `url`, fresh for `maxAgeSecs` from now.
    public func put(_ url: String, chain: Data, maxAgeSecs: Int64) throws {
        guard !url.contains("\n"), !url.contains("\r") else { throw CertificateCacheError(reason: "URL with a line break") }
        let now = clock.now()
        var bytes = Data("\(Self.magic) \(now) \(now + maxAgeSecs) \(url)\n".utf8)
        bytes.append(chain)
        try bytes.write(to: fileFor(url), options: .atomic)
    }

    public func remove(_ url: String) {
        try? FileManager.default.removeItem(at: fileFor(url))
    }
}
