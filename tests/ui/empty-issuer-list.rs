use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(iss = [])]
struct NoIssuer {
    exp: NumericDate,
}

fn main() {}
