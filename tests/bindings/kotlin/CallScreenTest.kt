// The real library through the generated Kotlin bindings (uniffi + JNA), on the
// desktop JVM. Run by scripts/bindings-test.sh: compiled together with the
// generated org.callscreen sources, run with `java -ea`, argument 1 the
// repository root. Prints one line per check and a final "N passed, M failed";
// exits 1 when any check failed.

import java.io.File
import java.util.Collections
import org.callscreen.Action
import org.callscreen.Attestation
import org.callscreen.CallScreenException
import org.callscreen.CallScreener
import org.callscreen.CertificateSource
import org.callscreen.Indication
import org.callscreen.LogLevel
import org.callscreen.LogSink
import org.callscreen.PlatformCall
import org.callscreen.PlatformPresentation
import org.callscreen.RcdContent
import org.callscreen.ScreenerConfig
import org.callscreen.Verdict
import org.callscreen.VerificationSource
import org.callscreen.VerificationStatus
import org.callscreen.platformPresentationFromAndroid
import org.callscreen.setLogSink

const val NOW = 1795348800L // 2026-11-22T12:00:00Z, the fixtures' clock
const val MISSING_URL = "https://certs.example.org/missing.pem"

lateinit var data: File

var passed = 0
var failed = 0

fun check(name: String, body: () -> Unit) {
    try {
        body()
        passed++
        println("PASS $name")
    } catch (e: Throwable) {
        failed++
        println("FAIL $name: $e")
        e.printStackTrace(System.out)
    }
}

inline fun <reified E : Throwable> assertThrows(body: () -> Unit): E {
    try {
        body()
    } catch (e: Throwable) {
        if (e is E) return e
        throw AssertionError("expected ${E::class.simpleName}, got $e", e)
    }
    throw AssertionError("expected ${E::class.simpleName}, nothing thrown")
}

/** x5u -> tests/data/certs/<last path segment>, as the CLI's --cert-dir. */
class DirSource : CertificateSource {
    override fun lookup(x5u: String): ByteArray? {
        val f = File(data, "certs/" + x5u.substringAfterLast('/'))
        return if (f.isFile) f.readBytes() else null
    }
}

class ThrowingSource : CertificateSource {
    override fun lookup(x5u: String): ByteArray? = throw java.io.IOException("disk gone while looking up $x5u")
}

class ErrorSource : CertificateSource {
    override fun lookup(x5u: String): ByteArray? = throw CallScreenException.Storage("cache unreadable")
}

class Collect : LogSink {
    val records: MutableList<Triple<LogLevel, String, String>> = Collections.synchronizedList(mutableListOf())
    override fun log(level: LogLevel, target: String, message: String) {
        records.add(Triple(level, target, message))
    }
}

fun config(
    likelySpamAction: Action = Action.ALLOW,
    ownNumbers: List<String> = listOf("+12155551213"),
    trustAnchors: List<String> = listOf(File(data, "pki/sti-ca-root.pem").readText()),
) = ScreenerConfig(
    trustAnchorsPem = trustAnchors,
    ownNumbers = ownNumbers,
    trustVerstat = true,
    likelySpamAction = likelySpamAction,
)

fun invite(name: String) = File(data, "invites/$name").readText()

fun codes(v: Verdict) = v.reasons.map { it.code }

