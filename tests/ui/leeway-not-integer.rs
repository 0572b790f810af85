use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(leeway = 1.5)]
struct FractionalLeeway {
    exp: NumericDate,
}

fn main() {}
