// Wall-clock time in seconds since the epoch, injected so caches, pauses and
// backoff can be tested with a fake clock (the core's own clock is injected the
// same way: CallScreener.openAtTime). Mirrors Clock.kt; not named `Clock`,
// which the Swift standard library already uses.

import Foundation

public protocol WallClock: AnyObject {
    func now() -> Int64
}

public final class SystemWallClock: WallClock {
    public init() {}
    public func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}

/// A clock that moves only when told to: for tests and replays.
public final class ManualWallClock: WallClock {
    private var t: Int64
    public init(_ t: Int64) { self.t = t }
    public func now() -> Int64 { t }
    public func advance(_ secs: Int64) { t += secs }
}
