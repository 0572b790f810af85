//! Issues a token as the seed demo's `requests.py` does, and prints its header, its
//! payload and the token itself.
//!
//! ```text
//! cargo run --example requests
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jwt_core::{HmacKey, NumericDate};
use jwt_examples::{DbUpdate, LIFETIME_SECS, SEED_SECRET};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = HmacKey::hs256(SEED_SECRET)?;
    let now = NumericDate::now();
    let claims = DbUpdate {
        sub: "updating-db".into(),
        exp: now + LIFETIME_SECS,
        timestamp: now.as_secs(),
    };
    let token = jwt_core::encode(&claims, &key)?;

    // Show the two signed segments exactly as written, `iss` and `aud` included.
    let mut segments = token
        .split('.')
        .map(|segment| URL_SAFE_NO_PAD.decode(segment));
    for label in ["header: ", "payload:"] {
        let json = segments.next().ok_or("a token has three segments")??;
        println!("{label} {}", String::from_utf8(json)?);
    }
    println!("token:   {token}");
    Ok(())
}
