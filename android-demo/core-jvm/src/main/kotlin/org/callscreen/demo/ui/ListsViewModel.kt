// Lists and policy: the user's blocks and exceptions, "pause blocking until",
// and the reaction settings (present only trusted CLIs, withheld callers).

package org.callscreen.demo.ui

import java.time.ZoneId
import org.callscreen.Action
import org.callscreen.CallScreenException
import org.callscreen.CallScreenerInterface
import org.callscreen.Effect
import org.callscreen.NewRule
import org.callscreen.Policy
import org.callscreen.Rule
import org.callscreen.RuleKind
import org.callscreen.RuleSource
import org.callscreen.demo.Clock
import org.callscreen.demo.Format

data class RuleItem(
    val id: Long,
    val what: String,
    val label: String?,
    val source: String,
    val until: String?,
    val unlessVerified: Boolean,
)

data class PolicyState(
    val presentOnlyTrustedCli: Boolean,
    val withheldAction: Action,
    val unverifiedAction: Action,
    val likelySpamAction: Action,
    val allowContacts: Boolean,
)

data class ListsState(
    val blocks: List<RuleItem> = emptyList(),
    val exceptions: List<RuleItem> = emptyList(),
    /** Blocking is paused (an exception for every call) until this time. */
    val pausedUntil: String? = null,
    val policy: PolicyState? = null,
    val error: String? = null,
)

class ListsViewModel(private val screener: CallScreenerInterface, private val clock: Clock, private val zone: ZoneId) {
    val state = StateStore(ListsState())

    fun refresh() = guard {
        val now = clock.now()
        val live = screener.rules().filter { r -> r.rule.expiresAt.let { it == null || it > now } }
        val (pauses, rest) = live.partition { it.rule.kind == RuleKind.AllCalls && it.rule.effect == Effect.EXCEPTION }
        val pausedUntil = pauses.filter { r -> r.rule.startsAt.let { it == null || it <= now } }
            .maxOfOrNull { it.rule.expiresAt ?: Long.MAX_VALUE }
        state.set(
            state.value.copy(
                blocks = rest.filter { it.rule.effect == Effect.BLOCK }.map(::item),
                exceptions = rest.filter { it.rule.effect == Effect.EXCEPTION }.map(::item),
                pausedUntil = pausedUntil?.let { if (it == Long.MAX_VALUE) "further notice" else Texts.time(it, zone) },
                policy = policy(screener.policy()),
                error = null,
            ),
        )
    }

    fun block(number: String, label: String?) = add(NewRule(RuleKind.Number(number), Effect.BLOCK, RuleSource.USER, label = label))

    fun allowNumber(number: String, label: String?) = add(NewRule(RuleKind.Number(number), Effect.EXCEPTION, RuleSource.USER, label = label))

    /** ISO 3166 region, e.g. "FR" for the daughter abroad. */
    fun allowCountry(region: String) = add(NewRule(RuleKind.Country(region), Effect.EXCEPTION, RuleSource.USER))

    /** Let every call ring until `untilUnixSecs` (an exception for all calls that expires). */
    fun pauseUntil(untilUnixSecs: Long) = guard {
        require(untilUnixSecs > clock.now()) { "pause must end in the future" }
        removePauses()
        screener.addRule(NewRule(RuleKind.AllCalls, Effect.EXCEPTION, RuleSource.USER, label = "pause", expiresAt = untilUnixSecs))
        refresh()
    }

    fun resume() = guard {
        removePauses()
        refresh()
    }

    /** Remove a rule; a block that was barred on the network is unbarred there too. */
    fun remove(id: Long) = guard {
        screener.unblock(id)
        refresh()
    }

    fun setPresentOnlyTrustedCli(on: Boolean) = updatePolicy { it.copy(presentOnlyTrustedCli = on) }

    fun setWithheldAction(a: Action) = updatePolicy { it.copy(withheldAction = a) }

    fun setUnverifiedAction(a: Action) = updatePolicy { it.copy(unverifiedAction = a) }

    private fun updatePolicy(change: (Policy) -> Policy) = guard {
        screener.setPolicy(change(screener.policy()))
        refresh()
    }

    private fun removePauses() {
        screener.rules().filter { it.rule.kind == RuleKind.AllCalls && it.rule.effect == Effect.EXCEPTION && it.rule.source == RuleSource.USER }
            .forEach { screener.removeRule(it.id) }
    }

    private fun add(rule: NewRule) = guard {
        screener.addRule(rule)
        refresh()
    }

    private fun item(r: Rule) = RuleItem(
        id = r.id,
        what = Texts.rule(r.rule.kind),
        label = r.rule.label,
        source = Texts.source(r.rule.source),
        until = r.rule.expiresAt?.let { Texts.time(it, zone) },
        unlessVerified = r.rule.effect == Effect.BLOCK && screener.isUnlessVerified(r.id),
    )

    private fun policy(p: Policy) = PolicyState(p.presentOnlyTrustedCli, p.withheldAction, p.unverifiedAction, p.likelySpamAction, p.allowContacts)

    private fun guard(block: () -> Unit) {
        try {
            block()
        } catch (e: CallScreenException) {
            state.set(state.value.copy(error = Format.error(e)))
        } catch (e: IllegalArgumentException) {
            state.set(state.value.copy(error = e.message))
        }
    }
}
