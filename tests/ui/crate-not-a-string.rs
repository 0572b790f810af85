use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

// serde's form: the path goes in a string, `crate = "jwt_core"`.
#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(crate = jwt_core)]
struct Renamed {
    exp: NumericDate,
}

fn main() {}
