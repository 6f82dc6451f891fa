// Fetched STI certificate chains on disk, one file per x5u URL named by the
// URL's SHA-256, each with the time until which it is fresh (the server's
// Cache-Control max-age). Written to a temporary file and renamed, so a reader
// never sees half an entry. Local only: it never touches the network.

package org.callscreen.demo.cert

import java.io.File
import java.io.IOException
import java.nio.file.Files
import java.nio.file.StandardCopyOption
import java.security.MessageDigest
import org.callscreen.demo.Clock

/** One cached chain; fresh while `now < freshUntil` (seconds since the epoch). */
class CachedChain(val url: String, val chain: ByteArray, val fetchedAt: Long, val freshUntil: Long) {
    fun isFresh(now: Long) = now < freshUntil
}

class CertificateDiskCache(private val dir: File, private val clock: Clock = Clock.SYSTEM) {
    init {
        dir.mkdirs()
    }

    fun fileFor(url: String): File = File(dir, sha256Hex(url) + ".chain")

    /** The entry for `url`, fresh or stale; `null` when there is none.
     *  @throws IOException when the entry cannot be read or is damaged. */
    fun entry(url: String): CachedChain? {
        val f = fileFor(url)
        if (!f.exists()) return null
        val bytes = f.readBytes()
        val nl = bytes.indexOf('\n'.code.toByte())
        if (nl < 0) throw IOException("damaged cache entry ${f.name}")
        val head = String(bytes, 0, nl, Charsets.UTF_8).split(' ', limit = 4)
        if (head.size != 4 || head[0] != MAGIC) throw IOException("damaged cache entry ${f.name}")
        val fetchedAt = head[1].toLongOrNull() ?: throw IOException("damaged cache entry ${f.name}")
        val freshUntil = head[2].toLongOrNull() ?: throw IOException("damaged cache entry ${f.name}")
        if (head[3] != url) return null // another URL with the same hash: not ours
        return CachedChain(url, bytes.copyOfRange(nl + 1, bytes.size), fetchedAt, freshUntil)
    }

    /** The chain for `url` if it is fresh now. @throws IOException as [entry]. */
    fun fresh(url: String): ByteArray? = entry(url)?.takeIf { it.isFresh(clock.now()) }?.chain

    /** Store `chain` for `url`, fresh for `maxAgeSecs` from now. */
    fun put(url: String, chain: ByteArray, maxAgeSecs: Long) {
        require('\n' !in url && '\r' !in url) { "URL with a line break" }
        val now = clock.now()
        val tmp = File.createTempFile("put", ".tmp", dir)
        try {
            tmp.outputStream().use {
                it.write("$MAGIC $now ${now + maxAgeSecs} $url\n".toByteArray(Charsets.UTF_8))
                it.write(chain)
            }
            Files.move(tmp.toPath(), fileFor(url).toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE)
        } finally {
            tmp.delete()
        }
    }

    fun remove(url: String) = fileFor(url).delete()

    private companion object {
        const val MAGIC = "callscreen-chain-1"

        fun sha256Hex(s: String): String =
            MessageDigest.getInstance("SHA-256").digest(s.toByteArray(Charsets.UTF_8)).joinToString("") { "%02x".format(it) }
    }
}
