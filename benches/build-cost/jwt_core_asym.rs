//! A minimal user of jwt-core with `rsa`, `ecdsa` and `eddsa`: HS256 and ES256.
use jwt_core::{Algorithm, Claims, HmacKey, KeyPair, NumericDate};
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
    let pair = KeyPair::generate(Algorithm::ES256)?;
    let signed = jwt_core::encode(&claims, &pair)?;
    let again: Access = jwt_core::decode(&signed, &pair.public_key())?;
    println!("{} {}", back.sub, again.sub);
    Ok(())
}
