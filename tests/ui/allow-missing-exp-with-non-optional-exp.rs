use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(allow_missing_exp)]
struct AlwaysExpires {
    exp: NumericDate,
}

fn main() {}
