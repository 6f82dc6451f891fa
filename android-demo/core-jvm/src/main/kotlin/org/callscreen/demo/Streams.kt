// Bounded reads (InputStream.readNBytes needs Android API 33; minSdk is 29).

package org.callscreen.demo

import java.io.ByteArrayOutputStream
import java.io.InputStream

/** Up to `limit` bytes, or null when the stream holds more. */
fun InputStream.readAtMost(limit: Int): ByteArray? {
    val out = ByteArrayOutputStream()
    val buf = ByteArray(8192)
    while (true) {
        val n = read(buf)
        if (n < 0) return out.toByteArray()
        if (out.size() + n > limit) return null
        out.write(buf, 0, n)
    }
}
