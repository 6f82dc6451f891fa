// A screen that renders one view model's state while it is shown: subscribes on
// show (rendering on the main thread), refreshes the view model off it, and
// unsubscribes on hide.

package org.callscreen.demo.android

import android.app.Activity
import android.widget.LinearLayout
import org.callscreen.demo.android.Ui.background
import org.callscreen.demo.ui.StateStore

abstract class StateScreen<S>(
    protected val activity: Activity,
    private val state: StateStore<S>,
    private val refresh: () -> Unit,
) : Screen {
    private var stop: (() -> Unit)? = null

    override fun show(content: LinearLayout) {
        stop = state.observe { s -> activity.runOnUiThread { render(content, s) } }
        activity.background { refresh() }
    }

    override fun hide() {
        stop?.invoke()
        stop = null
    }

    /** Draw `s` into `content` (main thread). */
    protected abstract fun render(content: LinearLayout, s: S)
}
