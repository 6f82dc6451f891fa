// The screens: framework widgets built in code (no R), the screener opened off
// the main thread, and what the user sees when it cannot be opened.

package org.callscreen.demo.android

import android.os.Looper
import android.view.View
import android.view.ViewGroup
import android.widget.Button
import android.widget.TextView
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import org.robolectric.Robolectric
import org.robolectric.Shadows.shadowOf

class MainActivityTest : AppTest() {
    /** Let the background executor and the main looper hand work back and forth until quiet. */
    private fun settle() {
        repeat(6) {
            val done = CountDownLatch(1)
            app.background.execute { done.countDown() }
            assertTrue(done.await(10, TimeUnit.SECONDS))
            shadowOf(Looper.getMainLooper()).idle()
        }
    }

    private fun views(v: View): List<View> =
        listOf(v) + if (v is ViewGroup) (0 until v.childCount).flatMap { views(v.getChildAt(it)) } else emptyList()

    private fun texts(activity: MainActivity) =
        views(activity.window.decorView).filterIsInstance<TextView>().filter { it !is Button }.map { it.text.toString() }

    private fun buttons(activity: MainActivity) =
        views(activity.window.decorView).filterIsInstance<Button>().map { it.text.toString() }

    @Test fun callLogShowsTheScreenedCallAfterOpeningOffTheMainThread() {
        block("+12025550190")
        assertTrue(screen(Telecom.details("+12025550190")).disallowCall)
        TestApp.Seen.reset()
        val activity = Robolectric.buildActivity(MainActivity::class.java).setup().get()
        settle()
        assertEquals(listOf("Calls", "Spoofed", "Lists", "Outbox", MainActivity.USE_AS_PHONE_APP), buttons(activity).take(5))
        val shown = texts(activity)
        assertTrue(shown.toString(), "+12025550190" in shown)
        assertTrue(shown.toString(), shown.any { "Blocked" in it })
        assertEquals("no screener call on the main looper", 0, TestApp.Seen.screenerCallsOnMain.get())
    }

    @Test fun screenerThatFailsToOpenShowsAMessageInsteadOfTheScreens() {
        TestApp.Setup.missingTrustAnchors = true
        val activity = Robolectric.buildActivity(MainActivity::class.java).setup().get()
        settle()
        assertTrue(texts(activity).toString(), texts(activity).any { "could not be opened" in it })
        assertTrue("no tabs", buttons(activity).isEmpty())
        assertTrue(errors().toString(), errors().any { "could not be opened" in it })
    }
}
