// The view models' observable state: an immutable value replaced as a whole.
// SwiftUI observes it as an ObservableObject; tests and UIKit code use
// `observe`. Mirrors StateStore.kt. Set from the thread that drives the view
// model (the main thread in the app).

import Combine

public final class StateStore<T>: ObservableObject {
    @Published public private(set) var value: T
    private var listeners: [Int: (T) -> Void] = [:]
    private var nextListener = 0

    public init(_ initial: T) { value = initial }

    /// Calls `listener` now and on every change; returns the unsubscribe action.
    @discardableResult
    public func observe(_ listener: @escaping (T) -> Void) -> () -> Void {
        let key = nextListener
        nextListener += 1
        listeners[key] = listener
        listener(value)
        return { [weak self] in self?.listeners[key] = nil }
    }

    func set(_ new: T) {
        value = new
        for listener in listeners.values { listener(new) }
    }
}
