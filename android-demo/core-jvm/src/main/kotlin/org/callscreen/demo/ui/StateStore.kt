// The view models' observable state: an immutable value replaced as a whole, and
// listeners told of each new value. Android screens post the value to the main
// thread and render it; tests read `value`.

package org.callscreen.demo.ui

import java.util.concurrent.CopyOnWriteArrayList

class StateStore<T>(initial: T) {
    @Volatile var value: T = initial
        private set
    private val listeners = CopyOnWriteArrayList<(T) -> Unit>()

    /** Calls `listener` now and on every change; returns the unsubscribe action. */
    fun observe(listener: (T) -> Unit): () -> Unit {
        listeners += listener
        listener(value)
        return { listeners -= listener }
    }

    internal fun set(new: T) {
        value = new
        listeners.forEach { it(new) }
    }
}
