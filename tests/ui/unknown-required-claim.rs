use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(required = [jti, issuer])]
struct Required {
    exp: NumericDate,
}

fn main() {}
