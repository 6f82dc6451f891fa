// The Android app. Needs the Android SDK and NDK (not available on the machine
// this was written on: it has never been built). The Rust library is built per
// ABI with cargo-ndk into src/main/jniLibs before the Gradle build (README.md).
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
}

dependencies {
    // The view models, certificate fetcher, Ut transport and backoff, and the generated bindings.
    implementation(project(":core-jvm")) { exclude(group = "net.java.dev.jna") }
    implementation("net.java.dev.jna:jna:5.13.0@aar")
    implementation("androidx.core:core-ktx:1.15.0")
    implementation("androidx.work:work-runtime-ktx:2.10.0")
}
