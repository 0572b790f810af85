use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, jwt_core::Claims)]
struct Renamed {
    #[serde(rename = "exp")]
    expires: u64,
}

fn main() {}
