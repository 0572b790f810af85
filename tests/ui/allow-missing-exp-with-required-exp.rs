use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
#[jwt(allow_missing_exp, required = [exp])]
struct Undecided {
    sub: String,
}

fn main() {}
