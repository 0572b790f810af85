//! `typed`: `decode_with::<Typed>` (a `#[derive(Claims)]` struct with `iss` and `aud`
//! attributes, a leeway, a field validator and fields of several kinds; see
//! `jwt_fuzz::Typed`) with the seed token's HS256 key and a fixed clock never panics on
//! arbitrary input.
//!
//! As `untyped`: the input is decoded as is and re-signed, with the type's rules alone and
//! with runtime rules added (a smaller leeway, a required `jti`, a subject). Every
//! accepted token passes the same checks, its registered claims obey the type's rules,
//! and its subject passes the validator.
#![no_main]
#![forbid(unsafe_code)]

use std::sync::LazyLock;

use jwt_core::{RegisteredClaim, Validation};
use jwt_fuzz::{Rules, TYPED_RULES, Typed, check_subject, decode_raw, now, raw_token};
use libfuzzer_sys::fuzz_target;

static VALIDATIONS: LazyLock<[(Validation, Rules); 2]> = LazyLock::new(|| {
    [
        (Validation::new().at(now()), TYPED_RULES),
        (
            Validation::new()
                .at(now())
                .leeway(10)
                .require(RegisteredClaim::Jti)
                .subject("updating-db"),
            Rules {
                leeway: 10,
                ..TYPED_RULES
            },
        ),
    ]
});

fuzz_target!(|data: &[u8]| {
    decode_raw::<Typed>(&raw_token(data), &*VALIDATIONS, |claims: &Typed| {
        assert!(check_subject(&claims.sub).is_ok(), "the validator ran");
    });
});
