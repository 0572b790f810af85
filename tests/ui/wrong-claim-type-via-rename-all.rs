use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[serde(rename_all = "UPPERCASE")]
struct Shouting {
    // Read as `EXP`: not a registered claim, any type goes.
    exp: i64,
    #[serde(rename = "jti")]
    token_id: u128,
    #[serde(rename = "exp")]
    expires: NumericDate,
}

fn main() {}
