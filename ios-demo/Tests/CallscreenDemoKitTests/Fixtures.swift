// The fixtures of tests/data (tests/fixtures/gen_fixtures.py), read in place
// from the repository this package sits in: the clock they were made for, the
// trust anchors, INVITEs, and x5u URL → file (https://certs.example.org/<name>
// is tests/data/certs/<name>). Mirrors core-jvm's Fixtures.kt.

import CallScreen
import Foundation
import XCTest

let NOW: Int64 = 1_795_348_800 // 2026-11-22T12:00:00Z
let SP_LEAF_URL = "https://certs.example.org/sp-leaf.pem"
let MISSING_URL = "https://certs.example.org/missing.pem"
let UTC = TimeZone(identifier: "UTC")!

enum Fixtures {
    /// ios-demo/Tests/CallscreenDemoKitTests/Fixtures.swift → the repository root.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let data = root.appendingPathComponent("tests/data")

    static func text(_ path: String) throws -> String {
        try String(contentsOf: data.appendingPathComponent(path), encoding: .utf8)
    }

    static func cert(_ name: String) throws -> Data { try Data(contentsOf: data.appendingPathComponent("certs/\(name)")) }

    static func invite(_ name: String) throws -> String { try text("invites/\(name)") }

    static func config(dbPath: String? = nil) throws -> ScreenerConfig {
        ScreenerConfig(dbPath: dbPath,
                       trustAnchorsPem: [try text("pki/sti-ca-root.pem")],
                       rcdTrustAnchorsPem: [try text("pki/rcd-root.pem")],
                       ownNumbers: ["+12155551213"],
                       likelySpamAction: .reject)
    }

    /// A screener on its own database file in a fresh directory.
    static func screener(source: CertificateSource? = nil, at: Int64 = NOW, dbPath: String? = nil) throws -> CallScreener {
        try CallScreener.openAtTime(config: try config(dbPath: dbPath ?? tempDB()), certificateSource: source, nowUnixSecs: at)
    }

    static func tempDir(_ prefix: String = "callscreen-test") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func tempDB() throws -> String { try tempDir().appendingPathComponent("t.db").path }
}

func platformCall(_ number: String?, _ status: Int32, _ presentation: PlatformPresentation = .allowed) -> PlatformCall {
    PlatformCall(number: number, presentation: presentation, verificationStatus: status)
}

func codes(_ v: Verdict) -> [String] { v.reasons.map(\.code) }
