//! Helpers of the asymmetric-key tests: reading the published vectors, hex and base64url,
//! and the few DER structures (PKCS#1, SEC1, PKCS#8 for Ed25519) that turn a published
//! private JWK into a PEM or DER that `KeyPair` reads. Each test file that needs them
//! includes this file as a module; not every file uses every helper.
#![allow(dead_code)]

use std::cell::Cell;
use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jwt_core::{Algorithm, Error, Jwk, VerifyingKey};
use serde_json::Value;

/// The JSON of `tests/vectors/<path>`.
///
/// # Panics
///
/// When the file is missing or is not JSON.
pub fn vector(path: &str) -> Value {
    let full: PathBuf = [env!("CARGO_MANIFEST_DIR"), "vectors", path]
        .iter()
        .collect();
    let text = std::fs::read_to_string(&full)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", full.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", full.display()))
}

/// The bytes of a hex string.
///
/// # Panics
///
/// On an odd length or a non-hex digit.
pub fn hex(text: &str) -> Vec<u8> {
    assert!(text.len().is_multiple_of(2), "odd hex length: {text}");
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&text[at..at + 2], 16).expect("a hex digit pair"))
        .collect()
}

/// The bytes of unpadded base64url.
///
/// # Panics
///
/// When `text` is not strict unpadded base64url.
pub fn unb64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(text)
        .unwrap_or_else(|error| panic!("not base64url ({error}): {text}"))
}

/// Unpadded base64url.
pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A string member of a JSON object.
///
/// # Panics
///
/// When it is absent or not a string.
pub fn str_of<'a>(value: &'a Value, member: &str) -> &'a str {
    value[member]
        .as_str()
        .unwrap_or_else(|| panic!("no string {member} in {value}"))
}

/// The DER inside a PEM block (its base64 body).
///
/// # Panics
///
/// When the body is not base64.
pub fn pem_to_der(pem: &str) -> Vec<u8> {
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    STANDARD.decode(body.trim()).expect("a base64 PEM body")
}

/// A PEM block of `label` around `der`, 64 characters a line.
pub fn der_to_pem(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(chunk).expect("base64 is ASCII"));
        pem.push('\n');
    }
    pem.push_str("-----END ");
    pem.push_str(label);
    pem.push_str("-----\n");
    pem
}

/// A DER length.
fn der_len(len: usize) -> Vec<u8> {
    if len < 0x80 {
        vec![u8::try_from(len).expect("below 0x80")]
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        let mut out = vec![0x80 | u8::try_from(bytes.len()).expect("a short length")];
        out.extend(bytes);
        out
    }
}

/// A DER TLV.
pub fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    out.extend(der_len(content.len()));
    out.extend_from_slice(content);
    out
}

/// A DER INTEGER holding the unsigned big-endian `magnitude`.
pub fn der_uint(magnitude: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = magnitude.iter().copied().skip_while(|b| *b == 0).collect();
    let mut content = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.first().is_none_or(|b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend(trimmed);
    der(0x02, &content)
}

/// A DER SEQUENCE of the concatenated `items`.
pub fn der_sequence(items: &[Vec<u8>]) -> Vec<u8> {
    der(0x30, &items.concat())
}

/// A PKCS#1 `RSA PRIVATE KEY` PEM made of an RSA private JWK's members (RFC 8017 A.1.2).
pub fn rsa_private_pem_from_jwk(jwk: &Value) -> String {
    let mut items = vec![der_uint(&[0])];
    for member in ["n", "e", "d", "p", "q", "dp", "dq", "qi"] {
        items.push(der_uint(&unb64(str_of(jwk, member))));
    }
    der_to_pem("RSA PRIVATE KEY", &der_sequence(&items))
}

/// A SEC1 `EC PRIVATE KEY` PEM made of an EC private JWK's members (RFC 5915).
pub fn ec_private_pem_from_jwk(jwk: &Value) -> String {
    // OIDs of the named curves, DER-encoded (RFC 5480 section 2.1.1.1).
    let oid: &[u8] = match str_of(jwk, "crv") {
        "P-256" => &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
        "P-384" => &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22],
        "P-521" => &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23],
        other => panic!("no OID for {other}"),
    };
    let mut point = vec![0x00, 0x04];
    point.extend(unb64(str_of(jwk, "x")));
    point.extend(unb64(str_of(jwk, "y")));
    let key = der_sequence(&[
        der_uint(&[1]),
        der(0x04, &unb64(str_of(jwk, "d"))),
        der(0xa0, oid),
        der(0xa1, &der(0x03, &point)),
    ]);
    der_to_pem("EC PRIVATE KEY", &key)
}

