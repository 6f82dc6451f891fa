// HTTP Digest access authentication (RFC 7616; RFC 2617's form without qop),
// the Ut/XCAP servers' usual scheme when GBA is not used (TS 24.623, TS 33.222).
// Hand-written because Android's HttpURLConnection (OkHttp inside) answers only
// Basic challenges through java.net.Authenticator. qop "auth" only; MD5 and
// SHA-256, each also "-sess".

package org.callscreen.demo.ut

import java.security.MessageDigest
import java.security.SecureRandom

class DigestCredentials(val username: String, val password: String) {
    override fun toString() = "DigestCredentials($username, ***)"
}

data class DigestChallenge(
    val realm: String,
    val nonce: String,
    val opaque: String?,
    val algorithm: String,
    val qop: List<String>,
)

object DigestAuth {
    private val ALGORITHMS = mapOf("MD5" to "MD5", "SHA-256" to "SHA-256")

    /** The Digest challenge among WWW-Authenticate values, or null (none, or one we cannot answer). */
    fun challenge(wwwAuthenticate: List<String>): DigestChallenge? =
        wwwAuthenticate.firstNotNullOfOrNull { parse(it) }

    fun parse(header: String): DigestChallenge? {
        val h = header.trim()
        if (!h.regionMatches(0, "Digest ", 0, 7, ignoreCase = true)) return null
        val p = params(h.substring(7))
        val algorithm = p["algorithm"] ?: "MD5"
        if (ALGORITHMS[algorithm.uppercase().removeSuffix("-SESS")] == null) return null
        val qop = p["qop"]?.split(',')?.map { it.trim().lowercase() }.orEmpty()
        if (qop.isNotEmpty() && "auth" !in qop) return null // auth-int only
        return DigestChallenge(p["realm"] ?: return null, p["nonce"] ?: return null, p["opaque"], algorithm, qop)
    }

    /** The Authorization header value answering `c` for `method` on `uri` (the request-target). */
    fun authorization(c: DigestChallenge, who: DigestCredentials, method: String, uri: String, nc: Int, cnonce: String): String {
        val hash = ALGORITHMS.getValue(c.algorithm.uppercase().removeSuffix("-SESS"))
        fun h(s: String) = hex(MessageDigest.getInstance(hash).digest(s.toByteArray(Charsets.UTF_8)))
        var ha1 = h("${who.username}:${c.realm}:${who.password}")
        if (c.algorithm.uppercase().endsWith("-SESS")) ha1 = h("$ha1:${c.nonce}:$cnonce")
        val ha2 = h("$method:$uri")
        val ncHex = "%08x".format(nc)
        val withQop = c.qop.isNotEmpty()
        val response = if (withQop) h("$ha1:${c.nonce}:$ncHex:$cnonce:auth:$ha2") else h("$ha1:${c.nonce}:$ha2")
        return buildString {
            append("Digest username=").append(quote(who.username))
            append(", realm=").append(quote(c.realm))
            append(", nonce=").append(quote(c.nonce))
            append(", uri=").append(quote(uri))
            append(", algorithm=").append(c.algorithm)
            append(", response=").append(quote(response))
            if (withQop) append(", qop=auth, nc=").append(ncHex).append(", cnonce=").append(quote(cnonce))
            c.opaque?.let { append(", opaque=").append(quote(it)) }
        }
    }

    fun newCnonce(): String = hex(ByteArray(16).also { SecureRandom().nextBytes(it) })

    /** auth-params: `name=token` or `name="quoted \" string"`, comma separated. */
    internal fun params(s: String): Map<String, String> {
        val out = linkedMapOf<String, String>()
        var i = 0
        while (i < s.length) {
            while (i < s.length && (s[i] == ',' || s[i].isWhitespace())) i++
            val eq = s.indexOf('=', i)
            if (eq < 0) break
            val name = s.substring(i, eq).trim().lowercase()
            i = eq + 1
            val value = StringBuilder()
            if (i < s.length && s[i] == '"') {
                i++
                while (i < s.length && s[i] != '"') {
                    if (s[i] == '\\' && i + 1 < s.length) i++
                    value.append(s[i++])
                }
                i++
            } else {
                while (i < s.length && s[i] != ',') value.append(s[i++])
            }
            out[name] = value.toString().trim()
        }
        return out
    }

    private fun quote(s: String) = "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""

    private fun hex(b: ByteArray) = b.joinToString("") { "%02x".format(it) }
}
