// HttpsUtTransport (TLS, Digest, errors), the backoff policy and the delivery
// loop against the real outbox.

package org.callscreen.demo.test

import java.net.ServerSocket
import org.callscreen.OutboxOp
import org.callscreen.OutboxState
import org.callscreen.ReportKind
import org.callscreen.ReportRequest
import org.callscreen.ReportWhen
import org.callscreen.UtMethod
import org.callscreen.UtRequest
import org.callscreen.UtTransportException
import org.callscreen.demo.ManualClock
import org.callscreen.demo.ui.OutboxViewModel
import org.callscreen.demo.ut.Backoff
import org.callscreen.demo.ut.DeliveryLoop
import org.callscreen.demo.ut.DigestAuth
import org.callscreen.demo.ut.DigestChallenge
import org.callscreen.demo.ut.DigestCredentials
import org.callscreen.demo.ut.HttpsUtTransport
import org.callscreen.demo.ut.NextRun
import org.callscreen.demo.ut.OutboxDelivery

const val SPOOFER = "+12155551212"

fun utTests(fx: Fixtures, tls: TestTls) = Suite("ut").apply {
    val mufasa = DigestCredentials("Mufasa", "Circle of Life")

    test("Digest: RFC 7616 §3.9.1 vectors (MD5 and SHA-256) and RFC 2617 §3.5") {
        val c = DigestChallenge("http-auth@example.org", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", "MD5", listOf("auth"))
        val cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
        val md5 = DigestAuth.authorization(c, mufasa, "GET", "/dir/index.html", 1, cnonce)
        expect("response=\"8ca523f5e9506fed4657c9700eebdbec\"" in md5) { md5 }
        expect("nc=00000001" in md5 && "qop=auth" in md5 && "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"" in md5) { md5 }
        val sha = DigestAuth.authorization(c.copy(algorithm = "SHA-256"), mufasa, "GET", "/dir/index.html", 1, cnonce)
        expect("response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\"" in sha) { sha }
        val old = DigestChallenge("testrealm@host.com", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "5ccc069c403ebaf9f0171e9517f40e41", "MD5", listOf("auth", "auth-int"))
        val r = DigestAuth.authorization(old, DigestCredentials("Mufasa", "Circle Of Life"), "GET", "/dir/index.html", 1, "0a4f113b")
        expect("response=\"6629fae49393a05397450978507c4ef1\"" in r) { r }
    }

    test("Digest: challenges parsed among several, unanswerable ones skipped") {
        val c = DigestAuth.challenge(listOf("Basic realm=\"x\"", "Digest realm=\"a, b\", nonce=\"n\\\"1\", qop=\"auth-int, auth\", algorithm=SHA-256-sess"))
        expectEqual(DigestChallenge("a, b", "n\"1", null, "SHA-256-sess", listOf("auth-int", "auth")), c, "parsed")
        expectEqual(null, DigestAuth.parse("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\""), "auth-int only")
        expectEqual(null, DigestAuth.parse("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256"), "unknown algorithm")
        expectEqual(null, DigestAuth.parse("Digest realm=\"r\""), "no nonce")
    }

    test("a report is delivered over HTTPS, answering the Digest challenge") {
        LocalHttps(tls).use { server ->
            val digest = DigestServer("ims.example.net", "sip:alice@ims.example.net", "secret")
            val bodies = mutableListOf<String>()
            val keys = mutableListOf<String?>()
            server.on("/xcap-root/callscreen/reports") { ex ->
                val body = ex.requestBody.readBytes().decodeToString()
                if (digest.check(ex)) {
                    bodies += body
                    keys += ex.requestHeaders.getFirst("Idempotency-Key")
                    LocalHttps.respond(ex, 201, ByteArray(0))
                }
            }
            server.on("/xcap-root/") { LocalHttps.respond(it, 500, ByteArray(0)) }
            fx.screener().use { s ->
                val id = s.report(ReportRequest(ReportKind.SPOOFED, number = SPOOFER, `when` = ReportWhen.BEFORE_ANSWER))
                val t = HttpsUtTransport(server.url("/xcap-root"), DigestCredentials("sip:alice@ims.example.net", "secret"), tls.clientTrust)
                val probe = s.outbox().single()
                val summary = s.deliverOutbox(t)
                val item = s.outbox().single()
                expect(summary.delivered == 1u) { "$summary $item (path ${probe.target})" }
                expectEqual(OutboxState.DELIVERED, item.state, "state")
                expectEqual(1, digest.challenged, "challenges")
                expectEqual(1, digest.authorized, "authorized requests")
                expectEqual(listOf<String?>(id), keys, "Idempotency-Key")
                expect(bodies.single().contentEquals(s.reportBody(id)!!.decodeToString())) { "body altered" }
            }
        }
    }

    test("network barring: XCAP GET of simservs, then PUT of the rule with If-Match") {
        LocalHttps(tls).use { server ->
            val digest = DigestServer("ims.example.net", "alice", "secret")
            val seen = mutableListOf<String>()
            var putBody = ""
            var ifMatch: String? = null
            server.on("*") { ex ->
                val body = ex.requestBody.readBytes().decodeToString()
                if (!digest.check(ex)) return@on
                seen += "${ex.requestMethod} ${ex.requestURI.rawPath}" + (ex.requestURI.rawQuery?.let { "?$it" } ?: "")
                if (ex.requestMethod == "GET") {
                    val doc = "<?xml version=\"1.0\"?><simservs xmlns=\"http://uri.etsi.org/ngn/params/xml/simservs/xcap\" " +
                        "xmlns:cp=\"urn:ietf:params:xml:ns:common-policy\"><communication-barring-serv-cap><serv-cap-conditions>" +
                        "<serv-cap-identity provisioned=\"true\"/></serv-cap-conditions></communication-barring-serv-cap>" +
                        "<incoming-communication-barring active=\"true\"><cp:ruleset/></incoming-communication-barring></simservs>"
                    LocalHttps.respond(ex, 200, doc.toByteArray(), mapOf("ETag" to "\"e1\"", "Content-Type" to "application/simservs+xml"))
                } else {
                    putBody = body
                    ifMatch = ex.requestHeaders.getFirst("If-Match")
                    LocalHttps.respond(ex, 201, ByteArray(0))
                }
            }
            fx.screener().use { s ->
                s.blockNumber("+12025550111", ReportKind.UNSOLICITED, org.callscreen.BlockMode.ALWAYS, false)
                val bar = s.outbox().single { it.op == OutboxOp.BAR }
                val summary = s.deliverOutbox(HttpsUtTransport(server.url("/xcap"), DigestCredentials("alice", "secret"), tls.clientTrust))
                expect(summary.delivered == 1u) { "$summary ${s.outbox()} $seen" }
                expectEqual(OutboxState.DELIVERED, s.outbox().single { it.id == bar.id }.state, "barring state")
                expectEqual(2, seen.size, "requests: $seen")
                expect(seen[0] == "GET /xcap/simservs.ngn.etsi.org/users/tel:+12155551213/simservs.xml") { seen[0] }
                expect(seen[1].startsWith("PUT /xcap/simservs.ngn.etsi.org/users/tel:+12155551213/simservs.xml/~~/simservs/incoming-communication-barring/")) { seen[1] }
                expect("%5B@id=%22callscreen-12025550111%22%5D" in seen[1]) { seen[1] }
                expectEqual("\"e1\"", ifMatch, "If-Match")
                expect("12025550111" in putBody) { putBody }
            }
        }
    }

    test("a wrong password leaves the 401 to the core: retried later") {
        LocalHttps(tls).use { server ->
            val digest = DigestServer("ims.example.net", "alice", "secret", algorithm = "MD5")
            server.on("/x/callscreen/reports") { ex ->
                ex.requestBody.readBytes()
                if (digest.check(ex)) LocalHttps.respond(ex, 201, ByteArray(0))
            }
            fx.screener().use { s ->
                s.report(ReportRequest(ReportKind.SPOOFED, number = SPOOFER, `when` = ReportWhen.AFTER))
                val summary = s.deliverOutbox(HttpsUtTransport(server.url("/x/"), DigestCredentials("alice", "wrong"), tls.clientTrust))
                val item = s.outbox().single()
                expect(summary.retrying == 1u && item.state == OutboxState.PENDING) { "$summary $item" }
                expectEqual(401, item.lastStatus?.toInt(), "last status")
                expectEqual(2, digest.challenged, "one plain try, one answered challenge")
            }
        }
    }

    test("transport errors: unreachable, timeout, a path outside the root") {
        val closedPort = ServerSocket(0).use { it.localPort }
        val req = UtRequest(UtMethod.PUT, "a/b", emptyList(), "x".toByteArray())
        expectThrows<UtTransportException.Unreachable> {
            HttpsUtTransport("https://127.0.0.1:$closedPort/", null, tls.clientTrust, connectTimeoutMillis = 1000).send(req)
        }
        LocalHttps(tls).use { server ->
            server.on("/slow/a/b") { ex -> Thread.sleep(1500); LocalHttps.respond(ex, 201, ByteArray(0)) }
            expectThrows<UtTransportException.Timeout> {
                HttpsUtTransport(server.url("/slow"), null, tls.clientTrust, readTimeoutMillis = 300).send(req)
            }
            val t = HttpsUtTransport(server.url("/root/"), null, tls.clientTrust)
            expectThrows<UtTransportException.Other> { t.send(req.copy(path = "//evil.example.net/steal")) }
            expectThrows<UtTransportException.Other> { t.send(req.copy(path = "a/../../other")) }
            expectThrows<UtTransportException.Other> { t.send(req.copy(path = "http://127.0.0.1:${server.port}/root/a")) }
            // Untrusted: the platform's trust store does not know the test certificate.
            expectThrows<UtTransportException.Unreachable> { HttpsUtTransport(server.url("/root/")).send(req) }
        }
        expectThrows<IllegalArgumentException> { HttpsUtTransport("http://xcap.example.net/") }
    }

    test("backoff: 30 s doubling per run, capped at JobScheduler's 5 hours") {
        val b = Backoff()
        expectEqual(listOf(30L, 60L, 120L, 240L, 480L, 960L), (1..6).map(b::delaySecs), "delays")
        expectEqual(15_360L, b.delaySecs(10), "run 10")
        expectEqual(18_000L, b.delaySecs(11), "run 11 capped")
        expectEqual(18_000L, b.delaySecs(1000), "no overflow")
        expectThrows<IllegalArgumentException> { Backoff(baseSecs = 5) }
    }

    test("next run: settled, backoff, or the core's later due time") {
        val b = Backoff()
        expectEqual(NextRun.Settled, OutboxDelivery.plan(null, NOW, 1, b), "nothing waits")
        expectEqual(NextRun.Backoff(30), OutboxDelivery.plan(NOW + 20, NOW, 1, b), "due soon")
        expectEqual(NextRun.Backoff(120), OutboxDelivery.plan(NOW + 100, NOW, 3, b), "third run")
        expectEqual(NextRun.At(3600), OutboxDelivery.plan(NOW + 3600, NOW, 1, b), "due later")
    }

    test("delivery fails with 503, is retried after the backoff, then delivered") {
        val db = fx.tempDb()
        LocalHttps(tls).use { server ->
            val statuses = ArrayDeque(listOf(503, 201))
            val keys = mutableListOf<String?>()
            server.on("/ut/callscreen/reports") { ex ->
                ex.requestBody.readBytes()
                keys += ex.requestHeaders.getFirst("Idempotency-Key")
                LocalHttps.respond(ex, statuses.removeFirst(), ByteArray(0), mapOf("Content-Type" to "text/plain"))
            }
            val transport = HttpsUtTransport(server.url("/ut"), null, tls.clientTrust)
            val id = fx.screener(at = NOW, dbPath = db).use { it.report(ReportRequest(ReportKind.SPOOFED, number = SPOOFER, `when` = ReportWhen.AFTER)) }

            // First run by hand, and what the outbox screen shows after it.
            val first = fx.screener(at = NOW, dbPath = db).use { s ->
                val r = OutboxDelivery(transport).run(s, NOW, 1)
                val vm = OutboxViewModel(s, java.time.ZoneOffset.UTC).also { it.refresh() }
                val row = vm.state.value.rows.single()
                expect(row.state == OutboxState.PENDING && row.stateText.startsWith("Retrying at 2026-11-22 12:")) { row.toString() }
                expect("HTTP 503" in row.stateText && row.attempts == 1 && !row.canRetry) { row.toString() }
                r
            }
            expect(first.summary?.retrying == 1u) { first.toString() }
            val wait = (first.next as? NextRun.Backoff)?.afterSecs ?: (first.next as NextRun.At).afterSecs
            expect(wait >= 30) { first.next.toString() }

            // Then the loop, on a simulated clock: the next run delivers.
            val clock = ManualClock(NOW + wait)
            val opened = mutableListOf<org.callscreen.CallScreener>()
            val slept = mutableListOf<Long>()
            val runs = DeliveryLoop(OutboxDelivery(transport), clock, { slept += it; clock.advance(it) })
                .run { at -> fx.screener(at = at, dbPath = db).also { opened += it } }
            expectEqual(1, runs.size, "runs until settled")
            expect(runs[0].summary?.delivered == 1u && runs[0].next == NextRun.Settled) { runs.toString() }
            expect(slept.isEmpty()) { slept.toString() }
            val item = opened.last().outbox().single()
            expectEqual(OutboxState.DELIVERED, item.state, "state")
            expectEqual(2u, item.attempts, "attempts")
            expectEqual(listOf<String?>(id, id), keys, "same Idempotency-Key on both attempts")
            opened.forEach { it.close() }
        }
    }

    test("the loop backs off while the server keeps failing, and stops at its limit") {
        val db = fx.tempDb()
        LocalHttps(tls).use { server ->
            server.on("/ut/callscreen/reports") { ex ->
                ex.requestBody.readBytes()
                LocalHttps.respond(ex, 503, ByteArray(0))
            }
            fx.screener(at = NOW, dbPath = db).use { it.report(ReportRequest(ReportKind.SPOOFED, number = SPOOFER, `when` = ReportWhen.AFTER)) }
            val clock = ManualClock(NOW)
            val slept = mutableListOf<Long>()
            val opened = mutableListOf<org.callscreen.CallScreener>()
            val runs = DeliveryLoop(OutboxDelivery(HttpsUtTransport(server.url("/ut"), null, tls.clientTrust)), clock, { slept += it; clock.advance(it) }, maxRuns = 4)
                .run { at -> fx.screener(at = at, dbPath = db).also { opened += it } }
            expectEqual(4, runs.size, "runs")
            expect(runs.all { it.summary?.retrying == 1u }) { runs.toString() }
            // Each wait is at least the run's backoff, and at least the core's own due time.
            val b = Backoff()
            slept.forEachIndexed { i, s -> expect(s >= b.delaySecs(i + 1)) { "wait $i: $slept" } }
            expect(slept.zipWithNext().all { (a, c) -> c >= a }) { "waits shrink: $slept" }
            expectEqual(4u, opened.last().outbox().single().attempts, "attempts")
            opened.forEach { it.close() }
        }
    }
}
