// Entry point of the core-jvm tests (scripts/demo-jvm.sh). Argument 1: the
// repository root (for tests/data).

package org.callscreen.demo.test

import java.io.File
import kotlin.system.exitProcess

fun main(args: Array<String>) {
    val fx = Fixtures(File(if (args.isNotEmpty()) args[0] else "."))
    val tls = TestTls(fx.tempDir("tls"))
    val failed = runSuites(
        listOf(certificateTests(fx, tls), utTests(fx, tls), viewModelTests(fx), budgetTests(fx), controllerTests(fx)),
    )
    exitProcess(if (failed == 0) 0 else 1)
}
