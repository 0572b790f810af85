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

/// Shows the token of `args`, whatever it holds; `now` is the clock the dates are
/// measured against.
pub fn run(args: &DecodeArgs, painter: Painter, now: NumericDate) -> Result<Outcome, Failure> {
    let token = input::token(&args.token)?;
    let inspection = jwt_core::inspect(&token).map_err(|error| Failure::refused(&error))?;
    let findings: Vec<String> = inspection
        .findings()
        .iter()
        .map(ToString::to_string)
        .collect();
    let stdout = if args.json {
        output::json_line(&json!({
            "header": inspection.header(),
            "claims": inspection.payload(),
            "findings": findings,
            "verified": false,
        }))
    } else {
        let mut out = output::pretty(
            painter,
            (UNVERIFIED, MARK),
            inspection.header(),
            inspection.payload(),
            now,
        );
        output::findings(&mut out, painter, &findings);
        out
    };
    Ok(Outcome::success(stdout))
}

/// The token read back as strictly as a verifier reads it, verifying nothing.
pub fn read_back(token: &str) -> Result<(Header, Map<String, Value>), jwt_core::Error> {
    jwt_core::dangerous_unverified_decode::<Map<String, Value>>(token)
        .map(jwt_core::Unverified::into_parts)
}
