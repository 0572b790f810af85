use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
struct RawSeconds {
    sub: String,
    exp: i64,
}

fn main() {}
