use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

// `encode_with` would write `iss`, which decoding then refuses as an unknown field.
#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[serde(deny_unknown_fields)]
#[jwt(iss = runtime)]
struct Session {
    sub: String,
    exp: NumericDate,
}

fn main() {}
