use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(iss = "jiankaiwang", leeway = 30)]
#[jwt(iss = "someone-else")]
struct TwiceDeclared {
    exp: NumericDate,
}

fn main() {}
