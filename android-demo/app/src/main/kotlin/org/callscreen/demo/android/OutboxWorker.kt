// Delivers queued reports and barring changes over Ut when the network is up:
// one OutboxDelivery run (core-jvm) per work run. NextRun.Backoff returns
// Result.retry(), so WorkManager waits with the same exponential policy
// (Backoff: 30 s doubling, 5 h cap); NextRun.At schedules a run for when the
// core's earliest item is due.

package org.callscreen.demo.android

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.Worker
import androidx.work.WorkerParameters
import java.util.concurrent.TimeUnit
import org.callscreen.demo.ut.Backoff
import org.callscreen.demo.ut.NextRun
import org.callscreen.demo.ut.OutboxDelivery

class OutboxWorker(context: Context, params: WorkerParameters) : Worker(context, params) {
    override fun doWork(): Result {
        val app = applicationContext as DemoApp
        val run = OutboxDelivery(app.utTransport(), BACKOFF)
            .run(app.screener, System.currentTimeMillis() / 1000, runAttemptCount + 1)
        return when (val next = run.next) {
            NextRun.Settled -> Result.success()
            is NextRun.Backoff -> Result.retry()
            is NextRun.At -> {
                schedule(applicationContext, next.afterSecs, ExistingWorkPolicy.APPEND_OR_REPLACE)
                Result.success()
            }
        }
    }

    companion object {
        private const val NAME = "callscreen-outbox"
        val BACKOFF = Backoff()

        /** After queuing a report or a block, or from the outbox screen's retry. */
        fun schedule(context: Context, delaySecs: Long = 0, policy: ExistingWorkPolicy = ExistingWorkPolicy.REPLACE) {
            val request = OneTimeWorkRequestBuilder<OutboxWorker>()
                .setInitialDelay(delaySecs, TimeUnit.SECONDS)
                .setConstraints(Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build())
                .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, BACKOFF.baseSecs, TimeUnit.SECONDS)
                .build()
            WorkManager.getInstance(context).enqueueUniqueWork(NAME, policy, request)
        }
    }
}
