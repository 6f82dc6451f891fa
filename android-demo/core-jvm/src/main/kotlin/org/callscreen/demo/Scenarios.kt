// The five seed stories of issue 7, played against the real library through the
// generated Kotlin bindings. Each asserts what the user would see. Run by
// scripts/demo-jvm.sh on the desktop JVM; the Android app runs the same code
// from a debug screen. Argument 1: the repository root (for tests/data).

package org.callscreen.demo

import java.io.File
import java.nio.file.Files
import org.callscreen.Action
import org.callscreen.BlockMode
import org.callscreen.CallScreener
import org.callscreen.CertificateSource
import org.callscreen.HistoryFilter
import org.callscreen.Indication
import org.callscreen.NotSpoofedScope
import org.callscreen.OutboxState
import org.callscreen.PlatformCall
import org.callscreen.PlatformPresentation
import org.callscreen.ReportKind
import org.callscreen.ReportRequest
import org.callscreen.ReportWhen
import org.callscreen.ScreenerConfig
import org.callscreen.UtRequest
import org.callscreen.UtResponse
import org.callscreen.UtTransport

const val NOW = 1795348800L // 2026-11-22T12:00:00Z, the fixtures' clock
const val DAY = 86_400L

class StoryFailed(message: String) : Exception(message)

fun expect(condition: Boolean, what: () -> String) {
    if (!condition) throw StoryFailed(what())
}

/** The fixtures' certificates: x5u -> tests/data/certs/<last segment>. The app's
 *  real source is an HTTPS cache; this one reads files. */
class FixtureCertificates(private val data: File) : CertificateSource {
    override fun lookup(x5u: String): ByteArray? =
        File(data, "certs/" + x5u.substringAfterLast('/')).takeIf { it.isFile }?.readBytes()
}

/** Stands in for the operator's Ut server: answers 201 and keeps what it got. */
class DemoUtServer : UtTransport {
    val received = mutableListOf<UtRequest>()
    override fun send(request: UtRequest): UtResponse {
        received.add(request)
        return UtResponse(201u, emptyList(), ByteArray(0))
    }
}

class Stories(root: File) {
    private val data = File(root, "tests/data")

    private fun config(dbPath: String? = null, presentOnlyTrustedCli: Boolean = false) = ScreenerConfig(
        dbPath = dbPath,
        trustAnchorsPem = listOf(File(data, "pki/sti-ca-root.pem").readText()),
        rcdTrustAnchorsPem = listOf(File(data, "pki/rcd-root.pem").readText()),
        ownNumbers = listOf("+12155551213"),
        likelySpamAction = Action.REJECT,
        presentOnlyTrustedCli = presentOnlyTrustedCli,
    )

    private fun open(at: Long = NOW, dbPath: String? = null, presentOnlyTrustedCli: Boolean = false) =
        CallScreener.openAtTime(config(dbPath, presentOnlyTrustedCli), FixtureCertificates(data), at)

    private fun invite(name: String) = File(data, "invites/$name").readText()

    /** A call seen through Android's Call.Details: 0 not verified, 1 passed, 2 failed. */
    private fun platformCall(number: String, status: Int) =
        PlatformCall(number, PlatformPresentation.ALLOWED, status)

    fun verifiedBusiness() = open().use { s ->
        val row = Format.row(s.screenSip(invite("61-rcd-vetted-constraints.sip")))
        expect(row.title == "Acme Pharmacy" && row.subtitle == "Verified business") { row.toString() }
        expect(row.tone == Tone.TRUSTED && row.actionText == "Rang") { row.toString() }
        row
    }

