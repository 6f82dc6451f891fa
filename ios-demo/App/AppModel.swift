// The app's one screener on the shared database and the screens' view models.

import CallScreen
import CallscreenDemoKit
import Foundation

final class AppModel {
    let screener: CallScreener
    let callLog: CallLogViewModel
    let history: SpoofedHistoryViewModel
    let lists: ListsViewModel
    let outboxScreen: OutboxViewModel
    let outbox: OutboxScheduler
    let directory = CallDirectoryReloader()

    init() throws {
        let cache = try CertificateDiskCache(dir: try AppGroup.certificateCacheDir())
        screener = try AppGroup.openScreener(certificateSource: CachedCertificateSource(cache: cache))
        callLog = CallLogViewModel(screener: screener)
        history = SpoofedHistoryViewModel(screener: screener)
        lists = ListsViewModel(screener: screener)
        outboxScreen = OutboxViewModel(screener: screener)
        outbox = OutboxScheduler(screener: screener, transport: UtConfiguration.transport())
        lists.onChange = { [directory] in directory.reload() }
    }

    /// Foreground again: the extensions may have written (reports, blocks).
    func becameActive() {
        callLog.refresh()
        history.refresh()
        lists.refresh()
        outboxScreen.refresh()
        directory.reloadIfStale()
        outbox.deliverSoon()
    }

    /// A report or a block from the history screen: deliver, and let iOS see the block.
    func reportQueued() {
        directory.reload()
        outbox.deliverSoon()
    }
}
