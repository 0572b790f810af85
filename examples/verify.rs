//! Verifies a token as the seed demo's `verify.py` does, and prints the verified claims
//! or the exact reason for refusal.
//!
//! ```text
//! cargo run --example verify -- TOKEN
//! cargo run --example verify        # the demo's own token, at its issue time and now
//! ```

use std::process::ExitCode;

use jwt_core::{HmacKey, Validation};
use jwt_examples::{DbUpdate, SEED_ISSUED_AT, SEED_SECRET, SEED_TOKEN};

fn main() -> ExitCode {
    let key = match HmacKey::hs256(SEED_SECRET) {
        Ok(key) => key,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(token) = std::env::args().nth(1) {
        return exit_code(report("the token", &token, &key, &Validation::new()));
    }
    println!("the seed token: {SEED_TOKEN}\n");
    let then = Validation::new().at(SEED_ISSUED_AT);
    let when = format!("at its issue time ({SEED_ISSUED_AT})");
    let accepted_then = report(&when, SEED_TOKEN, &key, &then);
    println!();
    let accepted_now = report("now", SEED_TOKEN, &key, &Validation::new());
    // The demo's point: the token was good then and is refused now.
    exit_code(accepted_then && !accepted_now)
}

fn exit_code(success: bool) -> ExitCode {
    if success {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Prints what decoding `token` gives; true when it was accepted.
fn report(when: &str, token: &str, key: &HmacKey, validation: &Validation) -> bool {
    match jwt_core::decode_with::<DbUpdate>(token, key, validation) {
        Ok(verified) => {
            println!("{when}: accepted");
            println!("  header: {:?}", verified.header());
            println!("  claims: {:?}", verified.claims());
            true
        }
        Err(error) => {
            println!("{when}: refused ({:?})", error.kind());
            println!("  {error}");
            false
        }
    }
}
