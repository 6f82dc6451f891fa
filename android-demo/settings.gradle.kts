// android-demo: open this directory in Android Studio (see README.md).
pluginManagement {
    repositories { google(); mavenCentral(); gradlePluginPortal() }
}
dependencyResolutionManagement {
    repositories { google(); mavenCentral() }
}
rootProject.name = "callscreen-android-demo"
include(":core-jvm", ":app")
