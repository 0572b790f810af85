use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
enum Session {
    Anonymous,
    User { sub: String, exp: NumericDate },
}

fn main() {}
