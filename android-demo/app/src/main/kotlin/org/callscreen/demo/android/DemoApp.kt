// One CallScreener for the app's life, shared by the screening service, the
// in-call screen and the UI (it is thread-safe).

package org.callscreen.demo.android

import android.app.Application
import org.callscreen.Action
import org.callscreen.CallScreener
import org.callscreen.ScreenerConfig

class DemoApp : Application() {
    val screener: CallScreener by lazy {
        CallScreener.open(
            ScreenerConfig(
                dbPath = getDatabasePath("callscreen.db").path,
                trustAnchorsPem = listOf(assets.open("sti-ca-roots.pem").bufferedReader().readText()),
                ownNumbers = emptyList(),
                likelySpamAction = Action.SILENCE,
            ),
            null, // an HTTPS certificate cache would go here (CertificateSource)
        )
    }
}
