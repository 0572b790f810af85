use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(isss = "jiankaiwang")]
struct Misspelled {
    exp: NumericDate,
}

fn main() {}
