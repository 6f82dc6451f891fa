// Lists and policy: the user's blocks and exceptions, "pause blocking until",
// and the reaction settings (present only trusted CLIs, withheld callers).
// Mirrors ListsViewModel.kt. After a change the app reloads the Call Directory
// extension (CXCallDirectoryManager), since iOS only sees the exported lists.

import CallScreen
import Foundation

public struct RuleItem: Equatable, Identifiable {
    public let id: Int64
    public let what: String
    public let label: String?
    public let source: String
    public let until: String?
    public let unlessVerified: Bool
}

public struct PolicyState: Equatable {
    public let presentOnlyTrustedCli: Bool
    public let withheldAction: Action
    public let unverifiedAction: Action
    public let likelySpamAction: Action
    public let allowContacts: Bool
}

public struct ListsState: Equatable {
    public var blocks: [RuleItem] = []
    public var exceptions: [RuleItem] = []
    /// Blocking is paused (an exception for every call) until this time.
    public var pausedUntil: String?
    public var policy: PolicyState?
    public var error: String?
    public init() {}
}

public struct ListsError: Error, Equatable {
    public let message: String
}

public final class ListsViewModel {
    public let state = StateStore(ListsState())
    /// Called after every successful change (the app reloads the Call Directory).
    public var onChange: () -> Void = {}
    private let screener: CallScreener
    private let clock: WallClock
    private let zone: TimeZone

    public init(screener: CallScreener, clock: WallClock = SystemWallClock(), zone: TimeZone = .current) {
        self.screener = screener
        self.clock = clock
        self.zone = zone
    }

    public func refresh() {
        guarded {
            let now = clock.now()
            let live = try screener.rules().filter { r in r.rule.expiresAt.map { $0 > now } ?? true }
            let pauses = live.filter(isPause)
            let rest = live.filter { !isPause($0) }
            let pausedUntil = pauses.filter { r in r.rule.startsAt.map { $0 <= now } ?? true }
                .map { $0.rule.expiresAt ?? Int64.max }.max()
            var s = state.value
            s.blocks = try rest.filter { $0.rule.effect == .block }.map(item)
            s.exceptions = try rest.filter { $0.rule.effect == .exception }.map(item)
            s.pausedUntil = pausedUntil.map { $0 == Int64.max ? "further notice" : Texts.time($0, zone: zone) }
            s.policy = policyState(try screener.policy())
            s.error = nil
            state.set(s)
        }
    }

    public func block(_ number: String, label: String?) {
        add(NewRule(kind: .number(number: number), effect: .block, source: .user, label: label))
    }

    public func allowNumber(_ number: String, label: String?) {
        add(NewRule(kind: .number(number: number), effect: .exception, source: .user, label: label))
    }

    /// ISO 3166 region, e.g. "FR" for the daughter abroad.
    public func allowCountry(_ region: String) {
        add(NewRule(kind: .country(country: region), effect: .exception, source: .user))
    }

    /// Let every call ring until `untilUnixSecs` (an exception for all calls that expires).
    public func pauseUntil(_ untilUnixSecs: Int64) {
        changing {
            guard untilUnixSecs > clock.now() else { throw ListsError(message: "pause must end in the future") }
            try removePauses()
            _ = try screener.addRule(rule: NewRule(kind: .allCalls, effect: .exception, source: .user,
                                                   label: "pause", expiresAt: untilUnixSecs))
        }
    }

    public func resume() { changing { try removePauses() } }

    /// Remove a rule; a block that was barred on the network is unbarred there too.
    public func remove(_ id: Int64) { changing { _ = try screener.unblock(ruleId: id) } }

    public func setPresentOnlyTrustedCli(_ on: Bool) { updatePolicy { $0.presentOnlyTrustedCli = on } }

    public func setWithheldAction(_ a: Action) { updatePolicy { $0.withheldAction = a } }

    public func setUnverifiedAction(_ a: Action) { updatePolicy { $0.unverifiedAction = a } }

    private func updatePolicy(_ change: (inout Policy) -> Void) {
        changing {
            var p = try screener.policy()
            change(&p)
            try screener.setPolicy(policy: p)
        }
    }

    private func isPause(_ r: Rule) -> Bool { r.rule.kind == .allCalls && r.rule.effect == .exception }

    private func removePauses() throws {
        for r in try screener.rules() where isPause(r) && r.rule.source == .user {
            _ = try screener.removeRule(id: r.id)
        }
    }

    private func add(_ rule: NewRule) { changing { _ = try screener.addRule(rule: rule) } }

    private func item(_ r: Rule) throws -> RuleItem {
        RuleItem(id: r.id, what: Texts.rule(r.rule.kind), label: r.rule.label, source: Texts.source(r.rule.source),
                 until: r.rule.expiresAt.map { Texts.time($0, zone: zone) },
                 unlessVerified: r.rule.effect == .block ? try screener.isUnlessVerified(ruleId: r.id) : false)
    }

    private func policyState(_ p: Policy) -> PolicyState {
        PolicyState(presentOnlyTrustedCli: p.presentOnlyTrustedCli, withheldAction: p.withheldAction,
                    unverifiedAction: p.unverifiedAction, likelySpamAction: p.likelySpamAction,
                    allowContacts: p.allowContacts)
    }

    /// A change, then a refresh and `onChange`; an error becomes state.
    private func changing(_ body: () throws -> Void) {
        do {
            try body()
            refresh()
            onChange()
        } catch {
            report(error)
        }
    }

    private func guarded(_ body: () throws -> Void) {
        do { try body() } catch { report(error) }
    }

    private func report(_ error: Error) {
        var s = state.value
        s.error = (error as? ListsError)?.message ?? Format.error(error)
        state.set(s)
    }
}
