//! `jwt`: encode, inspect and verify JSON Web Tokens with jwt-core.
//!
//! ```text
//! jwt encode --key-env JWT_KEY --iss auth --sub alice --aud api --exp +10m '{"role":"admin"}'
//! jwt decode "$TOKEN"
//! jwt verify --key-env JWT_KEY --iss auth --aud api "$TOKEN"
//! ```
//!
//! Exit codes: 0 success; 1 the token was refused (`verify`) or cannot be read
//! (`decode`); 2 a usage error, or a key, file or claims that cannot be read or used.
//! Errors go to standard error as `error: ...`; colour only on a terminal, never with
//! `NO_COLOR` set. See `jwt --help` and the crate's README.
#![forbid(unsafe_code)]

mod cli;
mod decode;
mod encode;
mod failure;
mod input;
mod keys;
mod output;
mod times;
mod verify;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use jwt_core::NumericDate;

use crate::cli::{Cli, Command};
use crate::output::{ERROR, Painter, WARNING, colour_enabled};

/// What a command that ran to its end prints, and its exit code.
#[derive(Debug)]
pub struct Outcome {
    /// For standard output.
    pub stdout: String,
    /// Each printed to standard error as `warning: ...`.
    pub warnings: Vec<String>,
    /// The exit code: 0, or 1 for a refusal reported on standard output (`--json`).
    pub code: u8,
}

impl Outcome {
    /// Success, printing `stdout`.
    pub fn success(stdout: String) -> Outcome {
        Outcome {
            stdout,
            warnings: Vec::new(),
            code: 0,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let no_color = std::env::var_os("NO_COLOR");
    let painter =
        |is_terminal| Painter::new(colour_enabled(cli.color, is_terminal, no_color.as_deref()));
    let out = painter(std::io::stdout().is_terminal());
    let err = painter(std::io::stderr().is_terminal());

    let now = NumericDate::now();
    let result = match &cli.command {
        Command::Encode(args) => encode::run(args, now),
        Command::Decode(args) => decode::run(args, out, now),
        Command::Verify(args) => verify::run(args, out, now),
    };
    match result {
        Ok(outcome) => {
            for warning in &outcome.warnings {
                eprintln!("{} {warning}", err.paint(WARNING, "warning:"));
            }
            print_stdout(&outcome.stdout);
            ExitCode::from(outcome.code)
        }
        Err(failure) => {
            eprintln!("{} {}", err.paint(ERROR, "error:"), failure.message());
            failure.exit_code()
        }
    }
}

/// Writes to standard output; a closed pipe (`jwt decode ... | head -1`) is not an error.
fn print_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}
