use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(iss = [runtime, "https://auth.example.com"], aud = ["api", runtime])]
struct Session {
    sub: String,
    exp: NumericDate,
}

fn main() {}
