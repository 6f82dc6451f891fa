// Delivers queued reports and barring changes over Ut when the network is up:
// one OutboxDelivery run (core-jvm) per job run. A JobScheduler job (framework,
// no WorkManager). NextRun.Backoff finishes with a reschedule, so JobScheduler
// waits with its exponential policy from 30 s (capped at 5 h: the same numbers
// as Backoff); NextRun.At schedules a run for when the core's earliest item is
// due. The runs since the last settled one are counted in the app's preferences
//: JobParameters carries no attempt count on API 29.

package org.callscreen.demo.android

import android.app.job.JobInfo
import android.app.job.JobParameters
import android.app.job.JobScheduler
import android.app.job.JobService
import android.content.ComponentName
import android.content.Context
import org.callscreen.demo.ut.Backoff
import org.callscreen.demo.ut.NextRun
import org.callscreen.demo.ut.OutboxDelivery

class OutboxDeliveryJob : JobService() {
    override fun onStartJob(params: JobParameters): Boolean {
        val app = application as DemoApp
        app.background.execute {
            val prefs = app.getSharedPreferences(PREFS, Context.MODE_PRIVATE)
            val runNumber = prefs.getInt(RUNS, 0) + 1
            val next = try {
                OutboxDelivery(app.utTransport(), BACKOFF).run(app.screener.get(), app.clock.now(), runNumber).also { r ->
                    r.error?.let { Logcat.warn("callscreen: delivery run failed ($it)") }
                }.next
            } catch (e: Exception) {
                Logcat.error("callscreen: delivery run failed (${e.javaClass.simpleName})", e)
                NextRun.Backoff(BACKOFF.delaySecs(runNumber))
            }
            when (next) {
                NextRun.Settled -> {
                    prefs.edit().remove(RUNS).apply()
                    jobFinished(params, false)
                }
                is NextRun.Backoff -> {
                    prefs.edit().putInt(RUNS, runNumber).apply()
                    jobFinished(params, true)
                }
                is NextRun.At -> {
                    prefs.edit().remove(RUNS).apply()
                    jobFinished(params, false)
                    schedule(app, next.afterSecs)
                }
            }
        }
        return true // finishing on the background thread
    }

    override fun onStopJob(params: JobParameters): Boolean = true // run again later

    companion object {
        const val JOB_ID = 7302
        private const val PREFS = "callscreen-delivery"
        private const val RUNS = "runs"
        val BACKOFF = Backoff()

        /** After queuing a report or a block, from the outbox screen, or for the next due item. */
        fun schedule(context: Context, delaySecs: Long = 0) {
            val scheduler = context.getSystemService(JobScheduler::class.java) ?: return
            val job = JobInfo.Builder(JOB_ID, ComponentName(context, OutboxDeliveryJob::class.java))
                .setRequiredNetworkType(JobInfo.NETWORK_TYPE_ANY)
                .setMinimumLatency(delaySecs * 1000)
                .setBackoffCriteria(BACKOFF.baseSecs * 1000, JobInfo.BACKOFF_POLICY_EXPONENTIAL)
                .build()
            scheduler.schedule(job)
        }
    }
}
