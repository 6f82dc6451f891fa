// Without the Android Gradle plugin there is no merged manifest for Robolectric:
// the tests start components directly (Config.NONE). This checks what the
// manifest declares for them, so the two cannot drift apart.

package org.callscreen.demo.android

import java.io.File
import javax.xml.parsers.DocumentBuilderFactory
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import org.w3c.dom.Element

class ManifestTest : AppTest() {
    private val ns = "http://schemas.android.com/apk/res/android"
    private val doc by lazy {
        DocumentBuilderFactory.newInstance().apply { isNamespaceAware = true }
            .newDocumentBuilder().parse(File(REPO, "android-demo/app/src/main/AndroidManifest.xml"))
    }

    private fun elements(tag: String): List<Element> = doc.getElementsByTagName(tag).let { l -> (0 until l.length).map { l.item(it) as Element } }
    private fun name(e: Element) = e.getAttributeNS(ns, "name")

    @Test fun manifestDeclaresPermissionsServicesAndJobs() {
        val permissions = elements("uses-permission").map(::name)
        assertTrue(permissions.toString(), "android.permission.READ_CONTACTS" in permissions)
        assertTrue(permissions.toString(), "android.permission.POST_NOTIFICATIONS" in permissions)
        val services = elements("service").associate { name(it).removePrefix(".") to it.getAttributeNS(ns, "permission") }
        assertEquals("android.permission.BIND_SCREENING_SERVICE", services[DemoScreeningService::class.java.simpleName])
        assertEquals("android.permission.BIND_INCALL_SERVICE", services[DemoInCallService::class.java.simpleName])
        assertEquals("android.permission.BIND_JOB_SERVICE", services[CertificateRefreshJob::class.java.simpleName])
        assertEquals("android.permission.BIND_JOB_SERVICE", services[OutboxDeliveryJob::class.java.simpleName])
        val app = elements("application").single()
        assertEquals(".DemoApp", app.getAttributeNS(ns, "name"))
        assertFalse("no WorkManager", doc.documentElement.textContent.contains("androidx"))
    }
}
