// Server side of HTTP Digest for the tests, written from RFC 7616 §3.4
// independently of the client: it challenges, then checks the response.

package org.callscreen.demo.test

import com.sun.net.httpserver.HttpExchange
import java.security.MessageDigest

class DigestServer(
    private val realm: String,
    private val user: String,
    private val password: String,
    private val algorithm: String = "SHA-256",
) {
    val nonce = "n" + System.nanoTime().toString(16)
    var authorized = 0
        private set
    var challenged = 0
        private set

    /** True when the request carries a valid Authorization; else answers 401 with a challenge. */
    fun check(ex: HttpExchange): Boolean {
        val auth = ex.requestHeaders.getFirst("Authorization")
        if (auth != null && valid(auth, ex.requestMethod)) {
            authorized++
            return true
        }
        challenged++
        ex.responseHeaders.add("WWW-Authenticate", "Basic realm=\"$realm\"")
        ex.responseHeaders.add(
            "WWW-Authenticate",
            "Digest realm=\"$realm\", qop=\"auth,auth-int\", algorithm=$algorithm, nonce=\"$nonce\", opaque=\"op, aque\"",
        )
        LocalHttps.respond(ex, 401, ByteArray(0))
        return false
    }

    private fun valid(header: String, method: String): Boolean {
        val p = Regex("""(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))""").findAll(header.removePrefix("Digest "))
            .associate { it.groupValues[1] to (it.groupValues[2].ifEmpty { it.groupValues[3] }) }
        if (p["username"] != user || p["realm"] != realm || p["nonce"] != nonce || p["opaque"] != "op, aque") return false
        if (p["qop"] != "auth" || p["algorithm"] != algorithm) return false
        val md = if (algorithm == "SHA-256") "SHA-256" else "MD5"
        fun h(s: String) = MessageDigest.getInstance(md).digest(s.toByteArray()).joinToString("") { "%02x".format(it) }
        val expected = h("${h("$user:$realm:$password")}:$nonce:${p["nc"]}:${p["cnonce"]}:auth:${h("$method:${p["uri"]}")}")
        return p["response"] == expected
    }
}
