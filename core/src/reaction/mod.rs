//! Reaction, the third step: the action (allow, silence, voicemail, reject)
//! the user's and the operator's [`Policy`] give the call.

pub mod policy;

pub use policy::{Action, ListVerdict, Policy, Reaction, ReactionInput};
