use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(leeway = "30")]
struct QuotedNumber {
    exp: NumericDate,
}

fn main() {}
