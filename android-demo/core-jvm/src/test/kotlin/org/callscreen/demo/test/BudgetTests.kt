// ScreeningBudget: the CallScreeningService's answer within Android's 5 s.

package org.callscreen.demo.test

import java.util.concurrent.Executors
import org.callscreen.ResponseOptions
import org.callscreen.demo.Budgeted
import org.callscreen.demo.ScreeningBudget

fun budgetTests(fx: Fixtures) = Suite("budget").apply {
    val worker = Executors.newCachedThreadPool { r -> Thread(r).apply { isDaemon = true } }

    test("a real screen answers within the budget with the CallResponse") {
        fx.screener().use { s ->
            s.blockNumber("+12025550111", org.callscreen.ReportKind.UNSOLICITED, org.callscreen.BlockMode.ALWAYS, false)
            val r = ScreeningBudget(worker).run { s.screenAndroid(platformCall("+12025550111", 0), ResponseOptions()) }
            val done = r as? Budgeted.Done ?: throw TestFailed(r.toString())
            expect(done.value.response.disallowCall && done.value.response.rejectCall) { done.toString() }
        }
    }

    test("a screen past the budget times out in time; a failing one is Failed") {
        val budget = ScreeningBudget(worker, 200)
        val start = System.nanoTime()
        expectEqual(Budgeted.TimedOut, budget.run { Thread.sleep(3000) }, "slow screen")
        val ms = (System.nanoTime() - start) / 1_000_000
        expect(ms in 200..1500) { "took $ms ms" }
        val failed = budget.run { throw IllegalStateException("boom") }
        expect(failed is Budgeted.Failed && failed.error is IllegalStateException) { failed.toString() }
    }

    test("a budget of 5 s or more is refused") {
        expectThrows<IllegalArgumentException> { ScreeningBudget(worker, 5_000) }
        expectEqual(4_000L, ScreeningBudget(worker).budgetMillis, "default")
    }
}
