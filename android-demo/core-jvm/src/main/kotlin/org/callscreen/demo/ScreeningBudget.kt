// Android gives onScreenCall 5 seconds. The screen runs on a worker thread and
// the service waits at most `budgetMillis` for it; past the budget, or when the
// screen fails, the call is allowed (a screening fault must never block a call).

package org.callscreen.demo

import java.util.concurrent.ExecutionException
import java.util.concurrent.ExecutorService
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException

sealed interface Budgeted<out T> {
    data class Done<T>(val value: T) : Budgeted<T>
    data object TimedOut : Budgeted<Nothing>
    data class Failed(val error: Throwable) : Budgeted<Nothing>
}

class ScreeningBudget(private val worker: ExecutorService, val budgetMillis: Long = DEFAULT_MILLIS) {
    init {
        require(budgetMillis in 1 until ANDROID_LIMIT_MILLIS) { "budget must be under Android's 5 s" }
    }

    fun <T> run(task: () -> T): Budgeted<T> {
        val future = worker.submit<T> { task() }
        return try {
            Budgeted.Done(future.get(budgetMillis, TimeUnit.MILLISECONDS))
        } catch (e: TimeoutException) {
            future.cancel(true)
            Budgeted.TimedOut
        } catch (e: ExecutionException) {
            Budgeted.Failed(e.cause ?: e)
        } catch (e: InterruptedException) {
            Thread.currentThread().interrupt()
            Budgeted.Failed(e)
        }
    }

    companion object {
        const val ANDROID_LIMIT_MILLIS = 5_000L
        /** Leaves a second for binder round trips and respondToCall. */
        const val DEFAULT_MILLIS = 4_000L
    }
}
