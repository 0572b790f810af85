//! A minimal user of jsonwebtoken 12 (`rust_crypto`): one HS256 encode and decode.
use jsonwebtoken::{DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
struct Access {
    sub: String,
    iss: String,
    aud: String,
    exp: u64,
}

fn main() -> Result<(), jsonwebtoken::errors::Error> {
    let secret = b"a 32-byte secret for the example";
    let exp = jsonwebtoken::get_current_timestamp() + 600;
    let claims = Access {
        sub: "user-1".into(),
        iss: "auth.example.com".into(),
        aud: "api.example.com".into(),
        exp,
    };
    let token = jsonwebtoken::encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(secret)?,
    )?;
    let mut validation = Validation::default();
    validation.set_issuer(&["auth.example.com"]);
    validation.set_audience(&["api.example.com"]);
    let back =
        jsonwebtoken::decode::<Access>(&token, &DecodingKey::from_secret(secret)?, &validation)?;
    println!("{}", back.claims.sub);
    Ok(())
}
