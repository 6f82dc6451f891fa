// Delivers queued reports and barring changes when the network is up: one
// deliver_outbox pass per run; WorkManager's backoff covers the rest.

package org.callscreen.demo.android

import android.content.Context
import androidx.work.CoroutineWorker
import androidx.work.WorkerParameters
import java.net.HttpURLConnection
import java.net.URL
import org.callscreen.UtHeader
import org.callscreen.UtRequest
import org.callscreen.UtResponse
import org.callscreen.UtTransport
import org.callscreen.UtTransportException

/** Ut over HTTPS. A real app adds Digest or GBA authentication here. */
class HttpsUtTransport(private val root: String) : UtTransport {
    override fun send(request: UtRequest): UtResponse {
        try {
            val c = URL("$root/${request.path}").openConnection() as HttpURLConnection
            c.requestMethod = request.method.name
            c.connectTimeout = 10_000
            c.readTimeout = 20_000
            request.headers.forEach { c.addRequestProperty(it.name, it.value) }
            if (request.body.isNotEmpty()) {
                c.doOutput = true
                c.outputStream.use { it.write(request.body) }
            }
            val status = c.responseCode
            val body = (if (status >= 400) c.errorStream else c.inputStream)?.use { it.readBytes() } ?: ByteArray(0)
            val headers = c.headerFields.filterKeys { it != null }.flatMap { (k, vs) -> vs.map { UtHeader(k, it) } }
            return UtResponse(status.toUShort(), headers, body)
        } catch (e: java.net.SocketTimeoutException) {
            throw UtTransportException.Timeout(e.message ?: "timeout")
        } catch (e: java.io.IOException) {
            throw UtTransportException.Unreachable(e.message ?: "unreachable")
        }
    }
}

class OutboxWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val screener = (applicationContext as DemoApp).screener
        val summary = screener.deliverOutbox(HttpsUtTransport(BuildConfigUt.ROOT))
        return if (summary.retrying > 0u) Result.retry() else Result.success()
    }
}

/** Where the operator's Ut (XCAP) root is; per operator in a real app. */
object BuildConfigUt {
    const val ROOT = "https://xcap.ims.example.net"
}
