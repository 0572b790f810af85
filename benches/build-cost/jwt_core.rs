//! A minimal user of jwt-core (default features): one HS256 encode and decode.
use jwt_core::{Claims, HmacKey, NumericDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize, Claims)]
#[jwt(iss = "auth.example.com", aud = "api.example.com")]
struct Access {
    sub: String,
    exp: NumericDate,
}

fn main() -> Result<(), jwt_core::Error> {
    let key = HmacKey::hs256(b"a 32-byte secret for the example")?;
    let claims = Access {
        sub: "user-1".into(),
        exp: NumericDate::now() + 600,
    };
    let token = jwt_core::encode(&claims, &key)?;
    let back: Access = jwt_core::decode(&token, &key)?;
    println!("{}", back.sub);
    Ok(())
}
