// Asks iOS to reload the Call Directory extension (which re-exports from the
// shared database): after a list or policy change, a report with a block, and
// once the last export's validUntil has passed (a rule started or ended).

import CallKit
import CallscreenDemoKit
import Foundation

final class CallDirectoryReloader: ObservableObject {
    /// The extension's last load, or why reloading failed (e.g. not enabled in
    /// Settings › Phone › Call Blocking & Identification).
    @Published private(set) var status: String?

    func reload() {
        CXCallDirectoryManager.sharedInstance.reloadExtension(withIdentifier: AppGroup.callDirectoryExtension) { error in
            let text = error.map { "Call Directory not reloaded: \($0.localizedDescription)" }
                ?? AppGroup.defaults()?.string(forKey: AppGroup.Key.callDirectoryReport)
            DispatchQueue.main.async { self.status = text }
        }
    }

    func reloadIfStale() {
        guard let until = (AppGroup.defaults()?.object(forKey: AppGroup.Key.callDirectoryValidUntil) as? NSNumber)?.int64Value,
              until <= Int64(Date().timeIntervalSince1970) else {
            status = AppGroup.defaults()?.string(forKey: AppGroup.Key.callDirectoryReport)
            return
        }
        reload()
    }
}
