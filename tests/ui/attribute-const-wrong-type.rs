use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

const PORT: u16 = 8080;

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(aud = PORT)]
struct Configured {
    exp: NumericDate,
}

fn main() {}
