use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
struct Checked {
    #[jwt(validate = not_empty)]
    name: String,
    exp: NumericDate,
}

struct Empty;

fn not_empty(name: &str) -> Result<(), Empty> {
    if name.is_empty() { Err(Empty) } else { Ok(()) }
}

fn main() {}
