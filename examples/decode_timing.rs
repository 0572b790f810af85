//! A quick measurement of decode and encode time for a typical token (HS256, eight
//! claims, typed), as a median over batches. For comparisons between libraries, use
//! the benchmarks; this only gives the order of magnitude on the machine at hand.
//!
//! ```text
//! cargo run --release --example decode_timing
//! ```

use std::hint::black_box;
use std::time::Instant;

use jwt_core::{Audience, Claims, HmacKey, NumericDate, Validation};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize, Claims)]
#[jwt(iss = "auth.example.com", aud = "api.example.com")]
struct Typical {
    sub: String,
    aud: Audience,
    exp: NumericDate,
    iat: NumericDate,
    nbf: NumericDate,
    jti: String,
    role: String,
    scope: String,
}

const BATCH: u32 = 2_000;
const BATCHES: usize = 101;

/// The median over batches of the time one call of `work` takes, in nanoseconds.
fn median_ns(mut work: impl FnMut()) -> f64 {
    let mut per_call: Vec<f64> = (0..BATCHES)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..BATCH {
                work();
            }
            start.elapsed().as_secs_f64() * 1e9 / f64::from(BATCH)
        })
        .collect();
    per_call.sort_by(f64::total_cmp);
    per_call[BATCHES / 2]
}

fn main() -> Result<(), jwt_core::Error> {
    let key = HmacKey::hs256([0x5a; 32])?;
    let now = NumericDate::now();
    let claims = Typical {
        sub: "user-1234".into(),
        aud: "api.example.com".into(),
        exp: now + 3600,
        iat: now,
        nbf: now,
        jti: "0b4e8a52-6c8f-4f3a-9f59-4a1e2f8c7d10".into(),
        role: "admin".into(),
        scope: "read write".into(),
    };
    let token = jwt_core::encode(&claims, &key)?;
    let validation = Validation::new().issuer("auth.example.com");
    jwt_core::decode_with::<Typical>(&token, &key, &validation)?;

    let decode = median_ns(|| {
        let decoded = jwt_core::decode_with::<Typical>(black_box(&token), &key, &validation);
        black_box(decoded.is_ok());
    });
    let encode = median_ns(|| {
        black_box(jwt_core::encode(black_box(&claims), &key).is_ok());
    });
    println!("token: {} bytes", token.len());
    println!("decode + validate: {decode:.0} ns (median of {BATCHES} batches of {BATCH})");
    println!("encode:            {encode:.0} ns");
    Ok(())
}
