//! The command line as clap reads it: commands, options and their help.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jwt_core::{Algorithm, RegisteredClaim};

use crate::failure::Failure;
use crate::keys::KeySource;
use crate::times::{TimeSpec, parse_duration};

const EXIT_CODES: &str = "\
Exit codes:
  0  success: the token was written, shown, or verified
  1  the token was refused (verify) or cannot be read (decode)
  2  a usage error, or a key, file or claims that cannot be read or used";

const EXAMPLES: &str = "\
Examples:
  export JWT_KEY='a secret of at least thirty-two bytes!'
  jwt encode --key-env JWT_KEY --iss auth --sub alice --aud api --exp +10m '{\"role\":\"admin\"}'
  jwt decode \"$TOKEN\"
  jwt verify --key-env JWT_KEY --iss auth --aud api \"$TOKEN\"
  echo \"$TOKEN\" | jwt verify --key-file secret.key --aud api --json -";

/// Encode, inspect and verify JSON Web Tokens.
///
/// Keys are read from a file (`--key-file`) or an environment variable (`--key-env`),
/// never from the command line itself, where other users and the shell history see them.
#[derive(Debug, Parser)]
#[command(name = "jwt", version, after_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"))]
pub struct Cli {
    /// When to colour the output: `auto` colours a terminal unless `NO_COLOR` is set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true, value_name = "WHEN")]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

/// When to colour the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set to a non-empty value.
    Auto,
    /// Always, even into a pipe or a file.
    Always,
    /// Never.
    Never,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign claims into a token and print it.
    Encode(EncodeArgs),
    /// Show a token's header and claims WITHOUT verifying anything.
    Decode(DecodeArgs),
    /// Verify a token's signature and claims; exit 0 and print the claims, or exit 1 and
    /// say why it was refused.
    Verify(VerifyArgs),
}

const ENCODE_HELP: &str = "\
Claims come from CLAIMS (a JSON object, or `-` to read one from standard input) or from
--claims-file; the options above add registered claims and win over the same claims in the
JSON. `iat` is set to the current time unless the JSON has one, --iat sets it or --no-iat
leaves it out. Without `exp` a warning is printed, since verifiers refuse such tokens by
default.

TIME is `now`, unix seconds (`1651760527`), an RFC 3339 date (`2026-12-01T00:00:00Z`),
or a time relative to now: `+10m`, `-30s`, `+1h`, `+2d`, `+1w` (no unit: seconds).

The key file is used byte for byte: a trailing newline is part of the secret (write it
with `printf`, not `echo`).

Examples:
  jwt encode --key-env JWT_KEY --sub alice --aud api --exp +1h
  jwt encode --key-file secret.key --alg HS512 --kid 2026-11 --exp +10m '{\"role\":\"admin\"}'
  jq -n '{scope: \"read\"}' | jwt encode --key-env JWT_KEY --exp +5m -";

/// Options of `jwt encode`.
#[derive(Debug, Args)]
#[command(after_help = format!("{ENCODE_HELP}\n\n{EXIT_CODES}"))]
pub struct EncodeArgs {
    /// The claims as a JSON object, or `-` to read them from standard input.
    #[arg(value_name = "CLAIMS", conflicts_with = "claims_file")]
    pub claims: Option<String>,

    /// Read the claims, a JSON object, from this file.
    #[arg(long, value_name = "PATH")]
    pub claims_file: Option<PathBuf>,

    /// `iss`: the issuer.
    #[arg(long, value_name = "ISSUER")]
    pub iss: Option<String>,

    /// `sub`: the subject.
    #[arg(long, value_name = "SUBJECT")]
    pub sub: Option<String>,

    /// `aud`: an audience; repeat for several (then `aud` is an array).
    #[arg(long, value_name = "AUDIENCE")]
    pub aud: Vec<String>,

    /// `exp`: when the token expires (absolute or relative TIME).
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub exp: Option<TimeSpec>,

    /// `nbf`: when the token becomes valid (absolute or relative TIME).
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub nbf: Option<TimeSpec>,

    /// `iat`: when the token was issued [default: now, unless the claims JSON has one].
    #[arg(
        long,
        value_name = "TIME",
        allow_hyphen_values = true,
        conflicts_with = "no_iat"
    )]
    pub iat: Option<TimeSpec>,

    /// Leave `iat` out (unless the claims JSON has one).
    #[arg(long)]
    pub no_iat: bool,

    /// `jti`: a unique id for the token.
    #[arg(long, value_name = "ID")]
    pub jti: Option<String>,

    /// The header's `kid`: which of the verifier's keys checks the token.
    #[arg(long, value_name = "KID")]
    pub kid: Option<String>,

    /// The header's `typ`.
    #[arg(long, value_name = "TYP", default_value = "JWT")]
    pub typ: String,

    #[command(flatten)]
    pub key: KeyArgs,
}

const DECODE_HELP: &str = "\
The output is marked NOT VERIFIED: anyone can write a token that decodes. The token is
still read strictly (three segments of strict base64url, a strict JSON header and payload),
and one that is not is refused with the reason. `exp`, `nbf` and `iat` are also shown as
UTC dates.

