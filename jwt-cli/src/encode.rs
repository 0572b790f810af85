//! `jwt encode`: claims and options in, a signed token out.

use jwt_core::{Header, NumericDate};
use serde_json::{Map, Value};

use crate::Outcome;
use crate::cli::EncodeArgs;
use crate::failure::{Failure, describe};
use crate::input;
use crate::keys::signing_key;
use crate::times::TimeSpec;

/// Signs the claims that `args` describe; `now` resolves relative times and the default
/// `iat`.
pub fn run(args: &EncodeArgs, now: NumericDate) -> Result<Outcome, Failure> {
    let key = signing_key(args.key.alg, &args.key.source()?)?;
    let mut claims = input::claims(args.claims.as_deref(), args.claims_file.as_deref())?;
    add_registered_claims(&mut claims, args, now)?;

    let mut header = Header::new(args.key.alg);
    header.typ = Some(args.typ.clone());
    header.kid.clone_from(&args.kid);
    let token = jwt_core::encode_with_header(&header, &claims, &*key)
        .map_err(|error| Failure::usage(format!("cannot encode: {}", describe(&error))))?;
    // jwt-core writes untyped claims as given; a registered claim of the wrong type
    // (`"exp": "tomorrow"`) would make a token that every verifier refuses.
    crate::decode::read_back(&token).map_err(|error| {
        Failure::usage(format!(
            "cannot encode: {} (decoding would refuse the token)",
            describe(&error)
        ))
    })?;

    let mut outcome = Outcome::success(format!("{token}\n"));
    if !claims.contains_key("exp") {
        outcome.warnings.push(
            "the token has no `exp`; verifiers refuse it unless they allow a missing `exp` \
             (give one with --exp +1h)"
                .to_owned(),
        );
    }
    Ok(outcome)
}

/// Writes the options' claims over the JSON's; `iat` defaults to `now` unless the JSON
/// has one or `--no-iat` is given.
fn add_registered_claims(
    claims: &mut Map<String, Value>,
    args: &EncodeArgs,
    now: NumericDate,
) -> Result<(), Failure> {
    for (name, value) in [("iss", &args.iss), ("sub", &args.sub), ("jti", &args.jti)] {
        if let Some(value) = value {
            claims.insert(name.to_owned(), Value::String(value.clone()));
        }
    }
    match args.aud.as_slice() {
        [] => {}
        [one] => {
            claims.insert("aud".to_owned(), Value::String(one.clone()));
        }
        several => {
            let list = several.iter().cloned().map(Value::String).collect();
            claims.insert("aud".to_owned(), Value::Array(list));
        }
    }
    let iat = match args.iat {
        Some(spec) => Some(spec),
        None if args.no_iat || claims.contains_key("iat") => None,
        None => Some(TimeSpec::Now),
    };
    for (name, spec) in [("exp", args.exp), ("nbf", args.nbf), ("iat", iat)] {
        if let Some(spec) = spec {
            let date = spec
                .resolve(now)
                .map_err(|why| Failure::usage(format!("--{name}: {why}")))?;
            claims.insert(name.to_owned(), Value::from(date.as_secs()));
        }
    }
    Ok(())
}
