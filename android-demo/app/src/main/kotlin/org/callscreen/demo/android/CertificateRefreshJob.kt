// Fetches the x5u URLs a verdict named in cert_needed, after the call (never
// while it rings: DESIGN.md), hands each chain to the screener, and lets the
// CertificateSource answer from the disk cache next time. A JobScheduler job
// (framework, no WorkManager): needs a network, exponential backoff from 30 s
// when a fetch failed. Only SIP intake (screenSip, in a VoIP or IMS app) names
// certificates: Call.Details carries no PASSporT.

package org.callscreen.demo.android

import android.app.job.JobInfo
import android.app.job.JobParameters
import android.app.job.JobScheduler
import android.app.job.JobService
import android.content.ComponentName
import android.content.Context
import android.os.PersistableBundle
import org.callscreen.Verdict
import org.callscreen.demo.cert.CertificateFetchRun

class CertificateRefreshJob : JobService() {
    override fun onStartJob(params: JobParameters): Boolean {
        val app = application as DemoApp
        val urls = params.extras.getStringArray(URLS)?.toList().orEmpty()
        app.background.execute {
            val retry = try {
                val run = CertificateFetchRun.run(app.screener.get(), app.certificateFetcher(), urls)
                if (run.failed.isNotEmpty()) Logcat.warn("callscreen: ${run.failed.size} certificate(s) not fetched")
                run.retry
            } catch (e: Exception) {
                Logcat.error("callscreen: certificate refresh failed (${e.javaClass.simpleName})", e)
                true
            }
            jobFinished(params, retry)
        }
        return true // finishing on the background thread
    }

    override fun onStopJob(params: JobParameters): Boolean = true // run again later

    companion object {
        const val JOB_ID = 7301
        const val URLS = "x5u"
        const val BACKOFF_MILLIS = 30_000L

        /** After a verdict that named certificates (no-op when it named none). */
        fun scheduleFor(context: Context, verdict: Verdict) = schedule(context, verdict.verification.certNeeded)

        fun schedule(context: Context, urls: List<String>) {
            if (urls.isEmpty()) return
            val scheduler = context.getSystemService(JobScheduler::class.java) ?: return
            // Keep the URLs of a run still pending: one job fetches them all.
            val pending = scheduler.getPendingJob(JOB_ID)?.extras?.getStringArray(URLS).orEmpty().toList()
            val all = (pending + urls).distinct()
            val job = JobInfo.Builder(JOB_ID, ComponentName(context, CertificateRefreshJob::class.java))
                .setRequiredNetworkType(JobInfo.NETWORK_TYPE_ANY)
                .setBackoffCriteria(BACKOFF_MILLIS, JobInfo.BACKOFF_POLICY_EXPONENTIAL)
                .setExtras(PersistableBundle().apply { putStringArray(URLS, all.toTypedArray()) })
                .build()
            scheduler.schedule(job)
        }
    }
}
