//! `jwt verify`: a token's signature and claims checked, with the exact reason when it is
//! refused.

use jwt_core::{NumericDate, Validation};
use serde_json::{Map, Value, json};

use crate::Outcome;
use crate::cli::VerifyArgs;
use crate::failure::{EXIT_REFUSED, Failure, kind_name};
use crate::input;
use crate::keys::verifying_key;
use crate::output::{self, Painter, VERIFIED};

/// Verifies the token of `args`; `now` is the system clock's time, the clock unless
/// `--at` gives another.
pub fn run(args: &VerifyArgs, painter: Painter, now: NumericDate) -> Result<Outcome, Failure> {
    let key = verifying_key(args.key.alg, &args.key.source()?)?;
    let (validation, clock) = validation(args, now)?;
    let token = input::token(&args.token)?;
    match jwt_core::decode_with::<Map<String, Value>>(&token, &*key, &validation) {
        Ok(token) => {
            let (header, claims) = token.into_parts();
            let stdout = if args.json {
                output::json_line(&json!({
                    "valid": true,
                    "header": output::header_json(&header),
                    "claims": claims,
                }))
            } else {
                let mark = format!(
                    "VERIFIED: the {} signature and the claims were checked at {}",
                    header.alg,
                    crate::times::utc_date(clock).unwrap_or_else(|_| clock.to_string())
                );
                output::pretty(
                    painter,
                    (VERIFIED, &mark),
                    &output::header_json(&header),
                    &Value::Object(claims),
                    clock,
                )
            };
            Ok(Outcome::success(stdout))
        }
        Err(error) if args.json => Ok(Outcome {
            stdout: output::json_line(&json!({
                "valid": false,
                "kind": kind_name(&error),
                "message": error.to_string(),
            })),
            warnings: Vec::new(),
            code: EXIT_REFUSED,
        }),
        Err(error) => Err(Failure::refused(&error)),
    }
}

/// The runtime rules the options ask for, and the clock they are checked against.
fn validation(args: &VerifyArgs, now: NumericDate) -> Result<(Validation, NumericDate), Failure> {
    let clock = match args.at {
        Some(spec) => spec
            .resolve(now)
            .map_err(|why| Failure::usage(format!("--at: {why}")))?,
        None => now,
    };
    let mut validation = Validation::new().leeway(args.leeway).at(clock);
    for issuer in &args.iss {
        validation = validation.issuer(issuer.clone());
    }
    for audience in &args.aud {
        validation = validation.audience(audience.clone());
    }
    if let Some(subject) = &args.sub {
        validation = validation.subject(subject.clone());
    }
    if let Some(max_age) = args.max_age {
        validation = validation.max_age(max_age);
    }
    for &claim in &args.require {
        validation = validation.require(claim);
    }
    if args.allow_missing_exp {
        validation = validation.allow_missing_exp();
    }
    Ok((validation, clock))
}
