use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

const API: &str = "api";

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(aud = [API, concat!("a", "pi")])]
struct Configured {
    aud: jwt_core::Audience,
    exp: NumericDate,
}

fn main() {}
