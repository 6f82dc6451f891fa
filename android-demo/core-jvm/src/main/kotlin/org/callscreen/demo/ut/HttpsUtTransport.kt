// The UtTransport the outbox delivers through: one XCAP request over HTTPS to
// the operator's Ut root (TS 24.623), answering a Digest challenge once. Any
// HTTP answer is returned as it is (a 503 is the core's to classify); only a
// missing answer is an error: Timeout, Unreachable, or Other.

package org.callscreen.demo.ut

import java.io.IOException
import java.net.SocketTimeoutException
import java.net.URI
import javax.net.ssl.HttpsURLConnection
import javax.net.ssl.SSLSocketFactory
import org.callscreen.UtHeader
import org.callscreen.UtRequest
import org.callscreen.UtResponse
import org.callscreen.UtTransport
import org.callscreen.UtTransportException
import org.callscreen.demo.readAtMost

class HttpsUtTransport(
    /** The XCAP root, e.g. `https://xcap.ims.mnc001.mcc001.pub.3gppnetwork.org/`. */
    root: String,
    private val credentials: DigestCredentials? = null,
    /** null: the platform's trust store. */
    private val sslSocketFactory: SSLSocketFactory? = null,
    private val connectTimeoutMillis: Int = 10_000,
    private val readTimeoutMillis: Int = 20_000,
    private val newCnonce: () -> String = DigestAuth::newCnonce,
) : UtTransport {
    private val root: URI = URI(if (root.endsWith("/")) root else "$root/")

    init {
        require(this.root.scheme.equals("https", ignoreCase = true)) { "the Ut root must be https" }
    }

    override fun send(request: UtRequest): UtResponse {
        val target = try {
            root.resolve(request.path.removePrefix("/")).normalize()
        } catch (e: IllegalArgumentException) {
            throw UtTransportException.Other("path is not a URI reference")
        }
        val inside = target.scheme.equals("https", ignoreCase = true) && target.host == root.host &&
            target.port == root.port && target.rawPath.startsWith(root.rawPath)
        if (!inside) {
            throw UtTransportException.Other("path leaves the Ut root")
        }
        try {
            val first = exchange(target, request, null)
            if (first.status.toInt() != 401 || credentials == null) return first
            val challenge = DigestAuth.challenge(first.headers.filter { it.name.equals("WWW-Authenticate", true) }.map { it.value })
                ?: return first
            val uri = target.rawPath + (target.rawQuery?.let { "?$it" } ?: "")
            val auth = DigestAuth.authorization(challenge, credentials, request.method.name, uri, 1, newCnonce())
            return exchange(target, request, auth)
        } catch (e: SocketTimeoutException) {
            throw UtTransportException.Timeout("no answer in time")
        } catch (e: IOException) {
            throw UtTransportException.Unreachable(e.javaClass.simpleName)
        } catch (e: UtTransportException) {
            throw e
        } catch (e: Exception) {
            throw UtTransportException.Other(e.javaClass.simpleName)
        }
    }

    private fun exchange(target: URI, request: UtRequest, authorization: String?): UtResponse {
        val c = target.toURL().openConnection() as HttpsURLConnection
        try {
            sslSocketFactory?.let { c.sslSocketFactory = it }
            c.connectTimeout = connectTimeoutMillis
            c.readTimeout = readTimeoutMillis
            c.instanceFollowRedirects = false
            c.useCaches = false
            c.requestMethod = request.method.name
            request.headers.forEach { c.addRequestProperty(it.name, it.value) }
            authorization?.let { c.setRequestProperty("Authorization", it) }
            if (request.body.isNotEmpty()) {
                c.doOutput = true
                c.setFixedLengthStreamingMode(request.body.size)
                c.outputStream.use { it.write(request.body) }
            }
            val status = c.responseCode
            val headers = c.headerFields.filterKeys { it != null }.flatMap { (k, vs) -> vs.map { UtHeader(k, it) } }
            val body = (if (status >= 400) c.errorStream else c.inputStream)?.use {
                it.readAtMost(MAX_RESPONSE_BYTES) ?: throw IOException("response over $MAX_RESPONSE_BYTES bytes")
            } ?: ByteArray(0)
            return UtResponse(status.toUShort(), headers, body)
        } finally {
            c.disconnect()
        }
    }

    companion object {
        const val MAX_RESPONSE_BYTES = 256 * 1024
    }
}
