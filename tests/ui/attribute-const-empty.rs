use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

mod config {
    pub const ISSUER: &str = "";
}

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(iss = config::ISSUER)]
struct Configured {
    exp: NumericDate,
}

fn main() {}
