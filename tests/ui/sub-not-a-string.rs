use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
struct Numbered {
    sub: i64,
    exp: NumericDate,
}

fn main() {}
