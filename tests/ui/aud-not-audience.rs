use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
struct SingleAudience {
    aud: String,
    exp: NumericDate,
}

fn main() {}
