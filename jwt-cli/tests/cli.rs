//! The `jwt` binary as a user runs it: every command, key source, input form, output
//! shape and exit code.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;
use serde_json::{Value, json};

/// The seed demo's token: HS256, `iss`, `sub`, `aud`, `exp` 1651760527, `timestamp`.
const SEED_TOKEN: &str = "eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJpc3MiOiAiamlhbmthaXdhbmciLCAic3ViIjogInVwZGF0aW5nLWRiIiwgImF1ZCI6ICJkYi1zZXJ2ZXIiLCAiZXhwIjogMTY1MTc2MDUyNywgInRpbWVzdGFtcCI6IDE2NTE3NTk5Mjd9.aMXv8unaaUfL2NMxQduVYJ-nsHlLpLX4GsK0f6gE_5M";
/// The seed demo's key.
const SEED_KEY: &str = "-----BEGIN PRIVATE KEY----------END PRIVATE KEY-----";
/// Inside the seed token's lifetime: issued 1651759927, expires 1651760527.
const SEED_AT: &str = "1651760000";
/// A 64-byte secret, long enough for every HMAC algorithm.
const LONG_KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// `jwt` with a clean colour environment and the keys in `SEED_KEY` and `LONG_KEY`.
fn jwt() -> Command {
    let mut command = cargo_bin_cmd!("jwt");
    command
        .env_remove("NO_COLOR")
        .env("SEED_KEY", SEED_KEY)
        .env("LONG_KEY", LONG_KEY);
    command
}

/// A file in the test's scratch directory holding `bytes`.
fn scratch_file(name: &str, bytes: &[u8]) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("jwt-cli-{name}"));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn unix_now() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    i64::try_from(secs).unwrap()
}

/// Runs `command`, checks its exit code and returns its standard output.
fn stdout_of(command: &mut Command, code: i32) -> String {
    let output = command.assert().code(code).get_output().stdout.clone();
    String::from_utf8(output).unwrap()
}

/// Runs `command`, checks its exit code and returns its standard error.
fn stderr_of(command: &mut Command, code: i32) -> String {
    let output = command.assert().code(code).get_output().stderr.clone();
    String::from_utf8(output).unwrap()
}

/// A token signed with `LONG_KEY` (HS256) by `jwt encode` with `args`.
fn encode(args: &[&str]) -> String {
    let out = stdout_of(
        jwt().args(["encode", "--key-env", "LONG_KEY"]).args(args),
        0,
    );
    out.trim_end().to_owned()
}

/// The `--json` form of `jwt decode` for `token`.
fn decoded(token: &str) -> Value {
    let out = stdout_of(jwt().args(["decode", "--json", token]), 0);
    serde_json::from_str(&out).unwrap()
}

/// `jwt verify --json` of `token` with `LONG_KEY` and `args`: the verdict object.
fn verdict(token: &str, args: &[&str], code: i32) -> Value {
    let mut command = jwt();
    command
        .args(["verify", "--json", "--key-env", "LONG_KEY"])
        .args(args)
        .arg(token);
    serde_json::from_str(&stdout_of(&mut command, code)).unwrap()
}