    fun spoofedReportedBeforeAnswer() = open().use { s ->
        val spoofed = "+12155551212"
        val v = s.screenPlatform(platformCall(spoofed, 0))
        val row = Format.row(v)
        expect(v.indication == Indication.UNVERIFIED && row.tone == Tone.NEUTRAL) { row.toString() }
        expect(row.subtitle == "Caller's number can neither be confirmed nor repudiated") { row.subtitle }
        // While it rings, the user taps "Report spoofed".
        val c = s.blockNumber(spoofed, ReportKind.SPOOFED, BlockMode.DEFAULT, false)
        expect(c.block == BlockMode.UNLESS_VERIFIED) { c.toString() }
        val id = s.report(ReportRequest(ReportKind.SPOOFED, number = spoofed, `when` = ReportWhen.BEFORE_ANSWER))
        val server = DemoUtServer()
        val summary = s.deliverOutbox(server)
        expect(summary.delivered == 1u) { summary.toString() }
        expect(s.outbox().single { it.id == id }.state == OutboxState.DELIVERED) { s.outbox().toString() }
        expect(server.received.single().headers.any { it.name == "Idempotency-Key" && it.value == id }) {
            server.received.toString()
        }
        // The spoofer's next call is blocked; the real owner's verified call rings.
        expect(s.screenPlatform(platformCall(spoofed, 0)).action == Action.REJECT) { "spoofer not blocked" }
        val owner = s.screenSip(invite("01-good-attest-a.sip"))
        expect(owner.indication == Indication.VERIFIED && owner.action == Action.ALLOW) { owner.toString() }
        "blocked unless verified, report delivered ($id)"
    }

    fun daughterAbroad() = open().use { s ->
        val daughter = "+33612345678"
        val first = s.screenPlatform(platformCall(daughter, 2))
        expect(first.action == Action.REJECT) { first.toString() }
        val entry = s.history(HistoryFilter()).single { it.calling == daughter }
        expect(Format.row(entry).tone == Tone.WARNING) { entry.toString() }
        val c = s.correctNotSpoofed(entry.id, NotSpoofedScope.COUNTRY)
        expect(c.offer.kind == ReportKind.NOT_SPOOFED) { c.toString() }
        val next = s.screenPlatform(platformCall(daughter, 2))
        expect(next.action == Action.ALLOW) { next.toString() }
        "her next call rings (${Format.action(next.action)})"
    }

    fun thirtyDaysOfHistory(): String {
        val db = Files.createTempDirectory("callscreen-demo").resolve("demo.db").toString()
        for (daysAgo in listOf(29L, 20L, 10L, 3L, 1L)) {
            open(NOW - daysAgo * DAY, db).use { s ->
                s.screenPlatform(platformCall("+1202555%04d".format(daysAgo), 2))
            }
        }
        return open(NOW, db).use { s ->
            val entries = s.history(HistoryFilter())
            expect(entries.size == 5) { entries.toString() }
            expect(entries.first().time > entries.last().time) { "not newest first" }
            expect(s.historyNoticeCount() == 5UL) { "notice ${s.historyNoticeCount()}" }
            expect(s.deleteHistory(entries.take(2).map { it.id }) == 2UL) { "delete" }
            s.markReviewed(entries.drop(2).map { it.id })
            s.historySeen()
            expect(s.historyNoticeCount() == 0UL) { "notice not reset" }
            expect(s.history(HistoryFilter()).size == 3) { "after delete" }
            "5 entries, 2 deleted, notice count 0"
        }
    }

    fun presentOnlyTrustedCli() = open(presentOnlyTrustedCli = true).use { s ->
        val v = s.screenPlatform(platformCall("+12025550123", 0))
        val row = Format.row(v)
        expect(v.indication == Indication.NUMBER_NOT_AVAILABLE && v.display.number == null) { v.toString() }
        expect(row.title == "Number not available" && row.tone == Tone.HIDDEN) { row.toString() }
        row
    }
}

fun main(args: Array<String>) {
    val stories = Stories(File(if (args.isNotEmpty()) args[0] else "."))
    val all = listOf<Pair<String, () -> Any>>(
        "1 verified business with the company name" to stories::verifiedBusiness,
        "2 spoofed, unverified, reported before answering, blocked unless verified" to stories::spoofedReportedBeforeAnswer,
        "3 daughter abroad: not spoofed for her country" to stories::daughterAbroad,
        "4 30 days of history reviewed, deleted, notice reset" to stories::thirtyDaysOfHistory,
        "5 present only trusted CLIs: number not available" to stories::presentOnlyTrustedCli,
    )
    var failed = 0
    for ((name, story) in all) {
        try {
            println("PASS story $name: ${story()}")
        } catch (e: Throwable) {
            failed++
            println("FAIL story $name: $e")
        }
    }
    println("stories: ${all.size - failed} passed, $failed failed")
    System.exit(if (failed == 0) 0 else 1)
}
