// A self-signed certificate for localhost made at test time with the JDK's
// keytool, a server SSLContext holding it, and a client socket factory that
// trusts exactly that certificate. Production code keeps the platform's trust.

package org.callscreen.demo.test

import java.io.File
import java.security.KeyStore
import javax.net.ssl.KeyManagerFactory
import javax.net.ssl.SSLContext
import javax.net.ssl.SSLSocketFactory
import javax.net.ssl.TrustManagerFactory

class TestTls(dir: File) {
    val server: SSLContext
    val clientTrust: SSLSocketFactory

    init {
        val store = File(dir, "server.p12")
        val keytool = File(System.getProperty("java.home"), "bin/keytool").path
        val p = ProcessBuilder(
            keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
            "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
            "-validity", "2", "-keystore", store.path, "-storetype", "PKCS12", "-storepass", PASS, "-keypass", PASS,
        ).redirectErrorStream(true).start()
        val out = p.inputStream.readBytes().decodeToString()
        check(p.waitFor() == 0) { "keytool failed: $out" }

        val keys = KeyStore.getInstance("PKCS12").apply { store.inputStream().use { load(it, PASS.toCharArray()) } }
        val kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm()).apply { init(keys, PASS.toCharArray()) }
        server = SSLContext.getInstance("TLS").apply { init(kmf.keyManagers, null, null) }

        val trusted = KeyStore.getInstance("PKCS12").apply {
            load(null, null)
            setCertificateEntry("server", keys.getCertificate("server"))
        }
        val tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm()).apply { init(trusted) }
        clientTrust = SSLContext.getInstance("TLS").apply { init(null, tmf.trustManagers, null) }.socketFactory
    }

    private companion object {
        const val PASS = "test-only"
    }
}
