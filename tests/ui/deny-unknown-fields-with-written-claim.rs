use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[serde(deny_unknown_fields)]
#[jwt(iss = "auth.example.com", sub = "updating-db")]
struct Closed {
    exp: NumericDate,
}

fn main() {}
