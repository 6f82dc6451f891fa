// One CallScreener for the app's life, shared by the screening service, the
// in-call screen, the workers and the screens (it is thread-safe). Its
// CertificateSource answers from the disk cache HttpsCertificateFetcher fills.

package org.callscreen.demo.android

import android.app.Application
import java.io.File
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import org.callscreen.Action
import org.callscreen.CallScreener
import org.callscreen.HistoryMode
import org.callscreen.ScreenerConfig
import org.callscreen.demo.cert.CachedCertificateSource
import org.callscreen.demo.cert.CertificateDiskCache
import org.callscreen.demo.cert.HttpsCertificateFetcher
import org.callscreen.demo.ut.DigestCredentials
import org.callscreen.demo.ut.HttpsUtTransport

class DemoApp : Application() {
    val certificateCache by lazy { CertificateDiskCache(File(filesDir, "x5u-cache")) }

    val certificateFetcher by lazy { HttpsCertificateFetcher(certificateCache) }

    val screener: CallScreener by lazy {
        CallScreener.open(
            ScreenerConfig(
                dbPath = getDatabasePath("callscreen.db").also { it.parentFile?.mkdirs() }.path,
                // A dialer must keep screening: a corrupt file is moved aside, not fatal.
                startFreshIfCorrupt = true,
                trustAnchorsPem = listOf(assets.open("sti-ca-roots.pem").bufferedReader().use { it.readText() }),
                ownNumbers = emptyList(),
                likelySpamAction = Action.SILENCE,
            ),
            CachedCertificateSource(certificateCache),
        ).also { it.setHistoryMode(HistoryMode.ALL) } // the call log lists every call
    }

    /** The operator's Ut (XCAP) root and credentials; per operator in a real app. */
    fun utTransport() = HttpsUtTransport(UtConfig.ROOT, UtConfig.credentials())

    /** Where the screens run their view models' calls (database work off the main thread). */
    val background: ExecutorService = Executors.newSingleThreadExecutor()
}

object UtConfig {
    const val ROOT = "https://xcap.ims.example.net/"

    /** Digest credentials for Ut; null where the operator uses GBA (not supported here). */
    fun credentials(): DigestCredentials? = null
}
