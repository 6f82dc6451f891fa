// One CallScreener for the app's life, shared by the screening service, the
// in-call screen, the jobs and the screens (it is thread-safe). It is opened on
// first use, off the main thread and inside the screening budget (ScreenerHandle):
// a missing sti-ca-roots.pem or an unopenable database is logged and the call is
// allowed, never a crash. Its CertificateSource answers from the disk cache the
// certificate refresh job fills.

package org.callscreen.demo.android

import android.app.Application
import android.app.NotificationChannel
import android.app.NotificationManager
import android.util.Log
import java.io.File
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import org.callscreen.Action
import org.callscreen.CallScreener
import org.callscreen.CallScreenerInterface
import org.callscreen.CertificateSource
import org.callscreen.HistoryMode
import org.callscreen.LogLevel
import org.callscreen.LogSink
import org.callscreen.ScreenerConfig
import org.callscreen.UtTransport
import org.callscreen.demo.Clock
import org.callscreen.demo.ScreeningBudget
import org.callscreen.demo.cert.CachedCertificateSource
import org.callscreen.demo.cert.CertificateDiskCache
import org.callscreen.demo.cert.ChainFetcher
import org.callscreen.demo.cert.HttpsCertificateFetcher
import org.callscreen.demo.screening.ScreenerHandle
import org.callscreen.demo.screening.ScreeningController
import org.callscreen.demo.screening.ScreeningLog
import org.callscreen.demo.ut.DigestCredentials
import org.callscreen.demo.ut.HttpsUtTransport
import org.callscreen.setLogSink

open class DemoApp : Application() {
    val certificateCache by lazy { CertificateDiskCache(File(filesDir, "x5u-cache")) }

    /** The app's one screener, opened on first use (never on the main thread). */
    val screener: ScreenerHandle by lazy { ScreenerHandle(::openScreener, Logcat) }

    /** The screening decision (core-jvm), shared by the screening and in-call services. */
    val controller: ScreeningController by lazy {
        ScreeningController(screener, ScreeningBudget(screeningWorker, budgetMillis), clock, Logcat)
    }

    /** How long a screen may take before the call is allowed (Android gives 5 s). */
    protected open val budgetMillis: Long get() = ScreeningBudget.DEFAULT_MILLIS

    /** Where the screens and jobs run database and network work (off the main thread). */
    val background: ExecutorService = Executors.newSingleThreadExecutor()

    /** Runs each screen inside the budget (the waiting thread gives up; this one finishes). */
    private val screeningWorker: ExecutorService = Executors.newCachedThreadPool()

    open val clock: Clock get() = Clock.SYSTEM

    override fun onCreate() {
        super.onCreate()
        getSystemService(NotificationManager::class.java)?.createNotificationChannel(
            NotificationChannel(Notifications.CHANNEL, "Screened calls", NotificationManager.IMPORTANCE_HIGH),
        )
        // The core's own log records (numbers already redacted) go to Logcat.
        setLogSink(RustLogcat)
    }

    /** Opens the screener: the database in the app's storage, the operator's STI-CA roots. */
    protected open fun openScreener(): CallScreenerInterface =
        open(
            ScreenerConfig(
                dbPath = getDatabasePath("callscreen.db").also { it.parentFile?.mkdirs() }.path,
                // A dialer must keep screening: a corrupt file is moved aside, not fatal.
                startFreshIfCorrupt = true,
                trustAnchorsPem = trustAnchorsPem(),
                ownNumbers = emptyList(),
                likelySpamAction = Action.SILENCE,
            ),
            CachedCertificateSource(certificateCache),
        ).also { it.setHistoryMode(HistoryMode.ALL) } // the call log lists every call

    /** `CallScreener.open` (the system clock). */
    protected open fun open(config: ScreenerConfig, source: CertificateSource?): CallScreenerInterface = CallScreener.open(config, source)

    /** The operator's STI-CA roots, shipped as an asset. */
    protected open fun trustAnchorsPem(): List<String> =
        listOf(assets.open("sti-ca-roots.pem").bufferedReader().use { it.readText() })

    /** Fetches the chains behind x5u URLs (the certificate refresh job). */
    open fun certificateFetcher(): ChainFetcher = HttpsCertificateFetcher(certificateCache)

    /** The operator's Ut (XCAP) root and credentials; per operator in a real app. */
    open fun utTransport(): UtTransport = HttpsUtTransport(UtConfig.ROOT, UtConfig.credentials())
}

/** The controller's and the app's messages in Logcat (tag `callscreen`). */
object Logcat : ScreeningLog {
    const val TAG = "callscreen"

    override fun warn(message: String) {
        Log.w(TAG, message)
    }

    override fun error(message: String, error: Throwable?) {
        // The exception's class only: messages can hold paths or numbers.
        Log.e(TAG, message)
    }
}

/** Rust's log records, forwarded by set_log_sink. */
object RustLogcat : LogSink {
    override fun log(level: LogLevel, target: String, message: String) {
        when (level) {
            LogLevel.ERROR -> Log.e(Logcat.TAG, message)
            LogLevel.WARN -> Log.w(Logcat.TAG, message)
            LogLevel.INFO -> Log.i(Logcat.TAG, message)
            LogLevel.DEBUG, LogLevel.TRACE -> Log.d(Logcat.TAG, message)
        }
    }
}

object UtConfig {
    const val ROOT = "https://xcap.ims.example.net/"

    /** Digest credentials for Ut; null where the operator uses GBA (not supported here). */
    fun credentials(): DigestCredentials? = null
}
