//! Compile-fail tests of `#[derive(Claims)]`: each `ui/*.rs` must fail to build with the
//! diagnostics in its `.stderr`.

// The expected diagnostics are those of the toolchain pinned in `rust-toolchain.toml`;
// other compilers word and place them differently, so bless them again after a bump.
#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
}
