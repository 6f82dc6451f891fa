// The Android app, for a machine with the Android SDK and NDK. Without them (CI),
// scripts/android-framework-test.sh compiles the same sources with kotlinc
// against the framework jar and runs src/test/kotlin under Robolectric (Maven,
// ../pom.xml). No androidx: framework notifications, JobScheduler and widgets.
// The Rust library is built per ABI with cargo-ndk into src/main/jniLibs
// before the Gradle build (README.md).
plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "org.callscreen.demo.android"
    compileSdk = 35
    defaultConfig {
        applicationId = "org.callscreen.demo"
        minSdk = 29 // CallScreeningService + RoleManager
        targetSdk = 35
        versionCode = 1
        versionName = "0.1"
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }
    // The Robolectric tests need the host libcallscreen_ffi (../target/debug) over desktop JNA.
    testOptions.unitTests.all {
        it.systemProperty("jna.library.path", rootDir.resolve("../target/debug").absolutePath)
        it.systemProperty("callscreen.repo", rootDir.resolve("..").absolutePath)
    }
}

dependencies {
    // The view models, certificate fetcher, Ut transport and backoff, and the generated bindings.
    implementation(project(":core-jvm")) { exclude(group = "net.java.dev.jna") }
    implementation("net.java.dev.jna:jna:5.13.0@aar")

    testImplementation("junit:junit:4.13.2")
    testImplementation("org.robolectric:robolectric:4.17")
    testImplementation("net.java.dev.jna:jna:5.13.0")
}
