use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(leeway = -5)]
struct NegativeLeeway {
    exp: NumericDate,
}

fn main() {}
