//! `header`: `jwt_core::decode_header` on arbitrary input never panics, and a header it
//! returns names a known algorithm, has no `crit`, keeps no named member in `other`, and
//! survives writing and strict reading.
//!
//! Each input is read two ways: as a token (the bytes as a string, lossily where they are
//! not UTF-8), and as the JSON of a header segment (`base64url(input)..`), so that the
//! fuzzer reaches the header's JSON rules without having to find base64url itself.
#![no_main]
#![forbid(unsafe_code)]

use jwt_fuzz::{b64, check_inspected_header, exercise_error, raw_token};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let as_token = raw_token(data).into_owned();
    let as_header_json = format!("{}..", b64(data));
    for token in [as_token, as_header_json] {
        match jwt_core::decode_header(&token) {
            Ok(header) => check_inspected_header(&header),
            Err(error) => exercise_error(&error),
        }
    }
});
