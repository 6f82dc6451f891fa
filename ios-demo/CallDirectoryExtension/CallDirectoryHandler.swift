// The Call Directory extension: iOS asks it for blocking and identification
// entries (beginRequest(with:)); it streams the core's CallKit export from the
// shared database into the context in chunks (CallDirectorySync), incremental
// when iOS allows it, with the accepted version kept in the app group's
// UserDefaults. Labels come from the core and never claim "verified".
// Never compiled here (no Swift toolchain): see ../README.md.

import CallKit
import CallScreen
import CallscreenDemoKit
import Foundation

final class CallDirectoryHandler: CXCallDirectoryProvider {
    override func beginRequest(with context: CXCallDirectoryExtensionContext) {
        context.delegate = self
        guard let defaults = AppGroup.defaults() else {
            context.cancelRequest(withError: CallScreenError.Configuration(reason: "no app group defaults"))
            return
        }
        let store = DefaultsVersionStore(defaults: defaults)
        do {
            let screener = try AppGroup.openScreener()
            let load = try CallDirectorySync().load(from: screener, into: ContextSink(context),
                                                    incrementalRequest: context.isIncremental, store: store)
            let report = try load.report()
            context.completeRequest { expired in
                // Commit only what iOS accepted; a request it dropped is exported again next time.
                guard !expired else { return }
                do {
                    try load.commit(to: store)
                    if let until = report.validUntil {
                        defaults.set(NSNumber(value: until), forKey: AppGroup.Key.callDirectoryValidUntil)
                    } else {
                        defaults.removeObject(forKey: AppGroup.Key.callDirectoryValidUntil)
                    }
                    defaults.set(Self.summary(report, incremental: load.incremental), forKey: AppGroup.Key.callDirectoryReport)
                } catch {
                    // The next request is a full load: nothing is lost.
                    store.acceptedVersion = nil
                }
                try? screener.shutdown()
            }
        } catch {
            context.cancelRequest(withError: error)
        }
    }

    private static func summary(_ r: CallDirectoryReport, incremental: Bool) -> String {
        var s = "\(incremental ? "Delta" : "Full load"): \(r.blockingEntries) blocked, \(r.identificationEntries) identified"
        if r.truncatedEntries > 0 { s += "; \(r.truncatedEntries) left out over the budget of \(r.entryBudget)" }
        if !r.skipped.isEmpty { s += "; \(r.skipped.count) rules CallKit cannot express" }
        if r.labelsRewritten + r.labelsDropped > 0 { s += "; \(r.labelsRewritten + r.labelsDropped) labels rewritten or dropped" }
        return s
    }
}

extension CallDirectoryHandler: CXCallDirectoryExtensionContextDelegate {
    func requestFailed(for extensionContext: CXCallDirectoryExtensionContext, withError error: Error) {
        // iOS refused the load (CXErrorCodeCallDirectoryManagerError, e.g.
        // entries out of order): nothing was committed, so the next request
        // starts again from the last accepted version.
    }
}

/// CXCallDirectoryExtensionContext as a CallDirectorySink.
private final class ContextSink: CallDirectorySink {
    private let context: CXCallDirectoryExtensionContext
    init(_ context: CXCallDirectoryExtensionContext) { self.context = context }

    func removeAllEntries() {
        context.removeAllBlockingEntries()
        context.removeAllIdentificationEntries()
    }
    func addBlockingEntry(_ number: Int64) {
        context.addBlockingEntry(withNextSequentialPhoneNumber: CXCallDirectoryPhoneNumber(number))
    }
    func removeBlockingEntry(_ number: Int64) {
        context.removeBlockingEntry(withPhoneNumber: CXCallDirectoryPhoneNumber(number))
    }
    func addIdentificationEntry(_ number: Int64, label: String) {
        context.addIdentificationEntry(withNextSequentialPhoneNumber: CXCallDirectoryPhoneNumber(number), label: label)
    }
    func removeIdentificationEntry(_ number: Int64) {
        context.removeIdentificationEntry(withPhoneNumber: CXCallDirectoryPhoneNumber(number))
    }
}
