// Feeds the core's CallKit export into a Call Directory request: incremental
// when iOS allows it and the core still has the snapshot of the version iOS
// last accepted, else a full load; streamed in chunks so the extension never
// holds the directory in memory. The core hands out each run (blocking
// removals, blocking additions, identification removals, identification
// additions) in strictly ascending order, as CallKit requires; this checks it,
// so a bug fails the load with a clear error instead of CallKit's. Labels are
// the core's, which never claim "verified" (docs/platform-integration.md).
// The version is committed only after iOS accepted the load.

import CallScreen
import Foundation

public enum CallDirectorySyncError: Error, Equatable {
    case notAscending(kind: CallDirectoryEntryKind, change: CallDirectoryChange, number: Int64)
    case missingLabel(number: Int64)
}

/// Where the version iOS last accepted is kept (the app group's UserDefaults).
public protocol CallDirectoryVersionStore: AnyObject {
    var acceptedVersion: UInt64? { get set }
}

/// A load streamed into a sink, waiting for iOS's answer.
public final class CallDirectoryLoad {
    public let export: CallDirectoryExport
    public let incremental: Bool
    public let entries: Int

    init(export: CallDirectoryExport, incremental: Bool, entries: Int) {
        self.export = export
        self.incremental = incremental
        self.entries = entries
    }

    /// Truncations, skipped rules, rewritten labels, validUntil.
    public func report() throws -> CallDirectoryReport { try export.report() }

    /// iOS accepted the load: keep its snapshot for the next delta.
    @discardableResult
    public func commit(to store: CallDirectoryVersionStore) throws -> UInt64 {
        let version = try export.commit()
        store.acceptedVersion = version
        return version
    }
}

public struct CallDirectorySync {
    /// At most this many entries cross the FFI at a time.
    public static let chunkSize: UInt32 = 2_000

    public let options: CallDirectoryOptions

    public init(options: CallDirectoryOptions = CallDirectoryOptions(entryBudget: 100_000, operatorLists: .block)) {
        self.options = options
    }

    /// Streams the export into `sink`. `incrementalRequest`: iOS's
    /// `context.isIncremental`. Throws CallScreenError or CallDirectorySyncError;
    /// on a throw the caller cancels the request and commits nothing.
    public func load(from screener: CallScreener, into sink: CallDirectorySink, incrementalRequest: Bool,
                     store: CallDirectoryVersionStore) throws -> CallDirectoryLoad {
        let since = incrementalRequest ? store.acceptedVersion : nil
        let export = try screener.callDirectoryExport(options: options, sinceVersion: since)
        let incremental = try export.isIncremental()
        if incrementalRequest && !incremental { sink.removeAllEntries() }
        var last: [Run: Int64] = [:]
        var count = 0
        while true {
            let chunk = try export.nextChunk(max: Self.chunkSize)
            if chunk.isEmpty { break }
            for e in chunk {
                let run = Run(kind: e.kind, change: e.change)
                if let previous = last[run], e.number <= previous {
                    throw CallDirectorySyncError.notAscending(kind: e.kind, change: e.change, number: e.number)
                }
                last[run] = e.number
                switch (e.kind, e.change) {
                case (.blocking, .add): sink.addBlockingEntry(e.number)
                case (.blocking, .remove): sink.removeBlockingEntry(e.number)
                case (.identification, .add):
                    guard let label = e.label else { throw CallDirectorySyncError.missingLabel(number: e.number) }
                    sink.addIdentificationEntry(e.number, label: label)
                case (.identification, .remove): sink.removeIdentificationEntry(e.number)
                }
                count += 1
            }
        }
        return CallDirectoryLoad(export: export, incremental: incremental, entries: count)
    }

    private struct Run: Hashable {
        let kind: CallDirectoryEntryKind
        let change: CallDirectoryChange
    }
}

/// The version in the app group's UserDefaults.
public final class DefaultsVersionStore: CallDirectoryVersionStore {
    private let defaults: UserDefaults
    private let key: String

    public init(defaults: UserDefaults, key: String = AppGroup.Key.callDirectoryVersion) {
        self.defaults = defaults
        self.key = key
    }

    public var acceptedVersion: UInt64? {
        get { (defaults.object(forKey: key) as? NSNumber)?.uint64Value }
        set {
            if let v = newValue { defaults.set(NSNumber(value: v), forKey: key) } else { defaults.removeObject(forKey: key) }
        }
    }
}
