// Lists, policy, emergency suspension and the platform adapters (Android
// CallResponse, iOS Call Directory export) through the generated Kotlin
// bindings. Called from main() in CallScreenTest.kt; uses its check() helper.

import java.io.File
import java.nio.file.Files
import java.util.Collections
import org.callscreen.Action
import org.callscreen.CallDirectoryChange
import org.callscreen.CallDirectoryEntry
import org.callscreen.CallDirectoryEntryKind
import org.callscreen.CallDirectoryExport
import org.callscreen.CallDirectoryOptions
import org.callscreen.CallScreenException
import org.callscreen.CallScreener
import org.callscreen.Effect
import org.callscreen.ImportProgressListener
import org.callscreen.NewRule
import org.callscreen.OperatorListUse
import org.callscreen.PlatformCall
import org.callscreen.PlatformPresentation
import org.callscreen.ResponseOptions
import org.callscreen.RuleKind
import org.callscreen.RuleSource
import org.callscreen.ScreenerConfig
import org.callscreen.SkipReason
import org.callscreen.androidCallResponse
import org.callscreen.defaultPolicy

const val CALLER = "+12025550123"

fun listsConfig(dbPath: String? = null) = ScreenerConfig(
    dbPath = dbPath,
    ownNumbers = listOf("+12155551213"),
    defaultRegion = "US",
    likelySpamAction = Action.ALLOW,
)

fun platformCall(number: String? = CALLER, line: UInt? = null, isContact: Boolean = false) =
    PlatformCall(number, PlatformPresentation.ALLOWED, 0, line = line, isContact = isContact)

fun userRule(kind: RuleKind, effect: Effect = Effect.BLOCK, label: String? = null, line: UInt? = null) =
    NewRule(kind, effect, RuleSource.USER, label = label, line = line)

fun drain(export: CallDirectoryExport, chunk: UInt): List<CallDirectoryEntry> {
    val all = mutableListOf<CallDirectoryEntry>()
    while (true) {
        val got = export.nextChunk(chunk)
        assert(got.size <= chunk.toInt())
        if (got.isEmpty()) return all
        all.addAll(got)
    }
}

fun blockingAdds(entries: List<CallDirectoryEntry>) =
    entries.filter { it.kind == CallDirectoryEntryKind.BLOCKING && it.change == CallDirectoryChange.ADD }.map { it.number }

class CountingProgress : ImportProgressListener {
    val calls: MutableList<Pair<ULong, ULong>> = Collections.synchronizedList(mutableListOf())
    override fun onProgress(bytesRead: ULong, linesRead: ULong) {
        calls.add(bytesRead to linesRead)
    }
}

class ThrowingProgress : ImportProgressListener {
    override fun onProgress(bytesRead: ULong, linesRead: ULong) = throw IllegalStateException("progress bar gone")
}

