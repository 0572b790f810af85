use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(isss = "jiankaiwang", leeway = "30", required = [jti, foo])]
#[jwt(leeway = 10, typ = "")]
struct Careless {
    #[jwt(validate)]
    sub: String,
    exp: NumericDate,
    // Field mistakes show in the same build as the attribute mistakes.
    iat: u64,
    #[jwt(validate = positive)]
    count: u32,
}

fn positive(count: i64) -> Result<(), String> {
    if count > 0 { Ok(()) } else { Err("not positive".into()) }
}

fn main() {}
