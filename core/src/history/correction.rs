//! Corrections the user makes from the history (or on a number before, during
//! or after a call), and what they did. Each correction *offers* a report; a
//! report is queued only when the app asks ([`crate::Screener::report`]).

use crate::reports::ReportKind;

/// What a "not spoofed" exception covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NotSpoofedScope {
    /// That number.
    #[default]
    Number,
    /// Every number of its country.
    Country,
}

impl NotSpoofedScope {
    /// `number` or `country`.
    pub fn as_str(self) -> &'static str {
        match self {
            NotSpoofedScope::Number => "number",
            NotSpoofedScope::Country => "country",
        }
    }

    /// Parse [`NotSpoofedScope::as_str`].
    pub fn parse(s: &str) -> Option<NotSpoofedScope> {
        match s {
            "number" => Some(NotSpoofedScope::Number),
            "country" => Some(NotSpoofedScope::Country),
            _ => None,
        }
    }
}

/// Whether a "spoofed" or "unsolicited" correction also blocks the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BlockMode {
    /// Do not block.
    #[default]
    None,
    /// Block unless the number could have been spoofed: a call that was
    /// verified (attestation A) blocks [`BlockMode::Always`]; any other call
    /// blocks [`BlockMode::UnlessVerified`], so the number's real owner, whose
    /// calls verify, still gets through.
    Default,
    /// Block every call from the number.
    Always,
    /// Block calls from the number unless they are verified (attestation A).
    UnlessVerified,
}

impl BlockMode {
    /// `none`, `default`, `always` or `unless_verified`.
    pub fn as_str(self) -> &'static str {
        match self {
            BlockMode::None => "none",
            BlockMode::Default => "default",
            BlockMode::Always => "always",
            BlockMode::UnlessVerified => "unless_verified",
        }
    }

    /// Parse [`BlockMode::as_str`] (`unless-verified` too).
    pub fn parse(s: &str) -> Option<BlockMode> {
        match s {
            "none" => Some(BlockMode::None),
            "default" => Some(BlockMode::Default),
            "always" => Some(BlockMode::Always),
            "unless_verified" | "unless-verified" => Some(BlockMode::UnlessVerified),
            _ => None,
        }
    }

    /// [`BlockMode::Default`] resolved for a call that was (or was not) verified.
    pub fn resolve(self, verified: bool) -> BlockMode {
        match self {
            BlockMode::Default if verified => BlockMode::Always,
            BlockMode::Default => BlockMode::UnlessVerified,
            other => other,
        }
    }
}

/// A report the app may offer the user after a correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportOffer {
    /// The kind of report that fits the correction.
    pub kind: ReportKind,
    /// The history entry it would cite.
    pub history_id: Option<i64>,
    /// The number it would name (never a withheld caller's).
    pub number: Option<String>,
}

/// What a correction did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// The rule it added (an exception, or a block), if any.
    pub rule_id: Option<i64>,
    /// How the block it added applies ([`BlockMode::Always`] or
    /// [`BlockMode::UnlessVerified`]); [`BlockMode::None`] when it added none.
    pub block: BlockMode,
    /// The report it offers; nothing is queued until the app asks.
    pub offer: ReportOffer,
}
