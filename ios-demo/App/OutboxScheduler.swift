// Delivers queued reports and barring changes over Ut: one OutboxDelivery run
// per BGProcessingTask (network required), then the next request at the
// run's NextRun (backoff, or when the core's earliest item is due). "Send now"
// and the app coming to the foreground run one pass right away, off the main
// thread (deliverOutbox blocks while the transport works).

import BackgroundTasks
import CallScreen
import CallscreenDemoKit
import Foundation

final class OutboxScheduler {
    static let taskIdentifier = "org.callscreen.demo.outbox" // Info.plist BGTaskSchedulerPermittedIdentifiers
    private static let runKey = "outboxRun"

    private let screener: CallScreener
    private let delivery: OutboxDelivery?
    private let queue = DispatchQueue(label: "org.callscreen.demo.outbox")

    init(screener: CallScreener, transport: UtTransport?) {
        self.screener = screener
        delivery = transport.map { OutboxDelivery(transport: $0) }
    }

    var canDeliver: Bool { delivery != nil }

    func register() {
        BGTaskScheduler.shared.register(forTaskWithIdentifier: Self.taskIdentifier, using: nil) { task in
            self.handle(task)
        }
    }

    /// One pass now, in the background; `done` on the main thread.
    func deliverSoon(done: @escaping (DeliveryRun?) -> Void = { _ in }) {
        queue.async {
            let run = self.runOnce()
            DispatchQueue.main.async { done(run) }
        }
    }

    private func handle(_ task: BGTask) {
        var finished = false
        let lock = NSLock()
        let complete: (Bool) -> Void = { success in
            lock.lock()
            defer { lock.unlock() }
            if !finished {
                finished = true
                task.setTaskCompleted(success: success)
            }
        }
        // deliverOutbox cannot be interrupted; the core keeps each item until
        // the transport confirms it, so an expired task loses nothing.
        task.expirationHandler = {
            self.schedule(afterSecs: 60)
            complete(false)
        }
        queue.async {
            let run = self.runOnce()
            complete(run.map { $0.error == nil } ?? true)
        }
    }

    @discardableResult
    private func runOnce() -> DeliveryRun? {
        guard let delivery else { return nil }
        let defaults = UserDefaults.standard
        let n = max(1, defaults.integer(forKey: Self.runKey))
        let run = delivery.run(screener, now: Int64(Date().timeIntervalSince1970), run: n)
        switch run.next {
        case .settled:
            defaults.set(1, forKey: Self.runKey)
        case .backoff(let secs):
            defaults.set(n + 1, forKey: Self.runKey)
            schedule(afterSecs: secs)
        case .at(let secs):
            defaults.set(1, forKey: Self.runKey)
            schedule(afterSecs: secs)
        }
        return run
    }

    private func schedule(afterSecs secs: Int64) {
        let request = BGProcessingTaskRequest(identifier: Self.taskIdentifier)
        request.requiresNetworkConnectivity = true
        request.earliestBeginDate = Date(timeIntervalSinceNow: TimeInterval(secs))
        try? BGTaskScheduler.shared.submit(request)
    }
}
