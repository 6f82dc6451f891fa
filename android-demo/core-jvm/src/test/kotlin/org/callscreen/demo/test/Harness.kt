// A small test runner (no JUnit offline): named tests, assertions that throw,
// a PASS/FAIL line per test and a non-zero exit when one fails.

package org.callscreen.demo.test

class TestFailed(message: String) : AssertionError(message)

fun expect(condition: Boolean, what: () -> String = { "expectation failed" }) {
    if (!condition) throw TestFailed(what())
}

fun <T> expectEqual(expected: T, actual: T, what: String = "") {
    if (expected != actual) throw TestFailed("$what: expected <$expected>, got <$actual>")
}

inline fun <reified E : Throwable> expectThrows(block: () -> Unit): E {
    try {
        block()
    } catch (e: Throwable) {
        if (e is E) return e
        throw TestFailed("expected ${E::class.simpleName}, got $e")
    }
    throw TestFailed("expected ${E::class.simpleName}, nothing thrown")
}

class Suite(val name: String) {
    val tests = mutableListOf<Pair<String, () -> Unit>>()
    fun test(name: String, body: () -> Unit) {
        tests += name to body
    }
}

fun runSuites(suites: List<Suite>): Int {
    var failed = 0
    var total = 0
    for (s in suites) {
        for ((name, body) in s.tests) {
            total++
            try {
                body()
                println("PASS ${s.name}: $name")
            } catch (e: Throwable) {
                failed++
                println("FAIL ${s.name}: $name: $e")
                e.stackTrace.take(6).forEach { println("    at $it") }
            }
        }
    }
    println("jvm tests: ${total - failed} passed, $failed failed")
    return failed
}
