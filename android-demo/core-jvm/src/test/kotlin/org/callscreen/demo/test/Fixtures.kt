// The fixtures of tests/data (see tests/fixtures/gen_fixtures.py): the clock they
// were made for, the trust anchors, INVITEs, and the x5u URL → file mapping
// (https://certs.example.org/<name> is tests/data/certs/<name>).

package org.callscreen.demo.test

import java.io.File
import java.nio.file.Files
import org.callscreen.Action
import org.callscreen.CallScreener
import org.callscreen.CertificateSource
import org.callscreen.PlatformCall
import org.callscreen.PlatformPresentation
import org.callscreen.ScreenerConfig
import org.callscreen.Verdict

const val NOW = 1795348800L // 2026-11-22T12:00:00Z
const val SP_LEAF_URL = "https://certs.example.org/sp-leaf.pem"
const val MISSING_URL = "https://certs.example.org/missing.pem"

class Fixtures(root: File) {
    val data = File(root, "tests/data")

    fun cert(name: String): ByteArray = File(data, "certs/$name").readBytes()

    fun invite(name: String): String = File(data, "invites/$name").readText()

    fun config(dbPath: String? = null) = ScreenerConfig(
        dbPath = dbPath,
        trustAnchorsPem = listOf(File(data, "pki/sti-ca-root.pem").readText()),
        rcdTrustAnchorsPem = listOf(File(data, "pki/rcd-root.pem").readText()),
        ownNumbers = listOf("+12155551213"),
        likelySpamAction = Action.REJECT,
    )

    fun screener(source: CertificateSource? = null, at: Long = NOW, dbPath: String? = null) =
        CallScreener.openAtTime(config(dbPath), source, at)

    fun tempDir(prefix: String): File = Files.createTempDirectory(prefix).toFile()

    fun tempDb(): String = File(tempDir("callscreen-test"), "t.db").path
}

fun platformCall(number: String?, status: Int, presentation: PlatformPresentation = PlatformPresentation.ALLOWED) =
    PlatformCall(number, presentation, status)

fun codes(v: Verdict) = v.reasons.map { it.code }
