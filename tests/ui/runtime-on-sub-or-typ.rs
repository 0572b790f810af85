use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(sub = runtime, typ = runtime)]
struct Session {
    exp: NumericDate,
}

fn main() {}
