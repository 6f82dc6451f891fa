// What every test shares: the two SDK levels, no merged manifest (no AGP here:
// components are started directly), the TestApp, and helpers to screen a call
// through the real DemoScreeningService and wait for its response.

package org.callscreen.demo.android

import android.telecom.Call
import android.telecom.CallScreeningService
import org.callscreen.Action
import org.callscreen.CallScreenerInterface
import org.callscreen.Effect
import org.callscreen.NewRule
import org.callscreen.RuleKind
import org.callscreen.RuleSource
import org.junit.After
import org.junit.Assert.fail
import org.junit.Before
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.annotation.Config
import org.robolectric.shadow.api.Shadow
import org.robolectric.shadows.ShadowCallScreeningService
import org.robolectric.shadows.ShadowLog

@RunWith(RobolectricTestRunner::class)
@Config(sdk = [29, 37], manifest = Config.NONE, application = TestApp::class)
abstract class AppTest {
    protected val app: TestApp get() = RuntimeEnvironment.getApplication() as TestApp

    @Before fun resetSetup() {
        TestApp.Setup.reset()
        ShadowLog.clear()
        FakeContacts.numbers.clear()
        FakeContacts.queried.clear()
    }

    @After fun closeScreener() {
        app.screener.close()
    }

    /** The app's screener (opened by the test, off the services). */
    protected val screener: CallScreenerInterface get() = app.screener.get()

    protected fun block(number: String) {
        screener.addRule(NewRule(RuleKind.Number(number), Effect.BLOCK, RuleSource.USER))
    }

    protected fun setPolicy(change: (org.callscreen.Policy) -> org.callscreen.Policy) {
        screener.setPolicy(change(screener.policy()))
    }

    protected fun screeningService(): DemoScreeningService = Robolectric.setupService(DemoScreeningService::class.java)

    /** Hand `details` to the screening service as Telecom does (main thread) and wait for its answer. */
    protected fun screen(details: Call.Details, service: DemoScreeningService = screeningService(), timeoutMillis: Long = 5_000): CallScreeningService.CallResponse {
        service.onScreenCall(details)
        return awaitResponse(service, details, timeoutMillis)
    }

    protected fun awaitResponse(service: DemoScreeningService, details: Call.Details, timeoutMillis: Long = 5_000): CallScreeningService.CallResponse {
        val shadow = Shadow.extract<ShadowCallScreeningService>(service)
        val deadline = System.nanoTime() + timeoutMillis * 1_000_000
        while (System.nanoTime() < deadline) {
            val last = shadow.lastRespondToCallInput.orElse(null)
            if (last != null && last.callDetails === details) return last.callResponse
            Thread.sleep(2)
        }
        fail("no respondToCall within $timeoutMillis ms")
        throw AssertionError()
    }

    protected fun errors(): List<String> = ShadowLog.getLogsForTag(Logcat.TAG).filter { it.type == android.util.Log.ERROR }.map { it.msg }

    protected fun warnings(): List<String> = ShadowLog.getLogsForTag(Logcat.TAG).filter { it.type == android.util.Log.WARN }.map { it.msg }

    /** The titles of the notifications posted so far. */
    protected fun notificationTitles(): List<String?> =
        org.robolectric.Shadows.shadowOf(app.getSystemService(android.app.NotificationManager::class.java))
            .allNotifications.map { it.extras.getString(android.app.Notification.EXTRA_TITLE) }

    protected fun awaitNotification(title: String, timeoutMillis: Long = 3_000): Boolean {
        val deadline = System.nanoTime() + timeoutMillis * 1_000_000
        while (System.nanoTime() < deadline) {
            if (title in notificationTitles()) return true
            Thread.sleep(5)
        }
        return false
    }

    protected fun historySize(): Int = screener.history(org.callscreen.HistoryFilter()).size

    protected val allowAll: (org.callscreen.Policy) -> org.callscreen.Policy = { it.copy(unverifiedAction = Action.ALLOW) }
}
