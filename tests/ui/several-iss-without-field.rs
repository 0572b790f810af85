use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(iss = ["https://a.example.com", "https://b.example.com"])]
struct EitherIssuer {
    exp: NumericDate,
}

fn main() {}
