use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(max_age = 18446744073709551616)]
struct TooOld {
    exp: NumericDate,
}

fn main() {}
