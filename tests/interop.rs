//! Interoperability with `PyJWT` and `cryptography`, for every asymmetric algorithm, both
//! ways (`tests/interop/pyjwt_interop.py`):
//!
//! 1. `PyJWT` generates a key per algorithm and signs a token; here each token verifies with
//!    the public key loaded from SPKI PEM, SPKI DER, JWK (and PKCS#1 PEM for RSA), all to
//!    the same claims and thumbprint; the private key loads from PKCS#8 PEM and from the
//!    traditional PEM (PKCS#1, SEC1), and signs tokens that `PyJWT` verifies in step 2.
//! 2. Here `KeyPair::generate` makes a key per algorithm and signs a token; `PyJWT` verifies
//!    each with the key's `to_jwk()` and with the key its `kid` selects in our
//!    `JwkSet::to_json()`.
//!
//! Needs `python3` with `python3 -m pip install "pyjwt>=2.10" cryptography`. Without them
//! the test says it was skipped and passes, except under CI (`CI` set), where it fails.
#![cfg(any(
    all(feature = "rsa", feature = "ecdsa", feature = "eddsa"),
    feature = "aws-lc-rs"
))]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jwt_core::{Algorithm, JwkSet, KeyPair, PublicKey, SigningKey, Validation};
use serde_json::{Map, Value, json};

type Claims = Map<String, Value>;

/// The interop script.
fn script() -> PathBuf {
    [env!("CARGO_MANIFEST_DIR"), "interop", "pyjwt_interop.py"]
        .iter()
        .collect()
}

/// Whether `python3` can import `jwt` and `cryptography`. Outside CI a missing one skips
/// the test (with a message); under CI it fails.
fn python_ready() -> bool {
    // PyJWT before 2.10 writes EC coordinates without their leading zero bytes (its pull
    // request 990), which RFC 7518 section 6.2.1.2 forbids and this library refuses: about
    // one P-521 key in 128 would fail here.
    let probe = Command::new("python3")
        .args([
            "-c",
            "import jwt, cryptography\n\
             v = tuple(int(p) for p in jwt.__version__.split('.')[:2])\n\
             assert v >= (2, 10), f'PyJWT {jwt.__version__} is older than 2.10'",
        ])
        .output();
    let ready = probe.as_ref().is_ok_and(|out| out.status.success());
    if !ready {
        let why = match &probe {
            Ok(out) => String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("python3 failed")
                .to_owned(),
            Err(error) => format!("python3 cannot run: {error}"),
        };
        let ci = std::env::var("CI").is_ok_and(|ci| !matches!(ci.as_str(), "" | "0" | "false"));
        assert!(
            !ci,
            "interop with PyJWT cannot run under CI: {why}; \
             install with `python3 -m pip install \"pyjwt>=2.10\" cryptography`"
        );
        // Straight to the process's stderr, past the test harness's capture, so that a
        // skipped run says so in the ordinary output.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED interop with PyJWT: {why}; \
             install with `python3 -m pip install \"pyjwt>=2.10\" cryptography`"
        );
    }
    ready
}

/// A fresh directory under the system's temporary one, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!("jwt-interop-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the script with `mode` and `file`; panics with its output when it fails.
fn run_script(mode: &str, file: &Path) -> String {
    let out = Command::new("python3")
        .arg(script())
        .arg(mode)
        .arg(file)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "pyjwt_interop.py {mode} failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn str_of<'a>(value: &'a Value, member: &str) -> &'a str {
    value[member]
        .as_str()
        .unwrap_or_else(|| panic!("no {member} in {value}"))
}

/// The validation the fixture's tokens are checked under: its issuer and audience, the
/// real clock (they expire an hour after they were made).
fn validation(fixture: &Value) -> Validation {
    Validation::new()
        .issuer(str_of(fixture, "issuer"))
        .audience(str_of(fixture, "audience"))
}

