// Platform-free demo logic (formatting, the seed-story runner) plus the generated
// Kotlin bindings. On this Linux machine it is compiled by scripts/demo-jvm.sh
// with kotlinc instead of Gradle.
plugins { id("org.jetbrains.kotlin.jvm") }

kotlin { jvmToolchain(17) }

sourceSets["main"].kotlin.srcDir("../../target/bindings/kotlin") // uniffi-bindgen output

dependencies {
    implementation("net.java.dev.jna:jna:5.13.0")
}
