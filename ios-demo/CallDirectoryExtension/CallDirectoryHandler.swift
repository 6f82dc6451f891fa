// The Call Directory extension, fed from the core's CallKit export: entries in
// ascending order, streamed in chunks, incremental when the system allows.
// Labels come from the core and never claim "verified". Not compiled here.

import CallKit

final class CallDirectoryHandler: CXCallDirectoryProvider {
    override func beginRequest(with context: CXCallDirectoryExtensionContext) {
        do {
            let screener = try SharedScreener.open() // app-group database
            let since = context.isIncremental ? try screener.callDirectoryVersion() : nil
            let options = CallDirectoryOptions(entryBudget: 100_000, operatorLists: .block)
            let export = try screener.callDirectoryExport(options: options, sinceVersion: since)
            if try !export.isIncremental() {
                context.removeAllBlockingEntries()
                context.removeAllIdentificationEntries()
            }
            while true {
                let chunk = try export.nextChunk(max: 10_000)
                if chunk.isEmpty { break }
                for e in chunk {
                    let n = CXCallDirectoryPhoneNumber(e.number)
                    switch (e.kind, e.change) {
                    case (.blocking, .add): context.addBlockingEntry(withNextSequentialPhoneNumber: n)
                    case (.blocking, .remove): context.removeBlockingEntry(withPhoneNumber: n)
                    case (.identification, .add): context.addIdentificationEntry(withNextSequentialPhoneNumber: n, label: e.label ?? "")
                    case (.identification, .remove): context.removeIdentificationEntry(withPhoneNumber: n)
                    }
                }
            }
            _ = try export.commit()
            context.completeRequest()
        } catch {
            context.cancelRequest(withError: error)
        }
    }
}
