use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

const API: &str = "api";

fn audience() -> &'static str {
    "web"
}

// A number and a function call: neither a string literal, a const path, `env!` nor `concat!`.
#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(iss = 42, aud = [API, audience()], sub = include_str!("subject.txt"))]
struct Configured {
    exp: NumericDate,
}

fn main() {}
