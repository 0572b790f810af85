//! `jwt decode`: a token's header and claims, shown without verifying anything.

use jwt_core::{Header, NumericDate};
use serde_json::{Map, Value, json};

use crate::Outcome;
use crate::cli::DecodeArgs;
use crate::failure::Failure;
use crate::input;
use crate::output::{self, Painter, UNVERIFIED};

/// The first line of the pretty form.
const MARK: &str = "NOT VERIFIED: the signature and the claims were not checked; anyone can \
                    write a token like this";

/// Shows the token of `args`; `now` is the clock the dates are measured against.
pub fn run(args: &DecodeArgs, painter: Painter, now: NumericDate) -> Result<Outcome, Failure> {
    let token = input::token(&args.token)?;
    let (header, claims) = inspect(&token).map_err(|error| Failure::refused(&error))?;
    let stdout = if args.json {
        output::json_line(&json!({
            "header": output::header_json(&header),
            "claims": claims,
            "verified": false,
        }))
    } else {
        output::pretty(painter, (UNVERIFIED, MARK), &header, &claims, now)
    };
    Ok(Outcome::success(stdout))
}

/// The one call of jwt-core's unverified decoding, so that a change of its return type
/// touches this function alone.
pub fn inspect(token: &str) -> Result<(Header, Map<String, Value>), jwt_core::Error> {
    jwt_core::dangerous_unverified_decode::<Map<String, Value>>(token)
        .map(jwt_core::Token::into_parts)
}
