// History, corrections, reports and the outbox through the generated Kotlin
// bindings, with a foreign UtTransport implemented here. Called from main() in
// CallScreenTest.kt; uses its check() helper, DirSource, invite() and NOW.
// The screener's clock is fixed: a later delivery pass reopens the same
// database file at a later time, as the app's next background run would.

import java.io.File
import java.nio.file.Files
import org.callscreen.Action
import org.callscreen.BlockMode
import org.callscreen.CallScreenException
import org.callscreen.CallScreener
import org.callscreen.HistoryFilter
import org.callscreen.HistoryMode
import org.callscreen.Indication
import org.callscreen.NotSpoofedScope
import org.callscreen.OutboxOp
import org.callscreen.OutboxState
import org.callscreen.PlatformCall
import org.callscreen.PlatformPresentation
import org.callscreen.ReportKind
import org.callscreen.ReportRequest
import org.callscreen.ReportWhen
import org.callscreen.ScreenerConfig
import org.callscreen.UtMethod
import org.callscreen.UtRequest
import org.callscreen.UtResponse
import org.callscreen.UtTransport
import org.callscreen.UtTransportException
import org.callscreen.VerificationStatus

const val HISTORY_CALLER = "+12155551212" // the caller of the fixtures
const val HOUR = 3600L
const val DAY = 24 * HOUR

/** Answers each request with the next scripted step: a status, or a Throwable to throw. */
class ScriptedTransport(vararg steps: Any) : UtTransport {
    private val steps = steps.toMutableList()
    val requests = mutableListOf<UtRequest>()
    override fun send(request: UtRequest): UtResponse {
        requests.add(request)
        val step = steps.removeAt(0)
        if (step is Throwable) throw step
        return UtResponse((step as Int).toUShort(), emptyList(), ByteArray(0))
    }
}

fun historyScreener(db: File, at: Long) = CallScreener.openAtTime(
    ScreenerConfig(
        dbPath = db.path,
        trustAnchorsPem = listOf(File(data, "pki/sti-ca-root.pem").readText()),
        ownNumbers = listOf("+12155551213"),
        trustVerstat = true,
        likelySpamAction = Action.VOICEMAIL,
    ),
    DirSource(),
    at,
)

fun tempDb(): File = Files.createTempDirectory("callscreen-history").toFile().also { it.deleteOnExit() }.resolve("h.db")

fun UtRequest.header(name: String) = headers.filter { it.name.equals(name, ignoreCase = true) }.map { it.value }

