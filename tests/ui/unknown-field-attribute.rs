use jwt_core::NumericDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
struct Checked {
    #[jwt(validator = check_name)]
    name: String,
    exp: NumericDate,
}

fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        Err("empty".into())
    } else {
        Ok(())
    }
}

fn main() {}
