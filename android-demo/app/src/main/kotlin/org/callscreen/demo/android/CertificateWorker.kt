// Fetches the x5u URLs a verdict named in cert_needed, after the call (never
// while it rings: DESIGN.md), hands each chain to the screener and lets the
// CertificateSource answer from the disk cache next time. Only SIP intake
// (screenSip, in a VoIP or IMS app) names certificates: Call.Details carries
// no PASSporT, so the CallScreeningService path never needs this.

package org.callscreen.demo.android

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.Worker
import androidx.work.WorkerParameters
import androidx.work.workDataOf
import java.util.concurrent.TimeUnit
import org.callscreen.CallScreenException
import org.callscreen.demo.cert.CertificateFetchException

class CertificateWorker(context: Context, params: WorkerParameters) : Worker(context, params) {
    override fun doWork(): Result {
        val app = applicationContext as DemoApp
        val urls = inputData.getStringArray(URLS).orEmpty()
        var retry = false
        for (url in urls) {
            try {
                app.screener.addCertificate(url, app.certificateFetcher.chain(url))
            } catch (e: CertificateFetchException) {
                retry = true // network or server; a refused URL fails again quickly
            } catch (e: CallScreenException) {
                // Unreadable chain: nothing a retry would change.
            }
        }
        return if (retry && runAttemptCount < 3) Result.retry() else Result.success()
    }

    companion object {
        private const val URLS = "x5u"

        fun enqueue(context: Context, certNeeded: List<String>) {
            if (certNeeded.isEmpty()) return
            val request = OneTimeWorkRequestBuilder<CertificateWorker>()
                .setInputData(workDataOf(URLS to certNeeded.toTypedArray()))
                .setConstraints(Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build())
                .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 30, TimeUnit.SECONDS)
                .build()
            WorkManager.getInstance(context).enqueue(request)
        }
    }
}