fun main(args: Array<String>) {
    data = File(if (args.isNotEmpty()) args[0] else ".", "tests/data")
    var assertionsOn = false
    assert(true.also { assertionsOn = true })
    if (!assertionsOn) {
        println("run with java -ea")
        System.exit(2)
    }

    check("good attestation A is verified") {
        CallScreener.openAtTime(config(), DirSource(), NOW).use { s ->
            val v = s.screenSip(invite("01-good-attest-a.sip"))
            assert(v.indication == Indication.VERIFIED) { v.toString() }
            assert(v.action == Action.ALLOW)
            assert(v.verification.status == VerificationStatus.PASSED)
            assert(v.verification.attestation == Attestation.A)
            assert(v.verification.source == VerificationSource.PASSPORT)
            assert(v.verification.signer?.spc == "1234") { v.verification.toString() }
            assert(v.verification.failure == null)
            assert(v.verification.certNeeded.isEmpty())
            assert(v.display.number == "+12155551212")
            assert(v.display.labelKey == "indication.verified")
        }
    }

    check("signature invalid is likely spam") {
        CallScreener.openAtTime(config(likelySpamAction = Action.VOICEMAIL), DirSource(), NOW).use { s ->
            val v = s.screenSip(invite("04-signature-invalid.sip"))
            assert(v.indication == Indication.LIKELY_SPAM) { v.toString() }
            assert(v.action == Action.VOICEMAIL)
            assert(v.verification.failure?.code?.toInt() == 438)
            assert(v.verification.failure?.reason == "signature_invalid")
            assert("signature_invalid" in codes(v))
        }
    }

    for ((label, source) in listOf("exception" to ThrowingSource(), "error" to ErrorSource())) {
        check("a source that throws ($label) gives cert_unavailable") {
            CallScreener.openAtTime(config(), source, NOW).use { s ->
                val v = s.screenSip(invite("01-good-attest-a.sip"))
                assert(v.verification.status == VerificationStatus.FAILED)
                assert("cert_unavailable" in codes(v)) { codes(v).toString() }
                assert(v.verification.failure?.code?.toInt() == 436)
                assert(v.reasons.none { "disk gone" in it.detail })
            }
        }
    }

    check("cert_needed, then add_certificate") {
        CallScreener.openAtTime(config(), null, NOW).use { s ->
            val v = s.screenSip(invite("19-cert-unavailable.sip"))
            assert(v.verification.certNeeded == listOf(MISSING_URL)) { v.verification.toString() }
            s.addCertificate(MISSING_URL, File(data, "certs/sp-leaf.pem").readBytes())
            val again = s.screenSip(invite("19-cert-unavailable.sip"))
            assert(again.indication == Indication.VERIFIED) { again.toString() }
            assert(again.verification.certNeeded.isEmpty())
            assertThrows<CallScreenException.InvalidInput> {
                s.addCertificate(MISSING_URL, "not a certificate".toByteArray())
            }
        }
    }

    check("CRLs and the STI-PA's indirect CRL signer, replaced at runtime") {
        val crls = listOf("sti-ca-intermediate.crl", "sti-pa.crl").map { File(data, "crl/$it").readBytes() }
        val signer = File(data, "pki/sti-pa-crl-signer.pem").readText()
        val cfg = config().copy(crlsDer = crls, crlSignersPem = listOf(signer))
        CallScreener.openAtTime(cfg, DirSource(), NOW).use { s ->
            fun failure(name: String) = s.screenSip(invite(name)).verification.failure?.reason
            assert(failure("58-cert-revoked.sip") == "cert_revoked")
            assert(failure("72-cert-revoked-indirect.sip") == "cert_revoked")
            s.setCrlSigners(emptyList())
            assert(failure("72-cert-revoked-indirect.sip") == null) { "no signer: the indirect CRL says nothing" }
            assertThrows<CallScreenException.Configuration> { s.setCrlSigners(listOf("no certificate")) }
            s.setCrlSigners(listOf(signer))
            assert(failure("72-cert-revoked-indirect.sip") == "cert_revoked")
            s.setCrls(emptyList())
            assert(failure("58-cert-revoked.sip") == null)
            assert(failure("72-cert-revoked-indirect.sip") == null)
        }
    }

    check("rcd trust anchors replaced at runtime decide whether a brand is vetted") {
        val rcdRoot = File(data, "pki/rcd-root.pem").readText()
        CallScreener.openAtTime(config(), DirSource(), NOW).use { s ->
            fun screen() = s.screenSip(invite("60-rcd-vetted-anchor.sip"))
            val before = screen()
            assert(before.indication == Indication.VERIFIED && before.display.name == null) { before.toString() }
            assert("rcd_unvetted" in codes(before) && "rcd_verified" !in codes(before)) { codes(before).toString() }
            s.setRcdTrustAnchors(listOf(rcdRoot))
            val vetted = screen()
            assert(vetted.indication == Indication.VERIFIED_BUSINESS) { vetted.toString() }
            assert(vetted.display.name == "Callscreen Test Bank") { vetted.display.toString() }
            assert(vetted.display.callReason == "Fraud alert about your card") { vetted.display.toString() }
            assert("rcd_verified" in codes(vetted) && "rcd_unvetted" !in codes(vetted)) { codes(vetted).toString() }
            assertThrows<CallScreenException.Configuration> { s.setRcdTrustAnchors(listOf("nothing here")) }
            assert(screen().indication == Indication.VERIFIED_BUSINESS) { "the old anchors stay" }
            s.setRcdTrustAnchors(listOf(File(data, "pki/rogue-root.pem").readText()))
            val rogue = screen()
            assert(rogue.indication == Indication.VERIFIED && "rcd_unvetted" in codes(rogue)) { rogue.toString() }
            assert(rogue.verification.status == VerificationStatus.PASSED) { "STI anchors are separate" }
            s.setRcdTrustAnchors(listOf(rcdRoot))
            assert(screen().indication == Indication.VERIFIED_BUSINESS)
            s.setRcdTrustAnchors(emptyList())
            assert(screen().indication == Indication.VERIFIED)
            s.shutdown()
            assertThrows<CallScreenException.Closed> { s.setRcdTrustAnchors(listOf(rcdRoot)) }
        }
    }

    check("rcd content replaced at runtime: a logo shows only when its rcdi digest matches") {
        val cfg = config().copy(rcdTrustAnchorsPem = listOf(File(data, "pki/rcd-root.pem").readText()))
        val logo = File(data, "rcd/bank-logo.png").readBytes()
        val tampered = File(data, "rcd/tampered-logo.png").readBytes()
        val bankUrl = "https://rcd.example.org/bank-logo.png"
        CallScreener.openAtTime(cfg, DirSource(), NOW).use { s ->
            fun screen() = s.screenSip(invite("63-rcdi-match.sip"))
            val none = screen()
            assert(none.indication == Indication.VERIFIED_BUSINESS && none.display.logoUrl == null) { none.toString() }
            s.setRcdContent(listOf(RcdContent(bankUrl, logo)))
            val shown = screen()
            assert(shown.display.logoUrl == bankUrl) { shown.display.toString() }
            assert("rcd_integrity_mismatch" !in codes(shown)) { codes(shown).toString() }
            s.setRcdContent(listOf(RcdContent(bankUrl, tampered)))
            val wrong = screen()
            assert(wrong.display.logoUrl == null) { wrong.display.toString() }
            assert("rcd_integrity_mismatch" in codes(wrong)) { codes(wrong).toString() }
            s.setRcdContent(listOf(RcdContent(bankUrl, logo)))
            assert(screen().display.logoUrl == bankUrl)
            s.setRcdContent(emptyList())
            assert(screen().display.logoUrl == null)
            s.shutdown()
            assertThrows<CallScreenException.Closed> { s.setRcdContent(emptyList()) }
        }
    }

    check("platform call with status 1 is verified") {
        CallScreener.openAtTime(config(), null, NOW).use { s ->
            val v = s.screenPlatform(PlatformCall("+12155551212", PlatformPresentation.ALLOWED, 1))
            assert(v.indication == Indication.VERIFIED) { v.toString() }
            assert(v.verification.source == VerificationSource.PLATFORM)
            assert(v.verification.attestation == null)
            val withheld = s.screenPlatform(PlatformCall(null, platformPresentationFromAndroid(2), 0))
            assert(withheld.indication == Indication.WITHHELD) { withheld.toString() }
        }
    }

    check("bad input is NotSipRequest / TooLarge / Configuration") {
        CallScreener.openAtTime(config(), null, NOW).use { s ->
            val e = assertThrows<CallScreenException.NotSipRequest> { s.screenSip("not sip") }
            assert(e.reason.isNotEmpty())
            assertThrows<CallScreenException.TooLarge> {
                s.screenSip("INVITE sip:a@b SIP/2.0\r\nX: " + "a".repeat(70000) + "\r\n\r\n")
            }
            assertThrows<CallScreenException.Configuration> { s.setTrustAnchors(listOf("nothing here")) }
        }
        assertThrows<CallScreenException.Configuration> {
            CallScreener.open(config(ownNumbers = listOf("not a number")), null)
        }
    }

    check("shutdown, then every call is Closed") {
        CallScreener.open(config(), DirSource()).use { s ->
            s.shutdown()
            assertThrows<CallScreenException.Closed> { s.screenSip(invite("01-good-attest-a.sip")) }
            assertThrows<CallScreenException.Closed> { s.screenSipJson(invite("01-good-attest-a.sip")) }
            assertThrows<CallScreenException.Closed> {
                s.screenPlatform(PlatformCall("+12155551212", PlatformPresentation.ALLOWED, 1))
            }
            s.shutdown()
        }
    }

    check("4 threads screen concurrently on one screener") {
        val cases = mapOf(
            "01-good-attest-a.sip" to Indication.VERIFIED,
            "02-good-attest-b.sip" to Indication.UNVERIFIED,
            "04-signature-invalid.sip" to Indication.LIKELY_SPAM,
            "26-withheld.sip" to Indication.WITHHELD,
        )
        val texts = cases.keys.associateWith { invite(it) }
        val errors = Collections.synchronizedList(mutableListOf<String>())
        CallScreener.openAtTime(config(), DirSource(), NOW).use { s ->
            val threads = (1..4).map {
                Thread {
                    try {
                        repeat(10) {
                            for ((name, want) in cases) {
                                val got = s.screenSip(texts.getValue(name)).indication
                                if (got != want) errors.add("$name: $got")
                            }
                        }
                    } catch (e: Throwable) {
                        errors.add(e.toString())
                    }
                }
            }
            threads.forEach { it.start() }
            threads.forEach { it.join() }
        }
        assert(errors.isEmpty()) { errors.toString() }
    }

    check("screen_sip_json has the CONTRACT.md keys") {
        CallScreener.openAtTime(config(), DirSource(), NOW).use { s ->
            val json = s.screenSipJson(invite("01-good-attest-a.sip"))
            val keys = listOf(
                "indication", "action", "presentation", "display", "number", "name", "label", "label_key",
                "verification", "status", "attestation", "source", "verstat", "signer", "spc", "subject",
                "delegate", "failure", "cert_needed", "score", "reasons",
            )
            for (k in keys) assert("\"$k\":" in json) { "no $k in $json" }
            assert("\"indication\":\"verified\"" in json) { json }
            assert("\"failure\":null" in json) { json }
            val spam = s.screenSipJson(invite("04-signature-invalid.sip"))
            assert("\"failure\":{\"code\":438,\"reason\":\"signature_invalid\"}" in spam) { spam }
        }
    }

    check("log sink receives redacted records") {
        val sink = Collect()
        setLogSink(sink)
        CallScreener.openAtTime(config(), ThrowingSource(), NOW).use { s ->
            s.screenSip(invite("01-good-attest-a.sip"))
        }
        val records = synchronized(sink.records) { sink.records.toList() }
        assert(records.any { it.first == LogLevel.WARN && "certificate source" in it.third }) { records.toString() }
        assert(records.none { "disk gone" in it.third || "2155551212" in it.third }) { records.toString() }
    }

    platformChecks() // PlatformTest.kt: lists, policy, emergency, Android, CallKit
    historyChecks() // HistoryTest.kt: history, corrections, reports, outbox

    println("$passed passed, $failed failed")
    System.exit(if (failed == 0) 0 else 1)
}