/// Every public form of a `PyJWT` key, loaded here.
fn public_keys(entry: &Value, alg: Algorithm) -> Vec<(&'static str, PublicKey)> {
    let der = STANDARD
        .decode(str_of(entry, "public_spki_der_b64"))
        .unwrap();
    let jwk = serde_json::from_value(entry["public_jwk"].clone()).unwrap();
    let mut keys = vec![
        (
            "SPKI PEM",
            PublicKey::from_pem(alg, str_of(entry, "public_spki_pem")).unwrap(),
        ),
        ("SPKI DER", PublicKey::from_der(alg, &der).unwrap()),
        ("JWK", PublicKey::from_jwk(&jwk).unwrap()),
    ];
    if let Some(pem) = entry.get("public_pkcs1_pem") {
        let pem = pem.as_str().unwrap();
        keys.push(("PKCS#1 PEM", PublicKey::from_pem(alg, pem).unwrap()));
    }
    keys
}

/// Step 1: `PyJWT`'s tokens verify here with keys from every form; `PyJWT`'s private keys
/// load here and sign tokens for step 2. Returns those tokens.
fn check_pyjwt_fixture(fixture: &Value) -> Vec<Value> {
    let validation = validation(fixture);
    let mut ours = Vec::new();
    let mut algorithms = Vec::new();
    for entry in fixture["tokens"].as_array().unwrap() {
        let alg: Algorithm = str_of(entry, "alg").parse().unwrap();
        algorithms.push(alg);
        let expected = entry["claims"].as_object().unwrap();
        let keys = public_keys(entry, alg);
        let thumbprint = keys[0].1.thumbprint();
        for (form, key) in &keys {
            assert_eq!(key.algorithm(), alg, "{alg} {form}");
            assert_eq!(key.thumbprint(), thumbprint, "{alg} {form}");
            let token = jwt_core::decode_with::<Claims>(str_of(entry, "token"), key, &validation)
                .unwrap_or_else(|error| panic!("{alg} {form}: {error}"));
            assert_eq!(token.claims(), expected, "{alg} {form}");
            assert_eq!(token.header().kid.as_deref(), entry["kid"].as_str());
        }
        // The JWK keeps its kid.
        assert_eq!(keys[2].1.kid(), entry["kid"].as_str(), "{alg}");
        let mut private = vec![(
            "PKCS#8 PEM",
            KeyPair::from_pem(alg, str_of(entry, "private_pkcs8_pem")).unwrap(),
        )];
        if let Some(pem) = entry.get("private_traditional_pem") {
            let pair = KeyPair::from_pem(alg, pem.as_str().unwrap()).unwrap();
            private.push(("traditional PEM", pair));
        }
        for (form, pair) in private {
            assert_eq!(pair.public_key().thumbprint(), thumbprint, "{alg} {form}");
            let kid = format!("rust-signed-{}-{}", alg.as_str().to_lowercase(), ours.len());
            let pair = pair.with_kid(kid.clone());
            let mut claims = expected.clone();
            claims.insert(
                "sub".into(),
                format!("signed here with PyJWT's {form}").into(),
            );
            let token = jwt_core::encode(&claims, &pair).unwrap();
            ours.push(json!({
                "origin": format!("PyJWT's key, {form}"),
                "alg": alg.as_str(),
                "kid": kid,
                "token": token,
                "public_jwk": pair.public_key().to_jwk(),
                "claims": claims,
            }));
        }
    }
    assert_eq!(
        algorithms, ALGORITHMS,
        "the fixture has every algorithm once"
    );
    // PyJWT's public JWKs as one set: each token verifies through it, selected by its kid.
    let jwks: Vec<Value> = fixture["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["public_jwk"].clone())
        .collect();
    let set = JwkSet::from_json(&json!({ "keys": jwks }).to_string()).unwrap();
    assert_eq!(set.len(), 10);
    assert!(set.skipped().is_empty(), "{:?}", set.skipped());
    for entry in fixture["tokens"].as_array().unwrap() {
        let token = jwt_core::decode_with::<Claims>(str_of(entry, "token"), &set, &validation)
            .unwrap_or_else(|error| panic!("{} through the set: {error}", entry["alg"]));
        assert_eq!(Some(token.claims()), entry["claims"].as_object());
    }
    ours
}

/// Every asymmetric algorithm.
const ALGORITHMS: [Algorithm; 10] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::ES512,
    Algorithm::EdDSA,
];