/// The `kind` of the verdict on `token`, which must be refused.
fn refusal(token: &str, args: &[&str]) -> String {
    verdict(token, args, 1)["kind"].as_str().unwrap().to_owned()
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

mod seed {
    use super::*;

    #[test]
    fn seed_token_verifies_at_its_issue_time_with_the_seed_key() {
        let out = stdout_of(
            jwt().args([
                "verify",
                "--key-env",
                "SEED_KEY",
                "--aud",
                "db-server",
                "--at",
                SEED_AT,
                SEED_TOKEN,
            ]),
            0,
        );
        assert!(out.starts_with("VERIFIED"), "{out}");
        assert!(out.contains("\"sub\": \"updating-db\""), "{out}");
        assert!(
            out.contains("exp  2022-05-05T14:22:07Z  (in 8 minutes)"),
            "{out}"
        );
    }

    #[test]
    fn seed_token_is_refused_as_expired_with_the_real_clock() {
        let mut command = jwt();
        command.args([
            "verify",
            "--key-env",
            "SEED_KEY",
            "--aud",
            "db-server",
            SEED_TOKEN,
        ]);
        let err = stderr_of(&mut command, 1);
        assert!(
            err.starts_with("error: Expired: token expired: exp 1651760527"),
            "{err}"
        );
        command.assert().stdout("");
    }

    #[test]
    fn seed_token_verifies_at_an_rfc_3339_time() {
        jwt()
            .args(["verify", "--key-env", "SEED_KEY", "--aud", "db-server"])
            .args(["--at", "2022-05-05T14:13:20Z", SEED_TOKEN])
            .assert()
            .success();
    }

    #[test]
    fn seed_token_with_the_key_from_a_file() {
        let path = scratch_file("seed-key", SEED_KEY.as_bytes());
        jwt()
            .args([
                "verify",
                "--aud",
                "db-server",
                "--at",
                SEED_AT,
                "--key-file",
            ])
            .arg(&path)
            .arg(SEED_TOKEN)
            .assert()
            .success()
            .stdout(predicate::str::contains("jiankaiwang"));
    }

    #[test]
    fn key_file_is_used_byte_for_byte_so_a_trailing_newline_changes_the_key() {
        let path = scratch_file("seed-key-newline", format!("{SEED_KEY}\n").as_bytes());
        let mut command = jwt();
        command
            .args([
                "verify",
                "--aud",
                "db-server",
                "--at",
                SEED_AT,
                "--key-file",
            ])
            .arg(&path)
            .arg(SEED_TOKEN);
        let err = stderr_of(&mut command, 1);
        assert!(err.starts_with("error: InvalidSignature: "), "{err}");
    }

    #[test]
    fn seed_token_needs_the_audience_it_carries() {
        let mut command = jwt();
        command.args([
            "verify",
            "--key-env",
            "SEED_KEY",
            "--at",
            SEED_AT,
            SEED_TOKEN,
        ]);
        let err = stderr_of(&mut command, 1);
        assert!(err.starts_with("error: InvalidAudience: "), "{err}");
    }
}

mod decode {
    use super::*;

    #[test]
    fn pretty_output_is_marked_unverified_and_shows_dates() {
        let out = stdout_of(jwt().args(["decode", SEED_TOKEN]), 0);
        assert!(out.starts_with("NOT VERIFIED: "), "{out}");
        assert!(
            out.contains("Header:\n{\n  \"alg\": \"HS256\",\n  \"typ\": \"JWT\"\n}"),
            "{out}"
        );
        assert!(out.contains("\"iss\": \"jiankaiwang\""), "{out}");
        assert!(out.contains("\"timestamp\": 1651759927"), "{out}");
        assert!(
            out.contains("Times (UTC):\n  exp  2022-05-05T14:22:07Z  ("),
            "{out}"
        );
        assert!(out.contains("ago)"), "{out}");
    }

    #[test]
    fn json_output_has_header_claims_and_verified_false() {
        let out = decoded(SEED_TOKEN);
        assert_eq!(keys(&out), ["claims", "findings", "header", "verified"]);
        assert_eq!(out["verified"], json!(false));
        assert_eq!(out["findings"], json!([]));
        assert_eq!(out["header"], json!({"alg": "HS256", "typ": "JWT"}));
        assert_eq!(
            out["claims"],
            json!({
                "iss": "jiankaiwang",
                "sub": "updating-db",
                "aud": "db-server",
                "exp": 1_651_760_527,
                "timestamp": 1_651_759_927,
            })
        );
    }

    #[test]
    fn token_from_standard_input() {
        let out = stdout_of(
            jwt()
                .args(["decode", "--json", "-"])
                .write_stdin(format!("{SEED_TOKEN}\n")),
            0,
        );
        let out: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(out["claims"]["sub"], "updating-db");
    }

    #[test]
    fn decode_needs_no_key() {
        jwt()
            .args(["decode", SEED_TOKEN])
            .env_clear()
            .assert()
            .success();
    }

    #[test]
    fn malformed_token_is_refused_with_its_kind_and_exit_1() {
        let mut command = jwt();
        command.args(["decode", "not.a-token"]);
        let err = stderr_of(&mut command, 1);
        assert!(err.starts_with("error: Malformed: "), "{err}");
        command.assert().stdout("");
    }

    #[test]
    fn token_that_is_not_base64url_is_refused() {
        let padded = SEED_TOKEN.replacen('.', "=.", 1);
        let err = stderr_of(jwt().args(["decode", &padded]), 1);
        assert!(err.starts_with("error: Malformed: "), "{err}");
    }

    #[test]
    fn what_a_verifier_refuses_is_shown_and_listed() {
        // `alg: none`, and `sub` written twice.
        let none = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIiwic3ViIjoiYiJ9.";
        let out = stdout_of(jwt().args(["decode", "--color", "never", none]), 0);
        assert!(out.starts_with("NOT VERIFIED"), "{out}");
        assert!(out.contains("A verifier would refuse this token:"), "{out}");
        assert!(out.contains("`alg` \"none\" is not supported"), "{out}");
        assert!(out.contains("repeats a member name"), "{out}");
        let out = decoded(none);
        assert_eq!(out["claims"], json!({"sub": "b"}));
        assert_eq!(out["findings"].as_array().map(Vec::len), Some(2), "{out}");
    }

    #[test]
    fn times_out_of_the_printable_range_are_said_so() {
        let token = encode(&["--exp", "9007199254740991", "--no-iat"]);
        let out = stdout_of(jwt().args(["decode", &token]), 0);
        assert!(
            out.contains("exp  9007199254740991: beyond the dates RFC 3339 can write"),
            "{out}"
        );
    }
}

mod encode {
    use super::*;

    #[test]
    fn flags_become_registered_claims_and_header_members() {
        let token = encode(&[
            "--iss",
            "auth",
            "--sub",
            "alice",
            "--aud",
            "api",
            "--jti",
            "t-1",
            "--kid",
            "k-2026",
            "--exp",
            "2030-01-01T00:00:00Z",
            "--nbf",
            "1700000000",
            "--iat",
            "1700000000",
        ]);
        let out = decoded(&token);
        assert_eq!(
            out["header"],
            json!({"alg": "HS256", "typ": "JWT", "kid": "k-2026"})
        );
        assert_eq!(
            out["claims"],
            json!({
                "iss": "auth", "sub": "alice", "aud": "api", "jti": "t-1",
                "exp": 1_893_456_000, "nbf": 1_700_000_000, "iat": 1_700_000_000,
            })
        );
    }

    #[test]
    fn repeated_audiences_make_an_array() {
        let token = encode(&["--aud", "a", "--aud", "b", "--exp", "+1h"]);
        assert_eq!(decoded(&token)["claims"]["aud"], json!(["a", "b"]));
    }

    #[test]
    fn relative_times_count_from_now() {
        let before = unix_now();
        let token = encode(&["--exp", "+10m", "--nbf", "-30s"]);
        let after = unix_now();
        let claims = &decoded(&token)["claims"];
        let iat = claims["iat"].as_i64().unwrap();
        assert!(
            (before..=after).contains(&iat),
            "{iat} not in {before}..={after}"
        );
        assert_eq!(claims["exp"].as_i64().unwrap() - iat, 600);
        assert_eq!(claims["nbf"].as_i64().unwrap() - iat, -30);

        for (spec, secs) in [
            ("+1h", 3600),
            ("+2d", 172_800),
            ("+1w", 604_800),
            ("+45", 45),
        ] {
            let claims = &decoded(&encode(&["--exp", spec]))["claims"];
            let delta = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
            assert_eq!(delta, secs, "{spec}");
        }
    }

    #[test]
    fn iat_is_left_out_with_no_iat_and_kept_from_the_claims() {
        let claims = &decoded(&encode(&["--exp", "+1h", "--no-iat"]))["claims"];
        assert!(claims.get("iat").is_none(), "{claims}");
        let claims = &decoded(&encode(&["--exp", "+1h", r#"{"iat": 5}"#]))["claims"];
        assert_eq!(claims["iat"], 5);
        let claims =
            &decoded(&encode(&["--exp", "+1h", "--iat", "-1m", r#"{"iat": 5}"#]))["claims"];
        assert!(claims["iat"].as_i64().unwrap() > 5);
    }

    #[test]
    fn claims_from_an_argument_a_file_and_standard_input() {
        let json = r#"{"role": "admin", "n": [1, 2], "iss": "from-json"}"#;
        let from_arg = decoded(&encode(&["--exp", "+1h", json]));

        let path = scratch_file("claims.json", json.as_bytes());
        let mut command = jwt();
        command
            .args([
                "encode",
                "--key-env",
                "LONG_KEY",
                "--exp",
                "+1h",
                "--claims-file",
            ])
            .arg(&path);
        let from_file = decoded(stdout_of(&mut command, 0).trim_end());

        let mut command = jwt();
        command
            .args(["encode", "--key-env", "LONG_KEY", "--exp", "+1h", "-"])
            .write_stdin(json);
        let from_stdin = decoded(stdout_of(&mut command, 0).trim_end());

        for out in [&from_arg, &from_file, &from_stdin] {
            assert_eq!(out["claims"]["role"], "admin");
            assert_eq!(out["claims"]["n"], json!([1, 2]));
            assert_eq!(out["claims"]["iss"], "from-json");
        }
    }

    #[test]
    fn claims_come_from_one_place_only() {
        let path = scratch_file("claims-conflict.json", b"{}");
        let mut command = jwt();
        command
            .args(["encode", "--key-env", "LONG_KEY", "{}", "--claims-file"])
            .arg(&path);
        assert!(stderr_of(&mut command, 2).contains("cannot be used with"));
        command.assert().stdout("");
    }

    #[test]
    fn flags_win_over_the_claims_json() {
        let out = decoded(&encode(&[
            "--iss",
            "flag",
            "--exp",
            "+1h",
            r#"{"iss": "json"}"#,
        ]));
        assert_eq!(out["claims"]["iss"], "flag");
    }

    #[test]
    fn every_hmac_algorithm_signs() {
        for alg in ["HS256", "HS384", "HS512"] {
            let token = encode(&["--alg", alg, "--exp", "+1h"]);
            assert_eq!(decoded(&token)["header"]["alg"], alg);
            let out = verdict(&token, &["--alg", alg], 0);
            assert_eq!(out["valid"], json!(true));
        }
    }

    #[test]
    fn a_token_without_exp_is_written_with_a_warning() {
        let mut command = jwt();
        command.args(["encode", "--key-env", "LONG_KEY", "--sub", "x"]);
        let err = stderr_of(&mut command, 0);
        assert!(err.starts_with("warning: the token has no `exp`"), "{err}");
        command.assert().stdout(predicate::str::is_empty().not());
    }

    #[test]
    fn claims_that_are_not_a_json_object_are_a_usage_error() {
        for (claims, why) in [
            ("[1]", "must be a JSON object, not an array"),
            ("{\"a\":", "not valid JSON"),
            ("secret", "not valid JSON"),
        ] {
            let mut command = jwt();
            command.args(["encode", "--key-env", "LONG_KEY", claims]);
            let err = stderr_of(&mut command, 2);
            assert!(err.contains(why), "{claims}: {err}");
            command.assert().stdout("");
        }
        let mut command = jwt();
        command.args([
            "encode",
            "--key-env",
            "LONG_KEY",
            "--claims-file",
            "/nonexistent/claims",
        ]);
        assert!(stderr_of(&mut command, 2).contains("cannot read the claims file"));
    }

    #[test]
    fn claims_that_decoding_would_refuse_are_not_encoded() {
        for (claims, kind) in [
            (r#"{"exp": "tomorrow"}"#, "InvalidClaim"),
            (r#"{"aud": ["api", 7]}"#, "InvalidClaim"),
            (r#"{"sub": 5}"#, "InvalidClaim"),
            (r#"{"nbf": 9007199254740992}"#, "InvalidClaim"),
        ] {
            let mut command = jwt();
            command.args(["encode", "--key-env", "LONG_KEY", claims]);
            let err = stderr_of(&mut command, 2);
            let expected = format!("error: cannot encode: {kind}: ");
            assert!(err.starts_with(&expected), "{claims}: {err}");
            command.assert().stdout("");
        }
    }

    #[test]
    fn bad_times_are_usage_errors() {
        for (flag, value) in [
            ("--exp", "tomorrow"),
            ("--exp", "+10x"),
            ("--nbf", "2022-13-01T00:00:00Z"),
            ("--iat", "+"),
            ("--exp", "9007199254740992"),
            ("--exp", "+99999999999999999999w"),
        ] {
            let mut command = jwt();
            command.args(["encode", "--key-env", "LONG_KEY", flag, value]);
            let err = stderr_of(&mut command, 2);
            assert!(err.starts_with("error: "), "{flag} {value}: {err}");
            command.assert().stdout("");
        }
    }
}

mod verify {
    use super::*;

    #[test]
    fn json_verdict_of_a_valid_token() {
        let token = encode(&["--iss", "auth", "--aud", "api", "--exp", "+1h"]);
        let out = verdict(&token, &["--iss", "auth", "--aud", "api"], 0);
        assert_eq!(keys(&out), ["claims", "header", "valid"]);
        assert_eq!(out["valid"], json!(true));
        assert_eq!(out["header"]["alg"], "HS256");
        assert_eq!(out["claims"]["iss"], "auth");
    }

    #[test]
    fn json_verdict_of_a_refused_token_is_on_stdout_with_exit_1() {
        let mut command = jwt();
        command
            .args([
                "verify",
                "--json",
                "--key-env",
                "SEED_KEY",
                "--aud",
                "db-server",
            ])
            .arg(SEED_TOKEN);
        let out: Value = serde_json::from_str(&stdout_of(&mut command, 1)).unwrap();
        assert_eq!(keys(&out), ["kind", "message", "valid"]);
        assert_eq!(out["valid"], json!(false));
        assert_eq!(out["kind"], "Expired");
        let message = out["message"].as_str().unwrap();
        assert!(
            message.starts_with("token expired: exp 1651760527"),
            "{message}"
        );
        command.assert().stderr("");
    }

    #[test]
    fn pretty_refusal_names_the_kind_on_stderr() {
        let token = encode(&["--iss", "auth", "--exp", "+1h"]);
        let mut command = jwt();
        command.args(["verify", "--key-env", "LONG_KEY", "--iss", "other", &token]);
        let err = stderr_of(&mut command, 1);
        assert!(
            err.starts_with("error: InvalidIssuer: invalid issuer: "),
            "{err}"
        );
        command.assert().stdout("");
    }

    #[test]
    fn each_rule_refuses_with_its_kind() {
        let now = unix_now();
        let plain = encode(&[
            "--iss", "auth", "--sub", "alice", "--aud", "api", "--exp", "+1h",
        ]);
        let rules = ["--iss", "auth", "--aud", "api"];
        assert_eq!(
            refusal(&plain, &["--iss", "other", "--aud", "api"]),
            "InvalidIssuer"
        );
        assert_eq!(
            refusal(&plain, &["--iss", "auth", "--aud", "web"]),
            "InvalidAudience"
        );
        assert_eq!(refusal(&plain, &["--iss", "auth"]), "InvalidAudience");
        assert_eq!(
            refusal(&plain, &[&rules[..], &["--sub", "bob"]].concat()),
            "InvalidSubject"
        );
        assert_eq!(
            refusal(&plain, &[&rules[..], &["--require", "jti"]].concat()),
            "MissingClaim"
        );
        let two_hours = (now + 7200).to_string();
        assert_eq!(
            refusal(&plain, &[&rules[..], &["--at", &two_hours]].concat()),
            "Expired"
        );

        let later = encode(&["--nbf", "+1h", "--exp", "+2h"]);
        assert_eq!(refusal(&later, &[]), "NotYetValid");
        let future = encode(&["--iat", "+1h", "--exp", "+2h"]);
        assert_eq!(refusal(&future, &[]), "IssuedInFuture");
        let old = encode(&["--iat", "-2h", "--exp", "+1h"]);
        assert_eq!(refusal(&old, &["--max-age", "1h"]), "TooOld");
        let no_exp = encode(&["--sub", "x"]);
        assert_eq!(refusal(&no_exp, &[]), "MissingClaim");

        let (head, _) = plain.rsplit_once('.').unwrap();
        let forged = format!("{head}.{}", "A".repeat(43));
        assert_eq!(refusal(&forged, &rules), "InvalidSignature");
        assert_eq!(
            refusal(&plain, &[&rules[..], &["--alg", "HS512"]].concat()),
            "AlgorithmMismatch"
        );
        assert_eq!(refusal("a.b", &[]), "Malformed");
    }

    #[test]
    fn options_that_loosen_or_shift_the_clock_accept() {
        let now = unix_now();
        let expiring = encode(&["--exp", "+10s", "--no-iat"]);
        let in_a_minute = (now + 60).to_string();
        assert_eq!(refusal(&expiring, &["--at", &in_a_minute]), "Expired");
        verdict(&expiring, &["--at", &in_a_minute, "--leeway", "2m"], 0);
        verdict(&expiring, &["--at", "+30s", "--leeway", "1m"], 0);
        verdict(&expiring, &["--at", "-1h"], 0);

        let no_exp = encode(&["--sub", "x", "--jti", "j"]);
        let out = verdict(&no_exp, &["--allow-missing-exp", "--require", "jti"], 0);
        assert_eq!(out["claims"]["jti"], "j");

        let fresh = encode(&["--exp", "+1h"]);
        verdict(&fresh, &["--max-age", "10m"], 0);
    }

    #[test]
    fn token_from_standard_input() {
        let token = encode(&["--exp", "+1h"]);
        jwt()
            .args(["verify", "--key-env", "LONG_KEY", "-"])
            .write_stdin(format!("{token}\n"))
            .assert()
            .success()
            .stdout(predicate::str::starts_with("VERIFIED: the HS256 signature"));
    }

    #[test]
    fn bad_durations_and_claim_names_are_usage_errors() {
        for args in [
            ["--leeway", "-5"],
            ["--leeway", "1y"],
            ["--max-age", "soon"],
            ["--require", "foo"],
            ["--at", "yesterday"],
        ] {
            let mut command = jwt();
            command
                .args(["verify", "--key-env", "LONG_KEY"])
                .args(args)
                .arg(SEED_TOKEN);
            let err = stderr_of(&mut command, 2);
            assert!(err.starts_with("error: "), "{args:?}: {err}");
        }
    }
}

mod keys {
    use super::*;

    #[test]
    fn missing_environment_variable_is_exit_2() {
        for command in ["encode", "verify"] {
            let mut run = jwt();
            run.args([command, "--key-env", "JWT_CLI_TEST_UNSET"])
                .env_remove("JWT_CLI_TEST_UNSET");
            if command == "verify" {
                run.arg(SEED_TOKEN);
            }
            let err = stderr_of(&mut run, 2);
            assert_eq!(
                err,
                "error: the environment variable JWT_CLI_TEST_UNSET given by --key-env is not set\n"
            );
        }
    }

    #[test]
    fn empty_key_is_exit_2() {
        let mut command = jwt();
        command
            .args(["encode", "--key-env", "EMPTY"])
            .env("EMPTY", "");
        assert_eq!(
            stderr_of(&mut command, 2),
            "error: the key in $EMPTY is empty\n"
        );
        let path = scratch_file("empty-key", b"");
        let mut command = jwt();
        command.args(["encode", "--key-file"]).arg(&path);
        assert!(stderr_of(&mut command, 2).ends_with("is empty\n"));
    }

    #[test]
    fn missing_key_file_is_exit_2() {
        for command in ["encode", "verify"] {
            let mut run = jwt();
            run.args([command, "--key-file", "/nonexistent/jwt.key"]);
            if command == "verify" {
                run.arg(SEED_TOKEN);
            }
            let err = stderr_of(&mut run, 2);
            assert!(
                err.starts_with("error: cannot read the key file /nonexistent/jwt.key: "),
                "{err}"
            );
        }
    }

    #[test]
    fn short_secret_is_exit_2_and_never_echoed() {
        let mut command = jwt();
        command
            .args(["encode", "--key-env", "SHORT"])
            .env("SHORT", "hunter2-short");
        let err = stderr_of(&mut command, 2);
        assert!(
            err.starts_with(
                "error: InvalidKey: invalid key: an HS256 secret needs at least 32 bytes"
            ),
            "{err}"
        );
        assert!(err.contains("(the key in $SHORT)"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");

        let path = scratch_file("short-key", b"hunter2-short");
        let mut command = jwt();
        command
            .args(["verify", "--key-file"])
            .arg(&path)
            .arg(SEED_TOKEN);
        let err = stderr_of(&mut command, 2);
        assert!(err.starts_with("error: InvalidKey: "), "{err}");
        assert!(!err.contains("hunter2"), "{err}");

        let mut command = jwt();
        command.args(["encode", "--key-env", "SEED_KEY", "--alg", "HS512"]);
        assert!(stderr_of(&mut command, 2).contains("needs at least 64 bytes"));
    }

    #[test]
    fn a_key_given_as_a_bare_argument_is_not_accepted() {
        let mut command = jwt();
        command.args(["encode", "--key", LONG_KEY]);
        assert!(stderr_of(&mut command, 2).contains("unexpected argument '--key'"));
        command.assert().stdout("");

        let mut command = jwt();
        command.args(["verify", SEED_TOKEN, SEED_KEY]);
        assert!(stderr_of(&mut command, 2).starts_with("error: "));

        let mut command = jwt();
        command.args(["verify", "--secret", SEED_KEY, SEED_TOKEN]);
        stderr_of(&mut command, 2);

        for command in ["encode", "verify"] {
            let mut run = jwt();
            run.arg(command);
            if command == "verify" {
                run.arg(SEED_TOKEN);
            }
            let err = stderr_of(&mut run, 2);
            assert!(err.contains("--key-file <PATH>|--key-env <VAR>"), "{err}");
        }
    }

    #[test]
    fn only_one_key_source_at_a_time() {
        let mut command = jwt();
        command.args(["encode", "--key-env", "LONG_KEY", "--key-file", "/dev/null"]);
        assert!(stderr_of(&mut command, 2).contains("cannot be used with"));
    }

    #[cfg(not(any(feature = "rustcrypto", feature = "aws-lc-rs")))]
    #[test]
    fn asymmetric_algorithms_need_a_build_with_a_backend() {
        for alg in ["RS256", "PS384", "ES256", "EdDSA"] {
            let mut command = jwt();
            command.args(["encode", "--key-env", "LONG_KEY", "--alg", alg]);
            let err = stderr_of(&mut command, 2);
            assert!(
                err.starts_with(&format!("error: {alg} needs a PEM key")),
                "{err}"
            );
            let mut command = jwt();
            command.args(["verify", "--key-env", "LONG_KEY", "--alg", alg, SEED_TOKEN]);
            assert!(stderr_of(&mut command, 2).contains("--features rustcrypto"));
        }
    }

    #[test]
    fn an_algorithm_that_is_none_is_a_usage_error() {
        let mut command = jwt();
        command.args(["encode", "--key-env", "LONG_KEY", "--alg", "none"]);
        assert!(stderr_of(&mut command, 2).contains("expected one of HS256"));
    }
}

/// PEM keys, with a build that has an asymmetric backend.
#[cfg(any(feature = "rustcrypto", feature = "aws-lc-rs"))]
mod pem_keys {
    use super::*;

    /// The key files jwt-core's own tests use.
    fn testdata(name: &str) -> String {
        format!(
            "{}/../jwt-core/src/key/testdata/{name}",
            env!("CARGO_MANIFEST_DIR")
        )
    }

    fn encode_with(alg: &str, private: &str) -> String {
        let mut command = jwt();
        command.args([
            "encode",
            "--alg",
            alg,
            "--key-file",
            &testdata(private),
            "--exp",
            "+10m",
            "--sub",
            "s",
        ]);
        stdout_of(&mut command, 0).trim().to_owned()
    }

    #[test]
    fn tokens_signed_with_a_private_pem_verify_with_the_public_pem() {
        for (alg, private, public) in [
            ("RS256", "rsa2048.pem", "rsa2048.pub.pem"),
            ("PS256", "rsa2048.pkcs1.pem", "rsa2048.pkcs1.pub.pem"),
            ("ES256", "p256.pem", "p256.pub.pem"),
            ("ES384", "p384.sec1.pem", "p384.pub.pem"),
            ("EdDSA", "ed25519.pem", "ed25519.pub.pem"),
        ] {
            let token = encode_with(alg, private);
            for key in [public, private] {
                let mut command = jwt();
                command.args(["verify", "--alg", alg, "--key-file", &testdata(key), &token]);
                assert!(
                    stdout_of(&mut command, 0).starts_with("VERIFIED"),
                    "{alg} {key}"
                );
            }
        }
    }

    #[test]
    fn a_key_of_another_family_or_curve_is_an_invalid_key() {
        let token = encode_with("ES256", "p256.pem");
        for (alg, key) in [("ES384", "p256.pub.pem"), ("RS256", "p256.pub.pem")] {
            let mut command = jwt();
            command.args(["verify", "--alg", alg, "--key-file", &testdata(key), &token]);
            let err = stderr_of(&mut command, 2);
            assert!(err.starts_with("error: InvalidKey: "), "{alg} {key}: {err}");
        }
        // The right key, but the token is ES256 and the verifier expects ES384.
        let mut command = jwt();
        command.args([
            "verify",
            "--alg",
            "ES384",
            "--key-file",
            &testdata("p384.pub.pem"),
            &token,
        ]);
        let err = stderr_of(&mut command, 1);
        assert!(err.starts_with("error: AlgorithmMismatch: "), "{err}");
    }
}

mod terminal {
    use super::*;

    const ESC: &str = "\u{1b}[";

    #[test]
    fn no_colour_into_a_pipe() {
        let out = stdout_of(jwt().args(["decode", SEED_TOKEN]), 0);
        assert!(!out.contains(ESC), "{out:?}");
        let mut command = jwt();
        command.args([
            "verify",
            "--key-env",
            "SEED_KEY",
            "--aud",
            "db-server",
            SEED_TOKEN,
        ]);
        let err = stderr_of(&mut command, 1);
        assert!(!err.contains(ESC), "{err:?}");
    }

    #[test]
    fn colour_when_asked_even_with_no_color() {
        let out = stdout_of(jwt().args(["--color", "always", "decode", SEED_TOKEN]), 0);
        assert!(out.starts_with(ESC), "{out:?}");
        let mut command = jwt();
        command
            .args([
                "verify",
                "--color=always",
                "--key-env",
                "SEED_KEY",
                "--aud",
                "db-server",
            ])
            .arg(SEED_TOKEN)
            .env("NO_COLOR", "1");
        let err = stderr_of(&mut command, 1);
        assert!(err.starts_with(ESC), "{err:?}");
        assert!(err.contains("Expired: token expired"), "{err:?}");
    }

    #[test]
    fn help_shows_examples_and_exit_codes() {
        for command in [&[][..], &["encode"], &["decode"], &["verify"]] {
            let out = stdout_of(jwt().args(command).arg("--help"), 0);
            assert!(out.contains("Examples:"), "{command:?}: {out}");
            assert!(
                out.contains("Exit codes:\n  0  success"),
                "{command:?}: {out}"
            );
            assert!(out.contains("  2  a usage error"), "{command:?}: {out}");
        }
        jwt()
            .arg("--version")
            .assert()
            .success()
            .stdout(predicate::str::starts_with("jwt "));
    }

    #[test]
    fn usage_errors_exit_2() {
        for args in [
            &["frobnicate"][..],
            &[],
            &["decode"],
            &["decode", "--frob", "x"],
        ] {
            let err = stderr_of(jwt().args(args), 2);
            assert!(
                err.contains("Usage:") || err.starts_with("error: "),
                "{args:?}: {err}"
            );
        }
    }
}
