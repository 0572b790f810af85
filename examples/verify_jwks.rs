//! Verifies a token against a JWK Set file, as a service verifies an identity provider's
//! tokens, and prints the verified claims or the exact reason for refusal.
//!
//! ```text
//! cargo run -p jwt-examples --features rustcrypto --example verify_jwks -- JWKS_FILE TOKEN [ISSUER [AUDIENCE]]
//! cargo run -p jwt-examples --features rustcrypto --example verify_jwks   # a self-contained demo
//! ```
//!
//! Without arguments it plays both sides: an "identity provider" generates an ES256 and
//! an `EdDSA` key, publishes them as a JWK Set file, and signs a token with one; the
//! "service" reads the file and verifies the token, then a token with an unknown `kid`.

use std::process::ExitCode;

use jwt_core::{Algorithm, Error, JwkSet, KeyPair, NumericDate, Validation};
use serde_json::{Map, Value, json};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [] => demo(),
        [jwks_file, token, rest @ ..] if rest.len() <= 2 => {
            verify_from_file(jwks_file, token, rest.first(), rest.get(1)).map(|()| true)
        }
        _ => {
            eprintln!("usage: verify_jwks [JWKS_FILE TOKEN [ISSUER [AUDIENCE]]]");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: {:?}: {error}", error.kind());
            ExitCode::FAILURE
        }
    }
}

/// Reads the set in `jwks_file` and verifies `token` with it, with the issuer and
/// audience given, if any.
fn verify_from_file(
    jwks_file: &str,
    token: &str,
    issuer: Option<&String>,
    audience: Option<&String>,
) -> Result<(), Error> {
    let json = std::fs::read_to_string(jwks_file).map_err(|error| {
        Error::new(
            jwt_core::ErrorKind::InvalidKey,
            format!("cannot read {jwks_file}: {error}"),
        )
    })?;
    let keys = JwkSet::from_json(&json)?;
    println!("{jwks_file}: {} usable keys", keys.len());
    for skipped in keys.skipped() {
        println!("  left out: {skipped}");
    }
    let mut validation = Validation::new();
    if let Some(issuer) = issuer {
        validation = validation.issuer(issuer.as_str());
    }
    if let Some(audience) = audience {
        validation = validation.audience(audience.as_str());
    }
    let verified = jwt_core::decode_with::<Map<String, Value>>(token, &keys, &validation)?;
    println!("accepted, signed by kid {:?}", verified.header().kid);
    println!("{}", Value::Object(verified.into_claims()));
    Ok(())
}

/// The identity provider and the service in one program.
fn demo() -> Result<bool, Error> {
    // The identity provider's side: two keys, published as a set.
    let signing = KeyPair::generate(Algorithm::ES256)?.with_kid("2026-11-es256");
    let other = KeyPair::generate(Algorithm::EdDSA)?.with_kid("2026-11-eddsa");
    let published = JwkSet::from_keys([signing.public_key(), other.public_key()])?;
    let path = std::env::temp_dir().join(format!("jwks-demo-{}.json", std::process::id()));
    std::fs::write(&path, published.to_json()).map_err(|error| {
        Error::new(
            jwt_core::ErrorKind::InvalidKey,
            format!("cannot write: {error}"),
        )
    })?;
    let claims = json!({
        "iss": "https://idp.example",
        "aud": "orders-api",
        "sub": "user-42",
        "exp": (NumericDate::now() + 300).as_secs(),
    });
    let token = jwt_core::encode(&claims, &signing)?;
    println!(
        "the identity provider published {} and signed:\n{token}\n",
        path.display()
    );

    // The service's side: the set read from the file, the token verified.
    let file = path.to_string_lossy().into_owned();
    let (issuer, audience) = ("https://idp.example".to_owned(), "orders-api".to_owned());
    verify_from_file(&file, &token, Some(&issuer), Some(&audience))?;

    // A token signed by a key the set does not hold.
    let stranger = KeyPair::generate(Algorithm::ES256)?.with_kid("not-published");
    let forged = jwt_core::encode(&claims, &stranger)?;
    let refused = verify_from_file(&file, &forged, Some(&issuer), Some(&audience));
    let _ = std::fs::remove_file(&path);
    match refused {
        Err(error) => {
            println!(
                "\na token with kid \"not-published\": refused ({:?})",
                error.kind()
            );
            println!("  {error}");
            Ok(error.kind() == jwt_core::ErrorKind::UnknownKey)
        }
        Ok(()) => Ok(false),
    }
}
