use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
struct Session {
    // `expires_at` would fill `exp` without being checked as `exp`.
    #[serde(alias = "expires_at")]
    exp: NumericDate,
    // And `sub` would fill a field that is not checked as `sub`.
    #[serde(alias = "sub")]
    user: String,
}

fn main() {}