fun platformChecks() {
    val now = NOW

    check("a block rule, then an exception, change the action") {
        CallScreener.openAtTime(listsConfig(), null, now).use { s ->
            assert(s.screenPlatform(platformCall()).action == Action.ALLOW)
            val block = s.addRule(userRule(RuleKind.Prefix("+1202555"), label = "Telemarketers"))
            val v = s.screenPlatform(platformCall())
            assert(v.action == Action.REJECT) { v.toString() }
            assert(v.sipResponse?.toInt() == 607) { v.toString() }
            assert("user_block" in v.reasons.map { it.code })
            val exc = s.addRule(userRule(RuleKind.Number("(202) 555-0123"), Effect.EXCEPTION, "Dentist"))
            val allowed = s.screenPlatform(platformCall())
            assert(allowed.action == Action.ALLOW && allowed.sipResponse == null) { allowed.toString() }
            val rules = s.rules().associateBy { it.id }
            assert(rules.keys == setOf(block, exc))
            assert(rules.getValue(exc).rule.kind == RuleKind.Number(CALLER)) { rules.toString() }
            assert(s.removeRule(exc))
            assert(!s.removeRule(exc))
            assert(s.screenPlatform(platformCall()).action == Action.REJECT)
            s.addRule(userRule(RuleKind.Number("+13125550199"), line = 2u))
            assert(s.screenPlatform(platformCall("+13125550199", line = 2u)).action == Action.REJECT)
            assert(s.screenPlatform(platformCall("+13125550199", line = 1u)).action == Action.ALLOW)
            s.addRule(NewRule(RuleKind.AllCalls, Effect.EXCEPTION, RuleSource.USER, expiresAt = now + 600))
            assert(s.nextChangeAt() == now + 600)
            val paused = s.screenPlatform(platformCall())
            assert(paused.action == Action.ALLOW) { paused.toString() + s.rules().toString() }
            assertThrows<CallScreenException.InvalidInput> { s.addRule(userRule(RuleKind.Number("nope"))) }
        }
    }

    check("import an operator list with a progress listener") {
        val dir = Files.createTempDirectory("callscreen").toFile()
        try {
            CallScreener.openAtTime(listsConfig(File(dir, "db").path), null, now).use { s ->
                val list = File(dir, "operator.csv")
                val lines = mutableListOf("# list", "number,+12025550123,fraud,Known scam", "prefix,+1900555", "bogus")
                for (i in 0 until 70000) lines.add("number,+1312555%04d,telemarketing".format(i))
                list.writeText(lines.joinToString("\n") + "\n")
                val progress = CountingProgress()
                val report = s.importOperatorList(list.path, false, progress)
                assert(report.numbers == 70001UL && report.prefixes == 1UL && report.malformed == 1UL) { report.toString() }
                assert(report.malformedLines == listOf(4UL))
                assert(progress.calls.size >= 2) { progress.calls.toString() }
                assert(progress.calls.last() == (list.length().toULong() to lines.size.toULong())) { progress.calls.toString() }
                val v = s.screenPlatform(platformCall())
                assert(v.action == Action.REJECT && "operator_block" in v.reasons.map { it.code }) { v.toString() }
                s.addRule(userRule(RuleKind.Number(CALLER), Effect.EXCEPTION))
                assert(s.screenPlatform(platformCall()).action == Action.ALLOW)
                val mandatory = File(dir, "mandatory.csv")
                mandatory.writeText("number,+12025550123\n")
                s.importOperatorList(mandatory.path, true, ThrowingProgress())
                assert(s.screenPlatform(platformCall()).action == Action.REJECT)
                assert(s.operatorLists().map { it.name } == listOf("operator", "operator_mandatory"))
                assertThrows<CallScreenException.InvalidInput> {
                    s.importOperatorList(File(dir, "missing.csv").path, false, null)
                }
            }
        } finally {
            dir.deleteRecursively()
        }
    }

    check("policy round trip, service numbers, policy in the config") {
        CallScreener.openAtTime(listsConfig(), null, now).use { s ->
            val p = s.policy()
            assert(p == defaultPolicy())
            assert(p.blockAction == Action.REJECT && p.emergencySuspensionSecs == 3600L)
            s.addRule(userRule(RuleKind.Number(CALLER)))
            s.setPolicy(p.copy(blockAction = Action.SILENCE))
            assert(s.policy().blockAction == Action.SILENCE)
            assert(s.screenPlatform(platformCall()).action == Action.SILENCE)
            s.setPolicy(p.copy(serviceNumbers = listOf("(202) 555-0123")))
            assert(s.screenPlatform(platformCall()).action == Action.ALLOW)
            assertThrows<CallScreenException.InvalidInput> { s.setPolicy(p.copy(spamThreshold = 200u)) }
        }
        val cfg = listsConfig().copy(policy = defaultPolicy().copy(blockAction = Action.VOICEMAIL))
        CallScreener.openAtTime(cfg, null, now).use { s ->
            s.addRule(userRule(RuleKind.Number(CALLER)))
            assert(s.screenPlatform(platformCall()).action == Action.VOICEMAIL)
        }
    }

    check("an emergency call suspends blocking") {
        CallScreener.openAtTime(listsConfig(), null, now).use { s ->
            s.addRule(userRule(RuleKind.Number(CALLER)))
            assert(s.screenPlatform(platformCall()).action == Action.REJECT)
            s.emergencyCallPlaced(now - 60)
            val v = s.screenPlatform(platformCall())
            assert(v.action == Action.ALLOW && "emergency_callback" in v.reasons.map { it.code }) { v.toString() }
            s.emergencyCallPlaced(now - 7200)
            assert(s.screenPlatform(platformCall()).action == Action.REJECT)
        }
    }

    check("Android CallResponse for every action") {
        val opts = ResponseOptions()
        assert(!opts.skipCallLog && opts.skipNotification)
        for (action in Action.values()) {
            val r = androidCallResponse(action, opts)
            assert(r.disallowCall == (action == Action.VOICEMAIL || action == Action.REJECT)) { "$action $r" }
            assert(r.rejectCall == (action == Action.REJECT)) { "$action $r" }
            assert(r.silenceCall == (action == Action.SILENCE)) { "$action $r" }
            if (!r.disallowCall) assert(!r.rejectCall && !r.skipCallLog && !r.skipNotification) { "$action $r" }
            else assert(!r.silenceCall) { "$action $r" }
        }
        CallScreener.openAtTime(listsConfig(), null, now).use { s ->
            s.addRule(userRule(RuleKind.Number(CALLER)))
            val got = s.screenAndroid(platformCall("tel:%2B12025550123"), opts)
            assert(got.verdict.action == Action.REJECT) { got.toString() }
            assert(got.response.disallowCall && got.response.rejectCall)
            val contact = s.screenAndroid(platformCall(isContact = true), opts)
            assert(contact.response == androidCallResponse(Action.ALLOW, opts)) { contact.toString() }
        }
    }

    check("CallKit export: chunks, ascending, truncation report, commit and delta") {
        val dir = Files.createTempDirectory("callscreen").toFile()
        try {
            CallScreener.openAtTime(listsConfig(File(dir, "db").path), null, now).use { s ->
                val big = s.addRule(userRule(RuleKind.Prefix("+1202555")))
                s.addRule(userRule(RuleKind.Range("+13125550100", 50UL)))
                s.addRule(userRule(RuleKind.Number("+12025550150"), Effect.EXCEPTION, "Dentist (verified)"))
                val line = s.addRule(userRule(RuleKind.Number("+13125559999"), line = 1u))
                val opts = CallDirectoryOptions(entryBudget = 2000UL, operatorLists = OperatorListUse.BLOCK)
                val export = s.callDirectoryExport(opts, null)
                assert(!export.isIncremental())
                val entries = drain(export, 400u)
                val blocking = blockingAdds(entries)
                assert(blocking == blocking.sorted().distinct()) { "not strictly ascending" }
                assert(12025550150L !in blocking)
                val ids = entries.filter { it.kind == CallDirectoryEntryKind.IDENTIFICATION }.map { it.number to it.label }
                assert(ids == listOf(12025550150L to "Dentist")) { ids.toString() }
                val r = export.report()
                assert(r.finished && r.truncatedEntries > 0UL) { r.toString() }
                assert(r.truncated.map { it.ruleId to it.wanted } == listOf(big to 10000UL)) { r.truncated.toString() }
                assert(r.skipped.map { it.ruleId to it.reason } == listOf(line to SkipReason.LINE_SCOPED)) { r.toString() }
                assert(r.labelsRewritten == 1UL)
                val v1 = export.commit()
                assert(v1 == 1UL && s.callDirectoryVersion() == 1UL)
                assertThrows<CallScreenException.InvalidInput> { export.commit() }

                s.removeRule(big)
                s.addRule(userRule(RuleKind.Number("+14155550100")))
                val delta = s.callDirectoryExport(opts, v1)
                assert(delta.isIncremental() && delta.baseVersion() == v1)
                val changes = drain(delta, 250u)
                val removed = changes.filter { it.change == CallDirectoryChange.REMOVE }.map { it.number }
                assert(removed.isNotEmpty() && removed == removed.sorted())
                assert(blockingAdds(changes) == listOf(14155550100L)) { blockingAdds(changes).toString() }
                val model = (blocking.toSet() - removed.toSet()) + blockingAdds(changes)
                val full = blockingAdds(drain(s.callDirectoryExport(opts, null), 10000u)).toSet()
                assert(model == full)
                assert(delta.commit() == 2UL)
            }
        } finally {
            dir.deleteRecursively()
        }
    }

    check("CallKit export during an emergency suspension") {
        CallScreener.openAtTime(listsConfig(), null, now).use { s ->
            s.addRule(userRule(RuleKind.Number(CALLER), label = "Scam"))
            s.emergencyCallPlaced(now - 60)
            val export = s.callDirectoryExport(CallDirectoryOptions(operatorLists = OperatorListUse.BLOCK), null)
            val entries = drain(export, 10u)
            assert(blockingAdds(entries).isEmpty())
            assert(entries.map { it.number to it.label } == listOf(12025550123L to "Scam")) { entries.toString() }
            assert(export.report().blockingSuspendedUntil == now - 60 + 3600)
        }
    }

    check("the new methods after shutdown are Closed") {
        CallScreener.openAtTime(listsConfig(), null, now).use { s ->
            s.shutdown()
            assertThrows<CallScreenException.Closed> { s.addRule(userRule(RuleKind.Number(CALLER))) }
            assertThrows<CallScreenException.Closed> { s.rules() }
            assertThrows<CallScreenException.Closed> { s.policy() }
            assertThrows<CallScreenException.Closed> { s.emergencyCallPlaced(now) }
            assertThrows<CallScreenException.Closed> { s.screenAndroid(platformCall(), ResponseOptions()) }
            assertThrows<CallScreenException.Closed> {
                s.callDirectoryExport(CallDirectoryOptions(operatorLists = OperatorListUse.SKIP), null)
            }
        }
    }

    check("4 threads edit rules and screen concurrently") {
        val errors = Collections.synchronizedList(mutableListOf<String>())
        CallScreener.openAtTime(listsConfig(), null, now).use { s ->
            val threads = (0 until 4).map { i ->
                Thread {
                    try {
                        for (j in 0 until 25) {
                            val n = "+1202555%02d%02d".format(i, j)
                            val id = s.addRule(userRule(RuleKind.Number(n)))
                            if (s.screenPlatform(platformCall(n)).action != Action.REJECT) errors.add(n)
                            s.removeRule(id)
                        }
                    } catch (e: Throwable) {
                        errors.add(e.toString())
                    }
                }
            }
            threads.forEach { it.start() }
            threads.forEach { it.join() }
            assert(s.rules().isEmpty())
        }
        assert(errors.isEmpty()) { errors.toString() }
    }
}
