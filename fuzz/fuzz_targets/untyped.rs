//! `untyped`: `decode_with::<serde_json::Map<String, Value>>` with the seed token's HS256
//! key and a fixed clock never panics on arbitrary input.
//!
//! The input is the token (lossily where it is not UTF-8). It is decoded as is, and again
//! with its signing input re-signed by the key, so that arbitrary headers and payloads
//! reach the JSON and claim rules. Two validations are used: the bare one (no audience
//! expected, `exp` required) and one with an issuer, an audience, a leeway and
//! `allow_missing_exp`. Every accepted token must carry the key's signature over its exact
//! bytes, be three canonical base64url segments within the length limit, have the header
//! `alg` `HS256` and no `crit`, agree with `decode_header` and the unverified decode, and
//! hold registered claims that obey the rules in force.
#![no_main]
#![forbid(unsafe_code)]

use std::sync::LazyLock;

use jwt_core::Validation;
use jwt_fuzz::{ISSUER, Rules, Untyped, decode_raw, now, raw_token};
use libfuzzer_sys::fuzz_target;

static VALIDATIONS: LazyLock<[(Validation, Rules); 2]> = LazyLock::new(|| {
    [
        (
            Validation::new().at(now()),
            Rules {
                leeway: 0,
                issuers: &[],
                audiences: &[],
                exp_required: true,
            },
        ),
        (
            Validation::new()
                .at(now())
                .issuer(ISSUER)
                .audience("db-server")
                .leeway(30)
                .allow_missing_exp(),
            Rules {
                leeway: 30,
                issuers: &[ISSUER],
                audiences: &["db-server"],
                exp_required: false,
            },
        ),
    ]
});

fuzz_target!(|data: &[u8]| {
    decode_raw::<Untyped>(&raw_token(data), &*VALIDATIONS, |_| {});
});
