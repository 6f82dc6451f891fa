// What the app and its two extensions share through the app group: one SQLite
// database (the core opens it safely from several processes: WAL, every write
// in a transaction), the certificate cache, and a few UserDefaults keys.

import CallScreen
import Foundation

public enum AppGroup {
    /// Must match the entitlements (project.yml) of the app and both extensions.
    public static let identifier = "group.org.callscreen.demo"
    /// The Call Directory extension's bundle identifier, for CXCallDirectoryManager.
    public static let callDirectoryExtension = "org.callscreen.demo.CallDirectory"

    public enum Key {
        /// The Call Directory version iOS last accepted (CallDirectoryExport.commit()).
        public static let callDirectoryVersion = "callDirectoryVersion"
        /// When the exported directory stops being right (a rule starts or ends): reload then.
        public static let callDirectoryValidUntil = "callDirectoryValidUntil"
        /// The last load's report, one line, for the app's lists screen.
        public static let callDirectoryReport = "callDirectoryReport"
    }

    public static func container() throws -> URL {
        guard let url = FileManager.default.containerURL(forSecurityApplicationGroupIdentifier: identifier) else {
            throw CallScreenError.Configuration(reason: "app group \(identifier) is not in the entitlements")
        }
        return url
    }

    public static func defaults() -> UserDefaults? { UserDefaults(suiteName: identifier) }

    public static func databasePath() throws -> String {
        try container().appendingPathComponent("callscreen.db").path
    }

    public static func certificateCacheDir() throws -> URL {
        try container().appendingPathComponent("certificates", isDirectory: true)
    }

    /// One CallScreener on the shared database. STI-CA roots come from the
    /// bundle's `sti-ca-roots.pem` (the operator's, from the STI-PA's list) when
    /// present; the Call Directory export and reports do not need them.
    public static func openScreener(bundle: Bundle = .main, certificateSource: CertificateSource? = nil) throws -> CallScreener {
        let anchors = bundle.url(forResource: "sti-ca-roots", withExtension: "pem")
            .flatMap { try? String(contentsOf: $0, encoding: .utf8) }
        // A dialer must keep screening: a corrupt file is moved aside, not fatal.
        let config = ScreenerConfig(dbPath: try databasePath(), startFreshIfCorrupt: true,
                                    trustAnchorsPem: anchors.map { [$0] } ?? [],
                                    likelySpamAction: .silence)
        return try CallScreener.open(config: config, certificateSource: certificateSource)
    }
}
