// Platform-free demo logic: view models, formatting, the HTTPS certificate
// fetcher and cache, the Ut transport and delivery backoff, the seed-story
// runner, plus the generated Kotlin bindings. On the Linux machine it was
// written on it is compiled by scripts/demo-jvm.sh with kotlinc instead of
// Gradle; its tests are a main() (no JUnit there), run here by `jvmTests`.
plugins { id("org.jetbrains.kotlin.jvm") }

kotlin { jvmToolchain(17) }

sourceSets["main"].kotlin.srcDir("../../target/bindings/kotlin") // uniffi-bindgen output

dependencies {
    implementation("net.java.dev.jna:jna:5.13.0")
}

// ./gradlew :core-jvm:jvmTests (needs the host libcallscreen_ffi in ../../target/debug)
tasks.register<JavaExec>("jvmTests") {
    dependsOn("testClasses")
    classpath = sourceSets["test"].runtimeClasspath
    mainClass.set("org.callscreen.demo.test.JvmTestsKt")
    args(rootDir.resolve("..").absolutePath)
    jvmArgs("-Djna.library.path=" + rootDir.resolve("../target/debug").absolutePath)
}