/// The PKCS#8 DER of an Ed25519 private key (RFC 8410 section 7) of a 32-byte seed.
pub fn ed25519_pkcs8(seed: &[u8]) -> Vec<u8> {
    assert_eq!(seed.len(), 32, "an Ed25519 seed has 32 bytes");
    let algorithm = der_sequence(&[vec![0x06, 0x03, 0x2b, 0x65, 0x70]]);
    der_sequence(&[der_uint(&[0]), algorithm, der(0x04, &der(0x04, seed))])
}

/// The private members of a JWK (RFC 7518 section 6), which a public key never carries.
pub const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// `jwk` without its private members, as a [`Jwk`].
///
/// # Panics
///
/// When the rest is not a JWK that deserializes.
pub fn public_jwk(jwk: &Value) -> Jwk {
    let mut public = jwk.clone();
    let object = public.as_object_mut().expect("a JWK is a JSON object");
    for member in PRIVATE_MEMBERS {
        object.remove(member);
    }
    serde_json::from_value(public).unwrap_or_else(|error| panic!("{jwk}: {error}"))
}

/// `jwk` as it is, as a [`Jwk`].
///
/// # Panics
///
/// When it does not deserialize.
pub fn jwk(jwk: &Value) -> Jwk {
    serde_json::from_value(jwk.clone()).unwrap_or_else(|error| panic!("{jwk}: {error}"))
}

/// A verifying key that records what the key it wraps answered to `verify`, so that a
/// test decoding a whole compact token through the library's own decode path can tell
/// whether the signature was accepted even when the payload is not a JSON object and the
/// decode fails after the signature check.
pub struct Spy<'k, K: VerifyingKey + ?Sized> {
    key: &'k K,
    verified: Cell<Option<bool>>,
}

impl<'k, K: VerifyingKey + ?Sized> Spy<'k, K> {
    /// Wraps `key`.
    pub fn new(key: &'k K) -> Self {
        Spy {
            key,
            verified: Cell::new(None),
        }
    }

    /// `Some(true)` when `verify` was called and accepted, `Some(false)` when it refused,
    /// `None` when decoding refused the token before the signature was checked.
    pub fn verified(&self) -> Option<bool> {
        self.verified.get()
    }
}

impl<K: VerifyingKey + ?Sized> VerifyingKey for Spy<'_, K> {
    fn algorithm(&self, kid: Option<&str>) -> Result<Algorithm, Error> {
        self.key.algorithm(kid)
    }

    fn verify(
        &self,
        kid: Option<&str>,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        let result = self.key.verify(kid, signing_input, signature);
        self.verified.set(Some(result.is_ok()));
        result
    }
}

/// Whether the library's decode path accepts the compact `token` under `key`, up to the
/// claims: the token is decoded as untyped claims, and accepted when its signature was
/// checked and verified and its payload segment is strict base64url. (Its payload need not
/// be a JSON object: the published JWS vectors sign text, which the decode refuses after
/// the signature check.) A verified token whose payload is not strict base64url must be
/// refused as `Malformed`, and is not accepted.
///
/// # Panics
///
/// When a token is decoded without a signature check, or a verified token with a broken
/// payload segment is refused for another reason.
pub fn signature_accepted<K: VerifyingKey + ?Sized>(token: &str, key: &K) -> bool {
    let spy = Spy::new(key);
    let validation = jwt_core::Validation::new()
        .at(jwt_core::NumericDate::from_secs(1))
        .max_token_len(1 << 20);
    let result = jwt_core::decode_with::<serde_json::Map<String, Value>>(token, &spy, &validation);
    if spy.verified() == Some(true) {
        let payload = token.split('.').nth(1).unwrap_or_default();
        if URL_SAFE_NO_PAD.decode(payload).is_ok() {
            return true;
        }
        let kind = result.as_ref().map_err(Error::kind).err();
        assert_eq!(kind, Some(jwt_core::ErrorKind::Malformed), "{token}");
    } else {
        assert!(result.is_err(), "{token} decoded without a signature check");
    }
    false
}
