//! What the lists may match on, for one call: the caller's number and country,
//! whether it was withheld, its verification classes, contact and line.

use super::rule::VerificationClass;

/// What the lists may match on, for one call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallFacts {
    /// The caller's number, E.164, when presented.
    pub number: Option<String>,
    /// Its country (ISO 3166-1 alpha-2), when known.
    pub country: Option<String>,
    /// The caller withheld the number.
    pub withheld: bool,
    /// The verification classes of the call.
    pub classes: Vec<VerificationClass>,
    /// The app says the caller is a contact.
    pub is_contact: bool,
    /// The line (SIM slot) the call came in on.
    pub line: Option<u32>,
}
