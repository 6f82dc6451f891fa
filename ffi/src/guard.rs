//! Panic containment. A panic unwinding into Kotlin or Swift would abort the
//! dialer; every exported function runs its body through [`guard`] instead.

use crate::error::CallScreenError;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Run `f`, turning a panic into [`CallScreenError::Internal`] (the panic
/// message, when it is a string, becomes the reason).
///
/// # Errors
/// Whatever `f` returns, or `Internal` when it panicked.
pub fn guard<T>(f: impl FnOnce() -> Result<T, CallScreenError>) -> Result<T, CallScreenError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let reason = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic with no message".to_string());
        log::error!("panic inside callscreen: {reason}");
        Err(CallScreenError::Internal {
            reason: format!("panic: {reason}"),
        })
    })
}