/// Step 2's own tokens: a generated key per algorithm, and the set of their public keys.
fn our_tokens(fixture: &Value) -> (Vec<Value>, Vec<PublicKey>) {
    let now = jwt_core::NumericDate::now().as_secs();
    let mut tokens = Vec::new();
    let mut publics = Vec::new();
    for alg in ALGORITHMS {
        let kid = format!("rust-{}", alg.as_str().to_lowercase());
        let pair = KeyPair::generate(alg).unwrap().with_kid(kid.clone());
        assert_eq!(SigningKey::algorithm(&pair), alg);
        let claims = json!({
            "iss": fixture["issuer"],
            "aud": fixture["audience"],
            "sub": format!("generated {alg}"),
            "iat": now,
            "exp": now + 600,
            "name": "Zo\u{eb} \u{2713}",
        });
        let Value::Object(claims) = claims else {
            unreachable!()
        };
        let token = jwt_core::encode(&claims, &pair).unwrap();
        // It verifies here too, before PyJWT sees it.
        let back =
            jwt_core::decode_with::<Claims>(&token, &pair.public_key(), &validation(fixture))
                .unwrap();
        assert_eq!(back.claims(), &claims);
        tokens.push(json!({
            "origin": "KeyPair::generate",
            "alg": alg.as_str(),
            "kid": kid,
            "token": token,
            "public_jwk": pair.public_key().to_jwk(),
            "claims": claims,
        }));
        publics.push(pair.public_key());
    }
    (tokens, publics)
}

#[test]
fn pyjwt_and_this_library_verify_each_others_tokens_for_every_algorithm() {
    if !python_ready() {
        return;
    }
    let dir = TempDir::new();
    let from_pyjwt = dir.path("from_pyjwt.json");
    run_script("generate", &from_pyjwt);
    let fixture: Value =
        serde_json::from_str(&std::fs::read_to_string(&from_pyjwt).unwrap()).unwrap();
    let mut tokens = check_pyjwt_fixture(&fixture);
    let signed_with_pyjwt_keys = tokens.len();
    assert_eq!(
        signed_with_pyjwt_keys, 19,
        "10 PKCS#8 and 9 traditional PEM keys"
    );
    let (generated, publics) = our_tokens(&fixture);
    tokens.extend(generated);
    // The set holds the generated keys and those read from PyJWT's PEMs.
    let mut set_keys = publics;
    for token in &tokens[..signed_with_pyjwt_keys] {
        let jwk = serde_json::from_value(token["public_jwk"].clone()).unwrap();
        set_keys.push(PublicKey::from_jwk(&jwk).unwrap());
    }
    let set = JwkSet::from_keys(set_keys).unwrap();
    let jwks: Value = serde_json::from_str(&set.to_json()).unwrap();
    assert_eq!(jwks["keys"].as_array().map(Vec::len), Some(29));
    let to_pyjwt = dir.path("to_pyjwt.json");
    std::fs::write(
        &to_pyjwt,
        serde_json::to_string_pretty(&json!({"tokens": tokens, "jwks": jwks})).unwrap(),
    )
    .unwrap();
    let report = run_script("verify", &to_pyjwt);
    assert!(report.contains(": 29 passed, 0 failed"), "{report}");
}

/// The script itself fails when a token does not verify, so that step 2 cannot pass by a
/// script that checks nothing.
#[test]
fn pyjwt_script_fails_on_a_token_that_does_not_verify() {
    if !python_ready() {
        return;
    }
    let dir = TempDir::new();
    let pair = KeyPair::generate(Algorithm::ES256).unwrap().with_kid("k");
    let claims =
        json!({"iss": "i", "aud": "a", "exp": jwt_core::NumericDate::now().as_secs() + 600});
    let Value::Object(claims) = claims else {
        unreachable!()
    };
    let token = jwt_core::encode(&claims, &pair).unwrap();
    let other = KeyPair::generate(Algorithm::ES256).unwrap().with_kid("k");
    let file = dir.path("bad.json");
    let tokens = json!({"tokens": [{
        "alg": "ES256", "kid": "k", "token": token,
        "public_jwk": other.public_key().to_jwk(), "claims": claims,
    }]});
    std::fs::write(&file, tokens.to_string()).unwrap();
    let out = Command::new("python3")
        .arg(script())
        .arg("verify")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 passed, 1 failed"));
}
