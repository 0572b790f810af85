use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
struct Checked {
    #[jwt(validate = positive)]
    count: u32,
    exp: NumericDate,
}

// Takes an `i64`, not a `&u32`.
fn positive(count: i64) -> Result<(), String> {
    if count > 0 {
        Ok(())
    } else {
        Err("not positive".into())
    }
}

fn main() {}
