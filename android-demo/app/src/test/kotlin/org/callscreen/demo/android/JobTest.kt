// (h) The certificate refresh and the outbox delivery jobs: scheduled with
// JobScheduler (network required, exponential backoff), and run as JobScheduler
// runs them (onStartJob, jobFinished).

package org.callscreen.demo.android

import android.app.job.JobInfo
import android.app.job.JobParameters
import android.app.job.JobScheduler
import android.app.job.JobService
import android.os.Bundle
import android.os.PersistableBundle
import java.io.File
import org.callscreen.OutboxState
import org.callscreen.ReportKind
import org.callscreen.ReportRequest
import org.callscreen.ReportWhen
import org.callscreen.VerificationStatus
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.robolectric.Robolectric
import org.robolectric.shadow.api.Shadow
import org.robolectric.shadows.ShadowJobService

@Suppress("DEPRECATION") // JobInfo.getNetworkType: the value setRequiredNetworkType set, on every SDK
class JobTest : AppTest() {
    private val scheduler: JobScheduler get() = app.getSystemService(JobScheduler::class.java)!!

    /** JobParameters as JobScheduler passes them (its constructor differs by SDK). */
    private fun params(jobId: Int, extras: PersistableBundle): JobParameters {
        val ctor = JobParameters::class.java.constructors.maxByOrNull { it.parameterCount }!!
        var jobIdSet = false
        val args = ctor.parameterTypes.map { t ->
            when {
                t == Integer.TYPE && !jobIdSet -> jobId.also { jobIdSet = true }
                t == Integer.TYPE -> 0
                t == java.lang.Boolean.TYPE -> false
                t == PersistableBundle::class.java -> extras
                t == Bundle::class.java -> Bundle()
                else -> null
            }
        }
        return ctor.newInstance(*args.toTypedArray()) as JobParameters
    }

    /** Start the job as JobScheduler would, and wait until it calls jobFinished. */
    private fun run(service: JobService, info: JobInfo): ShadowJobService {
        val p = params(info.id, info.extras)
        assertEquals(info.id, p.jobId)
        assertTrue("works on a background thread", service.onStartJob(p))
        val shadow = Shadow.extract<ShadowJobService>(service)
        val deadline = System.nanoTime() + 10_000_000_000L
        while (!shadow.isJobFinished && System.nanoTime() < deadline) Thread.sleep(5)
        assertTrue("jobFinished called", shadow.isJobFinished)
        return shadow
    }

    private fun sip(name: String) = File(REPO, "tests/data/invites/$name").readText()

    @Test fun certificateRefreshIsScheduledForCertNeededAndRunAddsTheChain() {
        val first = screener.screenSip(sip("01-good-attest-a.sip"))
        assertTrue(first.verification.certNeeded.toString(), SP_LEAF in first.verification.certNeeded)
        assertTrue("no pending job before", scheduler.allPendingJobs.isEmpty())

        CertificateRefreshJob.scheduleFor(app, first)
        val info = scheduler.getPendingJob(CertificateRefreshJob.JOB_ID)
        assertNotNull("scheduled", info)
        info!!
        assertEquals(CertificateRefreshJob::class.java.name, info.service.className)
        assertEquals(JobInfo.NETWORK_TYPE_ANY, info.networkType)
        assertEquals(JobInfo.BACKOFF_POLICY_EXPONENTIAL, info.backoffPolicy)
        assertEquals(listOf(SP_LEAF), info.extras.getStringArray(CertificateRefreshJob.URLS)!!.toList())

        val shadow = run(Robolectric.setupService(CertificateRefreshJob::class.java), info)
        assertFalse("no retry", shadow.isRescheduleNeeded)
        assertEquals(listOf(SP_LEAF), TestApp.Seen.fetched.toList())
        val again = screener.screenSip(sip("01-good-attest-a.sip"))
        assertEquals("passes with the fetched chain", VerificationStatus.PASSED, again.verification.status)
        assertTrue(again.verification.certNeeded.isEmpty())
    }

    @Test fun certificateRefreshKeepsPendingUrlsAndRetriesWhenAFetchFails() {
        CertificateRefreshJob.schedule(app, listOf(SP_LEAF))
        CertificateRefreshJob.schedule(app, listOf(MISSING))
        val info = scheduler.getPendingJob(CertificateRefreshJob.JOB_ID)!!
        assertEquals(listOf(SP_LEAF, MISSING), info.extras.getStringArray(CertificateRefreshJob.URLS)!!.toList())
        TestApp.Setup.unreachable += MISSING
        val shadow = run(Robolectric.setupService(CertificateRefreshJob::class.java), info)
        assertTrue("rescheduled with backoff", shadow.isRescheduleNeeded)
        assertEquals(listOf(SP_LEAF, MISSING), TestApp.Seen.fetched.toList())
    }

    @Test fun deliveryJobIsScheduledAndDeliversTheReport() {
        val id = screener.report(ReportRequest(ReportKind.SPOOFED, number = "+12025550180", `when` = ReportWhen.AFTER))
        assertEquals(OutboxState.PENDING, screener.outbox().single().state)
        OutboxDeliveryJob.schedule(app)
        val info = scheduler.getPendingJob(OutboxDeliveryJob.JOB_ID)
        assertNotNull("scheduled", info)
        info!!
        assertEquals(OutboxDeliveryJob::class.java.name, info.service.className)
        assertEquals(JobInfo.NETWORK_TYPE_ANY, info.networkType)
        assertEquals(JobInfo.BACKOFF_POLICY_EXPONENTIAL, info.backoffPolicy)
        assertEquals(OutboxDeliveryJob.BACKOFF.baseSecs * 1000, info.initialBackoffMillis)

        val shadow = run(Robolectric.setupService(OutboxDeliveryJob::class.java), info)
        assertFalse("settled", shadow.isRescheduleNeeded)
        assertEquals(1, TestApp.Seen.utRequests.size)
        assertEquals(id, TestApp.Seen.utRequests.single().headers.single { it.name.equals("Idempotency-Key", ignoreCase = true) }.value)
        assertEquals(OutboxState.DELIVERED, screener.outbox().single().state)
    }

    @Test fun deliveryJobBacksOffWhileTheServerFails() {
        screener.report(ReportRequest(ReportKind.SPOOFED, number = "+12025550181", `when` = ReportWhen.AFTER))
        TestApp.Setup.utStatus = 503
        OutboxDeliveryJob.schedule(app)
        val info = scheduler.getPendingJob(OutboxDeliveryJob.JOB_ID)!!
        val shadow = run(Robolectric.setupService(OutboxDeliveryJob::class.java), info)
        assertEquals(1, TestApp.Seen.utRequests.size)
        val later = scheduler.getPendingJob(OutboxDeliveryJob.JOB_ID)?.minLatencyMillis ?: 0
        assertTrue("run again: JobScheduler's backoff, or a run when the item is due", shadow.isRescheduleNeeded || later > 0)
        assertEquals(OutboxState.PENDING, screener.outbox().single().state)
    }

    private companion object {
        const val SP_LEAF = "https://certs.example.org/sp-leaf.pem"
        const val MISSING = "https://certs.example.org/missing.pem"
    }
}
