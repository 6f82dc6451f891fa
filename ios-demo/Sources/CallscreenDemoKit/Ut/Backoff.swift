// Exponential backoff between delivery runs: base × 2^(run − 1), capped.
// Mirrors Backoff.kt (there WorkManager's policy). On iOS a BGProcessingTask
// has no retry policy of its own: the app schedules the next request with
// earliestBeginDate = now + delaySecs, and iOS may run it later still.

public struct Backoff: Equatable {
    public let baseSecs: Int64
    public let maxSecs: Int64

    public init(baseSecs: Int64 = 30, maxSecs: Int64 = 5 * 3600) {
        precondition(baseSecs >= 1 && maxSecs >= baseSecs)
        self.baseSecs = baseSecs
        self.maxSecs = maxSecs
    }

    /// The wait after the `run`-th run failed (run ≥ 1).
    public func delaySecs(run: Int) -> Int64 {
        precondition(run >= 1)
        let exp = min(run - 1, 30)
        return min(baseSecs << Int64(exp), maxSecs)
    }
}
