//! Local lists: the user's and the operator's block rules and the exceptions that
//! override them, and the precedence that decides between them.
//!
//! - [`rule`]: what a rule is (kinds, effect, source, expiry, line scope).
//! - rules added one at a time (user, feedback, operator singles) are stored by
//!   [`crate::store::rules`] and indexed in memory by [`index`]; [`state`]
//!   holds what is in force; [`unless_verified`] waives conditional blocks.
//! - [`operator_list`]: the operator's bulk lists (millions of numbers), imported
//!   by streaming external sort into immutable `fst` maps beside the database.
//! - [`decide()`]: operator mandatory > user exception > user block > operator list.

pub mod decide;
pub mod facts;
pub mod import;
pub mod index;
pub mod operator_list;
pub mod rule;
pub mod state;
pub mod unless_verified;

pub use decide::{decide, ListDecision, RuleMatch};
pub use facts::CallFacts;
pub use import::{import_operator_list, ImportProgress, ImportReport};
pub use index::RuleIndex;
pub use operator_list::{OperatorEntry, OperatorList};
pub use rule::{Effect, NewRule, Rule, RuleKind, RuleSource, VerificationClass};
pub use state::{ListsState, OperatorListInfo, OperatorListName};