fun historyChecks() {
    check("a corrupt database fails open with Storage, or is moved aside and started fresh") {
        val db = tempDb()
        val garbage = ByteArray(20_000) { i -> ((i * 7919) % 251).toByte() }
        db.writeBytes(garbage)
        val base = ScreenerConfig(dbPath = db.path, likelySpamAction = Action.VOICEMAIL)
        assertThrows<CallScreenException.Storage> { CallScreener.openAtTime(base, DirSource(), NOW) }
        assert(db.readBytes().contentEquals(garbage)) { "left untouched" }
        CallScreener.openAtTime(base.copy(startFreshIfCorrupt = true), DirSource(), NOW).use { s ->
            val aside = s.recoveredDatabase()
            assert(aside == "${db.path}.corrupt-$NOW") { aside.toString() }
            assert(File(aside!!).readBytes().contentEquals(garbage)) { "kept for support" }
            s.setHistoryMode(HistoryMode.ALL)
            s.screenSip(invite("01-good-attest-a.sip"))
            assert(s.history(HistoryFilter()).size == 1)
        }
        CallScreener.openAtTime(base.copy(startFreshIfCorrupt = true), DirSource(), NOW).use { s ->
            assert(s.recoveredDatabase() == null)
            assert(s.history(HistoryFilter()).size == 1) { "the new file keeps what was written" }
        }
    }

    check("history: a flagged call is recorded, listed, reviewed, deleted") {
        historyScreener(tempDb(), NOW).use { s ->
            assert(s.historyMode() == HistoryMode.FLAGGED)
            s.screenSip(invite("01-good-attest-a.sip")) // verified: not recorded
            val spam = s.screenSip(invite("04-signature-invalid.sip"))
            assert(spam.action == Action.VOICEMAIL) { spam.toString() }
            val entries = s.history(HistoryFilter())
            assert(entries.size == 1) { entries.toString() }
            val e = entries[0]
            assert(e.indication == Indication.LIKELY_SPAM && e.action == Action.VOICEMAIL) { e.toString() }
            assert(e.calling == HISTORY_CALLER && e.time == NOW && e.flagged && !e.reviewed) { e.toString() }
            assert(e.verification.status == VerificationStatus.FAILED)
            assert(e.verification.failure?.code?.toInt() == 438)
            assert(s.historyEntry(e.id) == e)
            assert(s.historyNoticeCount() == 1UL)
            assert(s.history(HistoryFilter(indications = listOf(Indication.VERIFIED))).isEmpty())
            assert(s.markReviewed(listOf(e.id, 999L)) == 1UL)
            assert(s.history(HistoryFilter(unreviewedOnly = true)).isEmpty())
            assert(s.historyNoticeCount() == 0UL)
            assert(s.deleteHistory(listOf(e.id)) == 1UL)
            assert(s.history(HistoryFilter()).isEmpty())
            assertThrows<CallScreenException.InvalidInput> { s.setHistoryRetentionDays(0u) }
        }
    }

    check("history: recent_calls counts the last 24 hours; clear_history deletes every entry") {
        val db = tempDb()
        historyScreener(db, NOW).use { s ->
            assert(s.recentCalls(HISTORY_CALLER) == 0u)
            s.screenSip(invite("04-signature-invalid.sip"))
            s.screenSip(invite("04-signature-invalid.sip"))
            assert(s.recentCalls(HISTORY_CALLER) == 2u)
            assert(s.recentCalls("+12155559999") == 0u)
            assertThrows<CallScreenException.InvalidInput> { s.recentCalls("not a number") }
        }
        historyScreener(db, NOW + 25 * HOUR).use { s ->
            assert(s.history(HistoryFilter()).size == 2) // kept: retention is 30 days
            assert(s.recentCalls(HISTORY_CALLER) == 0u) // but older than 24 hours
            s.screenSip(invite("04-signature-invalid.sip"))
            assert(s.history(HistoryFilter()).size == 3)
            assert(s.recentCalls(HISTORY_CALLER) == 1u)
            assert(s.historyNoticeCount() == 3UL)
            assert(s.clearHistory() == 3UL)
            assert(s.history(HistoryFilter()).isEmpty())
            assert(s.recentCalls(HISTORY_CALLER) == 0u)
            assert(s.historyNoticeCount() == 0UL)
            assert(s.clearHistory() == 0UL)
        }
        historyScreener(db, NOW + 25 * HOUR).use { s ->
            assert(s.history(HistoryFilter()).isEmpty()) { "cleared on disk, not only in memory" }
            s.shutdown()
            assertThrows<CallScreenException.Closed> { s.clearHistory() }
            assertThrows<CallScreenException.Closed> { s.recentCalls(HISTORY_CALLER) }
        }
    }

    check("history: purge_history deletes what is past retention by the screener's clock") {
        // Two screeners on one database file (an app and its extension), one
        // whose clock is 31 days later; the default retention is 30 days.
        val db = tempDb()
        historyScreener(db, NOW + 31 * DAY).use { later -> // its purge at open finds nothing yet
            historyScreener(db, NOW).use { s ->
                s.screenSip(invite("04-signature-invalid.sip")) // recorded at NOW
                later.screenSip(invite("04-signature-invalid.sip")) // recorded 31 days later
                assert(later.history(HistoryFilter()).map { it.time } == listOf(NOW + 31 * DAY, NOW))
                assert(s.purgeHistory() == 0UL) // by its clock nothing is past retention
                assert(s.history(HistoryFilter()).size == 2)
                assert(later.purgeHistory() == 1UL)
                assert(later.history(HistoryFilter()).map { it.time } == listOf(NOW + 31 * DAY))
                assert(s.history(HistoryFilter()).map { it.time } == listOf(NOW + 31 * DAY))
                assert(later.purgeHistory() == 0UL)
            }
            later.shutdown()
            assertThrows<CallScreenException.Closed> { later.purgeHistory() }
        }
    }

    check("history: not spoofed creates an exception; the next call rings") {
        historyScreener(tempDb(), NOW).use { s ->
            assert(s.screenSip(invite("04-signature-invalid.sip")).action == Action.VOICEMAIL)
            val e = s.history(HistoryFilter()).single()
            val c = s.correctNotSpoofed(e.id, NotSpoofedScope.NUMBER)
            assert(c.ruleId != null && c.block == BlockMode.NO_BLOCK) { c.toString() }
            assert(c.offer.kind == ReportKind.NOT_SPOOFED && c.offer.number == HISTORY_CALLER) { c.toString() }
            assert(s.historyEntry(e.id)?.reviewed == true)
            val again = s.screenSip(invite("04-signature-invalid.sip"))
            assert(again.action == Action.ALLOW) { again.toString() }
            assert(again.verification.status == VerificationStatus.FAILED)
            val blocked = s.correctUnwanted(e.id, ReportKind.SPOOFED, BlockMode.DEFAULT)
            assert(blocked.block == BlockMode.UNLESS_VERIFIED) { blocked.toString() }
            assert(s.isUnlessVerified(blocked.ruleId!!))
            assert(s.unblock(blocked.ruleId!!))
        }
    }

    check("outbox: a report fails with 503, then an exception, then is delivered with its Idempotency-Key") {
        val db = tempDb()
        val id: String
        historyScreener(db, NOW).use { s ->
            s.screenSip(invite("04-signature-invalid.sip"))
            val e = s.history(HistoryFilter()).single()
            id = s.report(ReportRequest(ReportKind.SPOOFED, historyId = e.id, `when` = ReportWhen.DURING, comment = "robot voice"))
            val item = s.outbox().single()
            assert(item.id == id && item.op == OutboxOp.REPORT && item.state == OutboxState.PENDING) { item.toString() }
            assert(s.outboxNextDue() == NOW) { "due at once" }
            val t = ScriptedTransport(503)
            val summary = s.deliverOutbox(t)
            assert(summary.attempted == 1u && summary.retrying == 1u) { summary.toString() }
            val after = s.outbox().single()
            assert(after.state == OutboxState.PENDING && after.attempts == 1u && after.lastStatus?.toInt() == 503) { after.toString() }
            assert(s.outboxNextDue() == after.nextAttemptAt) { "the backed-off retry" }
            val req = t.requests.single()
            assert(req.method == UtMethod.POST && req.path == "callscreen/reports") { req.toString() }
            assert(req.header("Idempotency-Key") == listOf(id)) { req.headers.toString() }
            assert(req.body.contentEquals(s.reportBody(id)!!))
            assert("robot voice" in String(req.body))
            assert(s.deliverOutbox(ScriptedTransport()).attempted == 0u) // not due yet
        }
        historyScreener(db, NOW + HOUR).use { s ->
            assert(s.deliverOutbox(ScriptedTransport(IllegalStateException("socket closed"))).retrying == 1u)
            val item = s.outbox().single()
            assert(item.state == OutboxState.PENDING && item.attempts == 2u) { item.toString() }
            assert(item.lastError?.contains("socket closed") == true) { item.toString() }
        }
        historyScreener(db, NOW + 2 * HOUR).use { s ->
            assert(s.deliverOutbox(ScriptedTransport(UtTransportException.Unreachable("offline"))).retrying == 1u)
            assert(s.outbox().single().lastError?.contains("unreachable") == true)
        }
        historyScreener(db, NOW + 3 * HOUR).use { s ->
            val t = ScriptedTransport(201)
            val summary = s.deliverOutbox(t)
            assert(summary.delivered == 1u) { summary.toString() }
            val item = s.outbox().single()
            assert(item.state == OutboxState.DELIVERED && item.attempts == 4u && item.lastStatus?.toInt() == 201) { item.toString() }
            assert(item.deliveredAt == NOW + 3 * HOUR)
            assert(t.requests.single().header("Idempotency-Key") == listOf(id))
            assert(s.outboxNextDue() == null) { "delivered: nothing waits" }
        }
    }

    check("outbox: set_network_barring stops and resumes barring of unconditional blocks, and is stored") {
        val db = tempDb()
        fun ringing(number: String) = PlatformCall(number, PlatformPresentation.ALLOWED, 0)
        historyScreener(db, NOW).use { s ->
            val first = s.blockNumber("+12025550101", ReportKind.UNSOLICITED, BlockMode.ALWAYS, false)
            val bar = s.outbox().single()
            assert(bar.op == OutboxOp.BAR && bar.target == "+12025550101" && bar.ruleId == first.ruleId) { bar.toString() }
            s.setNetworkBarring(false)
            val second = s.blockNumber("+12025550102", ReportKind.UNSOLICITED, BlockMode.ALWAYS, false)
            assert(second.block == BlockMode.ALWAYS && second.ruleId != null) { second.toString() }
            assert(s.outbox().map { it.id } == listOf(bar.id)) { s.outbox().toString() }
            // Only the network side is off: the number is still blocked here.
            assert(s.screenPlatform(ringing("+12025550102")).action == Action.REJECT)
        }
        historyScreener(db, NOW).use { s ->
            s.blockNumber("+12025550103", ReportKind.SPOOFED, BlockMode.ALWAYS, true)
            assert(s.outbox().map { it.target } == listOf("+12025550101")) { "off is stored: ${s.outbox()}" }
            s.setNetworkBarring(true)
            s.blockNumber("+12025550104", ReportKind.SPOOFED, BlockMode.ALWAYS, true)
            val targets = s.outbox().filter { it.op == OutboxOp.BAR }.map { it.target }
            assert(targets == listOf("+12025550101", "+12025550104")) { s.outbox().toString() }
            s.shutdown()
            assertThrows<CallScreenException.Closed> { s.setNetworkBarring(false) }
        }
    }

    check("outbox: the Ut identity defaults to the own number, is stored, and names the subscriber on Ut") {
        val db = tempDb()
        val alice = "sip:alice@ims.example.net"
        historyScreener(db, NOW).use { s ->
            assert(s.utIdentity() == "tel:+12155551213") { s.utIdentity().toString() }
            s.setUtIdentity(alice)
            assert(s.utIdentity() == alice)
            assertThrows<CallScreenException.InvalidInput> { s.setUtIdentity("not a uri") }
            assertThrows<CallScreenException.InvalidInput> { s.setUtIdentity("sip:alice @ims.example.net") }
            assert(s.utIdentity() == alice) { "a refused identity leaves the stored one" }
        }
        historyScreener(db, NOW).use { s ->
            assert(s.utIdentity() == alice) { "stored in the database" }
            s.report(ReportRequest(ReportKind.UNSOLICITED, number = HISTORY_CALLER, `when` = ReportWhen.AFTER))
            val t = ScriptedTransport(201)
            assert(s.deliverOutbox(t).delivered == 1u)
            assert(t.requests.single().header("X-3GPP-Intended-Identity") == listOf("\"$alice\"")) { t.requests.toString() }
            // A barring is written to the XCAP document of that user.
            s.blockNumber("+12025550101", ReportKind.UNSOLICITED, BlockMode.ALWAYS, false)
            val bar = ScriptedTransport(200)
            s.deliverOutbox(bar)
            val get = bar.requests.first()
            assert(get.method == UtMethod.GET && "/users/$alice/simservs.xml" in get.path) { get.toString() }
            s.setUtIdentity("tel:+12155551213")
            assert(s.utIdentity() == "tel:+12155551213")
            s.shutdown()
            assertThrows<CallScreenException.Closed> { s.utIdentity() }
            assertThrows<CallScreenException.Closed> { s.setUtIdentity(alice) }
        }
    }

    check("outbox: a 400 fails for good; retry_report queues it again") {
        historyScreener(tempDb(), NOW).use { s ->
            val id = s.report(ReportRequest(ReportKind.UNSOLICITED, number = HISTORY_CALLER, `when` = ReportWhen.AFTER))
            assert(s.deliverOutbox(ScriptedTransport(400)).failed == 1u)
            assert(s.outbox().single().state == OutboxState.FAILED)
            assert(s.retryReport(id))
            assert(s.deliverOutbox(ScriptedTransport(200)).delivered == 1u)
            assertThrows<CallScreenException.InvalidInput> {
                s.report(ReportRequest(ReportKind.SPOOFED, `when` = ReportWhen.AFTER))
            }
        }
    }
}
