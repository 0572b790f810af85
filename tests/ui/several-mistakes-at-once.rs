use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(isss = "jiankaiwang", leeway = "30", required = [jti, foo])]
#[jwt(leeway = 10, typ = "")]
struct Careless {
    #[jwt(validate)]
    sub: String,
    exp: NumericDate,
}

fn main() {}
