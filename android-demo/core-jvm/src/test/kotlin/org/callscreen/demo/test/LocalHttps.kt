// A local HTTPS server (com.sun.net.httpserver) answering from per-path
// handlers, counting requests, for the certificate fetcher and Ut transport tests.

package org.callscreen.demo.test

import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpsConfigurator
import com.sun.net.httpserver.HttpsServer
import java.net.InetSocketAddress
import java.net.URI
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger

class LocalHttps(tls: TestTls) : AutoCloseable {
    private val server = HttpsServer.create(InetSocketAddress("127.0.0.1", 0), 0)
    private val routes = ConcurrentHashMap<String, (HttpExchange) -> Unit>()
    private val counts = ConcurrentHashMap<String, AtomicInteger>()
    val port: Int

    init {
        server.httpsConfigurator = HttpsConfigurator(tls.server)
        server.createContext("/") { ex ->
            val path = ex.requestURI.path
            counts.computeIfAbsent(path) { AtomicInteger() }.incrementAndGet()
            val h = routes[path] ?: routes["*"]
            try {
                if (h == null) respond(ex, 404, ByteArray(0)) else h(ex)
            } catch (e: Exception) {
                System.err.println("handler for $path: $e")
            } finally {
                ex.close()
            }
        }
        server.start()
        port = server.address.port
    }

    /** `path` exactly, or "*" for any path without its own handler. */
    fun on(path: String, handler: (HttpExchange) -> Unit) {
        routes[path] = handler
    }

    fun requests(path: String) = counts[path]?.get() ?: 0

    fun url(path: String) = "https://127.0.0.1:$port$path"

    /** Sends every URL's path to this server (the fetcher's route). */
    fun route(uri: URI): URI = URI("https", null, "127.0.0.1", port, uri.path, null, null)

    override fun close() = server.stop(0)

    companion object {
        fun respond(ex: HttpExchange, status: Int, body: ByteArray, headers: Map<String, String> = emptyMap(), chunked: Boolean = false) {
            headers.forEach { (k, v) -> ex.responseHeaders.add(k, v) }
            ex.sendResponseHeaders(status, if (chunked) 0 else if (body.isEmpty()) -1 else body.size.toLong())
            if (body.isNotEmpty()) ex.responseBody.use { it.write(body) }
        }
    }
}
