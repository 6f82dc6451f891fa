//! `uniffi-bindgen` at exactly the uniffi version the runtime uses.
fn main() {
    uniffi::uniffi_bindgen_main()
}