With --json the output is one JSON object: {\"header\": {...}, \"claims\": {...},
\"verified\": false}.

Examples:
  jwt decode \"$TOKEN\"
  echo \"$TOKEN\" | jwt decode --json - | jq .claims.sub";

/// Options of `jwt decode`.
#[derive(Debug, Args)]
#[command(after_help = format!("{DECODE_HELP}\n\n{EXIT_CODES}"))]
pub struct DecodeArgs {
    /// The token, or `-` to read it from standard input.
    #[arg(value_name = "TOKEN")]
    pub token: String,

    /// Print one JSON object for scripts instead of the pretty form.
    #[arg(long)]
    pub json: bool,
}

const VERIFY_HELP: &str = "\
The algorithm is --alg (HS256 unless given), never the token's: a token whose header names
another algorithm is refused. The token's `exp` must lie ahead (and `nbf`, `iat` not), its
`iss`, `aud` and `sub` must match what is given here, and a token with an `aud` is refused
unless --aud names one of its audiences (RFC 7519 section 4.1.3).

A refused token exits with 1 and prints `error: KIND: MESSAGE` on standard error, KIND
being the jwt-core ErrorKind (`Expired`, `InvalidSignature`, `InvalidAudience`, ...). With
--json, the verdict goes to standard output as one JSON object:
{\"valid\": true, \"header\": {...}, \"claims\": {...}} or
{\"valid\": false, \"kind\": \"Expired\", \"message\": \"token expired: ...\"}.

TIME (for --at) is as for `jwt encode`; DURATION is seconds, or a number with a unit:
`30s`, `10m`, `1h`, `2d`, `1w`.

Examples:
  jwt verify --key-env JWT_KEY --iss auth --aud api \"$TOKEN\"
  jwt verify --key-file secret.key --aud db-server --at 2022-05-05T14:13:20Z \"$TOKEN\"
  jwt verify --key-env JWT_KEY --aud api --json - < token.txt";

/// Options of `jwt verify`.
#[derive(Debug, Args)]
#[command(after_help = format!("{VERIFY_HELP}\n\n{EXIT_CODES}"))]
pub struct VerifyArgs {
    /// The token, or `-` to read it from standard input.
    #[arg(value_name = "TOKEN")]
    pub token: String,

    /// Accept this issuer; repeat to accept any of several. The token's `iss` must be one.
    #[arg(long, value_name = "ISSUER")]
    pub iss: Vec<String>,

    /// Accept this audience; repeat to accept any of several. The token's `aud` must hold one.
    #[arg(long, value_name = "AUDIENCE")]
    pub aud: Vec<String>,

    /// The token's `sub` must be this.
    #[arg(long, value_name = "SUBJECT")]
    pub sub: Option<String>,

    /// Clock skew allowed for `exp`, `nbf` and `iat`.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "0")]
    pub leeway: u64,

    /// Check the times against this TIME instead of the system clock.
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub at: Option<TimeSpec>,

    /// `iat` must be present and at most this old.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub max_age: Option<u64>,

    /// This registered claim must be present (`iss`, `sub`, `aud`, `exp`, `nbf`, `iat`,
    /// `jti`); repeat for several.
    #[arg(long, value_name = "CLAIM")]
    pub require: Vec<RegisteredClaim>,

    /// Accept a token without `exp` (refused by default).
    #[arg(long)]
    pub allow_missing_exp: bool,

    /// Print the verdict as one JSON object for scripts.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub key: KeyArgs,
}

/// The key: its algorithm and where to read it.
#[derive(Debug, Args)]
pub struct KeyArgs {
    #[command(flatten)]
    source: KeySourceArgs,

    /// The algorithm: HS256, HS384 or HS512 (RS*, PS*, ES* and `EdDSA` need PEM keys,
    /// which this version cannot load yet).
    #[arg(
        long,
        value_name = "ALG",
        value_parser = parse_algorithm,
        default_value = "HS256",
        help_heading = "Key"
    )]
    pub alg: Algorithm,
}

/// Where the key is: exactly one of a file and an environment variable.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
struct KeySourceArgs {
    /// Read the key from this file (an HMAC secret, byte for byte).
    #[arg(long, value_name = "PATH", help_heading = "Key")]
    key_file: Option<PathBuf>,

    /// Read the key from this environment variable.
    #[arg(long, value_name = "VAR", help_heading = "Key")]
    key_env: Option<String>,
}

impl KeyArgs {
    /// Where the key is; clap has already required exactly one source.
    pub fn source(&self) -> Result<KeySource, Failure> {
        match (&self.source.key_file, &self.source.key_env) {
            (Some(path), None) => Ok(KeySource::File(path.clone())),
            (None, Some(var)) => Ok(KeySource::Env(var.clone())),
            _ => Err(Failure::usage(
                "give the key with exactly one of --key-file PATH and --key-env VAR",
            )),
        }
    }
}

/// Parses a JOSE algorithm name, listing the names on a mistake.
fn parse_algorithm(name: &str) -> Result<Algorithm, String> {
    name.parse().map_err(|_| {
        let names: Vec<&str> = Algorithm::ALL.iter().map(|alg| alg.as_str()).collect();
        format!("expected one of {} (case-sensitive)", names.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn algorithm_names_are_read_exactly() {
        assert_eq!(parse_algorithm("HS384").unwrap(), Algorithm::HS384);
        assert_eq!(parse_algorithm("EdDSA").unwrap(), Algorithm::EdDSA);
        let error = parse_algorithm("hs256").unwrap_err();
        assert!(error.contains("HS256, HS384, HS512"), "{error}");
        assert!(parse_algorithm("none").is_err());
    }
}
