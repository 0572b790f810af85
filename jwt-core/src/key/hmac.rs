//! [`HmacKey`]: HS256, HS384 and HS512.

use std::fmt;

use super::backend::HmacState;
use super::{Jwk, SigningKey, VerifyingKey};
use crate::error::Excerpt;
use crate::{Algorithm, Error, ErrorKind};

/// An HMAC secret bound to one algorithm: HS256, HS384 or HS512 (RFC 7518 section 3.2).
///
/// It signs and verifies. The keyed HMAC state is computed once, here, and reused for
/// each token (by `hmac` and `sha2`, or by AWS-LC with the `aws-lc-rs` feature). `Debug` shows the algorithm and key id, never the secret.
///
/// ```
/// use jwt_core::{Algorithm, ErrorKind, HmacKey};
///
/// let key = HmacKey::hs256(b"a secret of at least thirty-two bytes!")?.with_kid("2026-11");
/// assert_eq!(key.algorithm(), Algorithm::HS256);
/// assert_eq!(HmacKey::hs512([0u8; 32]).unwrap_err().kind(), ErrorKind::InvalidKey);
/// # Ok::<(), jwt_core::Error>(())
/// ```
#[derive(Clone)]
pub struct HmacKey {
    mac: HmacState,
    kid: Option<String>,
}

impl HmacKey {
    /// An HS256 key; the secret must have at least 32 bytes.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when the secret is shorter, or is key material (see
    /// [`new`](HmacKey::new)).
    pub fn hs256(secret: impl AsRef<[u8]>) -> Result<HmacKey, Error> {
        HmacKey::new(Algorithm::HS256, secret.as_ref())
    }

    /// An HS384 key; the secret must have at least 48 bytes.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when the secret is shorter, or is key material (see
    /// [`new`](HmacKey::new)).
    pub fn hs384(secret: impl AsRef<[u8]>) -> Result<HmacKey, Error> {
        HmacKey::new(Algorithm::HS384, secret.as_ref())
    }

    /// An HS512 key; the secret must have at least 64 bytes.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when the secret is shorter, or is key material (see
    /// [`new`](HmacKey::new)).
    pub fn hs512(secret: impl AsRef<[u8]>) -> Result<HmacKey, Error> {
        HmacKey::new(Algorithm::HS512, secret.as_ref())
    }

    /// A key for `alg` (`HS256`, `HS384` or `HS512`), with a secret at least as long as
    /// the hash output, as RFC 7518 section 3.2 requires.
    ///
    /// A secret that is a PEM block with a base64 body (a public or private key, a
    /// certificate; at least 32 base64 characters) or an SSH public key line is refused:
    /// configured as an HMAC secret, an asymmetric key's public text would let anyone who
    /// has it sign tokens (`PyJWT`'s
    /// CVE-2022-29217). An empty PEM frame such as
    /// `-----BEGIN PRIVATE KEY----------END PRIVATE KEY-----` holds no key and is an
    /// ordinary secret.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when `alg` is not an HMAC algorithm, the secret is too
    /// short, or it is a PEM key or certificate or an SSH public key line.
    pub fn new(alg: Algorithm, secret: impl AsRef<[u8]>) -> Result<HmacKey, Error> {
        let secret = secret.as_ref();
        let minimum = minimum_secret_len(alg)?;
        if secret.len() < minimum {
            return Err(Error::new(
                ErrorKind::InvalidKey,
                format!(
                    "an {alg} secret needs at least {minimum} bytes (RFC 7518 section 3.2), \
                     this one has {}; to verify a legacy system's tokens with a shorter \
                     one, use HmacKey::insecure_short_secret",
                    secret.len()
                ),
            ));
        }
        HmacKey::keyed(alg, secret)
    }

    /// A key for `alg` from a secret written in base64: base64url (RFC 4648 section 5)
    /// or standard base64 (section 4), with or without padding, as secrets are often
    /// kept in configuration. The decoded bytes are held to [`new`](HmacKey::new)'s
    /// rules.
    ///
    /// ```
    /// use jwt_core::{Algorithm, HmacKey};
    ///
    /// let url = HmacKey::from_base64(Algorithm::HS256, "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY")?;
    /// let std = HmacKey::from_base64(Algorithm::HS256, "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")?;
    /// assert_eq!(url.algorithm(), std.algorithm());
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when the text is not base64 in either alphabet (the
    /// message never quotes it), or [`new`](HmacKey::new) refuses the secret.
    pub fn from_base64(alg: Algorithm, encoded: &str) -> Result<HmacKey, Error> {
        use base64::Engine as _;
        use base64::engine::DecodePaddingMode;
        use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};

        let lenient =
            GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
        let encoded = encoded.trim();
        let url = GeneralPurpose::new(&base64::alphabet::URL_SAFE, lenient);
        let standard = GeneralPurpose::new(&base64::alphabet::STANDARD, lenient);
        let secret = url
            .decode(encoded)
            .or_else(|_| standard.decode(encoded))
            .map_err(|_| {
                Error::new(
                    ErrorKind::InvalidKey,
                    "the HMAC secret is not base64 or base64url",
                )
            })?;
        HmacKey::new(alg, secret)
    }

    /// A key for `alg` that accepts a secret shorter than RFC 7518 allows, for verifying
    /// tokens of legacy systems. Short secrets can be brute-forced from a single token:
    /// do not sign new tokens with one. An empty secret is still refused.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when `alg` is not an HMAC algorithm, the secret is
    /// empty, or it is key material (see [`new`](HmacKey::new)).
    pub fn insecure_short_secret(
        alg: Algorithm,
        secret: impl AsRef<[u8]>,
    ) -> Result<HmacKey, Error> {
        let secret = secret.as_ref();
        minimum_secret_len(alg)?;
        if secret.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidKey,
                "an HMAC secret cannot be empty",
            ));
        }
        HmacKey::keyed(alg, secret)
    }

    /// A key from an `oct` JWK (RFC 7518 section 6.4) whose `alg` names HS256, HS384 or
    /// HS512; the secret is its `k`, held to the same rules as [`new`](HmacKey::new)'s.
    /// The key keeps the JWK's `kid`.
    ///
    /// ```
    /// use jwt_core::{Algorithm, HmacKey, Jwk};
    ///
    /// let jwk = Jwk::from_json(
    ///     r#"{"kty":"oct","alg":"HS256","kid":"k1","k":"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"}"#,
    /// )?;
    /// let key = HmacKey::from_jwk(&jwk)?;
    /// assert_eq!((key.algorithm(), key.kid()), (Algorithm::HS256, Some("k1")));
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when `kty` is not `oct`, `alg` is absent or not an HMAC
    /// algorithm, `use` is not `sig`, `key_ops` allows neither `sign` nor `verify`, `k` is
    /// absent or not strict base64url, or the secret is refused by [`new`](HmacKey::new).
    pub fn from_jwk(jwk: &Jwk) -> Result<HmacKey, Error> {
        let invalid = |message: String| Error::new(ErrorKind::InvalidKey, message);
        if jwk.kty() != "oct" {
            return Err(invalid(format!(
                "an HMAC key comes from an \"oct\" JWK, not {}",
                Excerpt(jwk.kty())
            )));
        }
        let alg = jwk
            .alg()
            .ok_or_else(|| invalid("the oct JWK names no `alg`; HMAC keys need one".into()))?;
        let alg = alg
            .parse::<Algorithm>()
            .ok()
            .filter(|alg| minimum_secret_len(*alg).is_ok())
            .ok_or_else(|| {
                invalid(format!(
                    "the oct JWK's alg {} is not HS256, HS384 or HS512",
                    Excerpt(alg)
                ))
            })?;
        if let Some(key_use) = jwk.key_use()
            && key_use != "sig"
        {
            return Err(invalid(format!(
                "the oct JWK's use is {}, not \"sig\"",
                Excerpt(key_use)
            )));
        }
        if let Some(ops) = jwk.key_ops()
            && !ops.iter().any(|op| *op == "sign" || *op == "verify")
        {
            return Err(invalid(
                "the oct JWK's key_ops include neither \"sign\" nor \"verify\"".into(),
            ));
        }
        let key = HmacKey::new(alg, jwk.bytes("k")?)?;
        Ok(match jwk.kid() {
            Some(kid) => key.with_kid(kid),
            None => key,
        })
    }

    fn keyed(alg: Algorithm, secret: &[u8]) -> Result<HmacKey, Error> {
        refuse_public_key_material(secret)?;
        minimum_secret_len(alg)?;
        Ok(HmacKey {
            mac: HmacState::new(alg, secret)?,
            kid: None,
        })
    }

    /// The same key with a key id, which [`encode`](crate::encode) writes into the header.
    #[must_use]
    pub fn with_kid(self, kid: impl Into<String>) -> HmacKey {
        HmacKey {
            kid: Some(kid.into()),
            ..self
        }
    }

    /// The algorithm the key is bound to.
    pub fn algorithm(&self) -> Algorithm {
        self.mac.algorithm()
    }

    /// The key id, if any.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }
}

/// Refuses a secret that is a PEM block with a base64 body (a public or private key, a
/// certificate) or an SSH public key line: a verifier configured with an asymmetric
/// key's text as an HMAC secret accepts tokens that anyone holding the public key
/// can sign (the algorithm confusion of `PyJWT`'s CVE-2022-29217). A PEM frame with
/// nothing inside, like the seed's secret (`-----BEGIN PRIVATE KEY-----` directly
/// followed by `-----END PRIVATE KEY-----`), is not key material and stays valid.
fn refuse_public_key_material(secret: &[u8]) -> Result<(), Error> {
    const SSH_KEY_TYPES: [&[u8]; 6] = [
        b"ssh-rsa",
        b"ssh-dss",
        b"ssh-ed25519",
        b"ssh-ed448",
        b"sk-ssh-ed25519@openssh.com",
        b"sk-ecdsa-sha2-nistp256@openssh.com",
    ];
    // A key file may carry a byte-order mark or explanatory text before its block (RFC
    // 7468 section 5.2), so every `-----BEGIN ` in the secret is looked at. Each body
    // ends at the next run of dashes, so that the search stays linear.
    let mut rest = secret;
    while let Some(at) = find(rest, b"-----BEGIN ") {
        let after_begin = rest.get(at + 11..).unwrap_or_default();
        let body = find(after_begin, b"-----")
            .and_then(|at| after_begin.get(at + 5..))
            .unwrap_or_default();
        let body = body
            .get(..find(body, b"-----").unwrap_or(body.len()))
            .unwrap_or_default();
        if is_base64_key_body(body) {
            return Err(Error::new(
                ErrorKind::InvalidKey,
                "the HMAC secret is a PEM block (a key or certificate); use an asymmetric \
                 key type for it, not an HMAC secret",
            ));
        }
        rest = after_begin;
    }
    let ssh_line = secret.split(|&byte| byte == b'\n').any(|line| {
        let line = line.trim_ascii_start();
        SSH_KEY_TYPES.iter().any(|key_type| {
            line.strip_prefix(*key_type)
                .is_some_and(|rest| rest.first().is_some_and(u8::is_ascii_whitespace))
        }) || line.starts_with(b"ecdsa-sha2-")
    });
    if ssh_line {
        return Err(Error::new(
            ErrorKind::InvalidKey,
            "the HMAC secret is an SSH public key line; use an asymmetric key type for it, \
             not an HMAC secret",
        ));
    }
    Ok(())
}

/// The fewest base64 characters that count as key material: 24 bytes, fewer than any DER
/// key or certificate holds (the smallest, an Ed25519 SPKI, takes 44 characters).
const MIN_KEY_BODY_CHARS: usize = 32;

/// Whether a PEM body is the base64 text (RFC 7468 section 3) that every key and
/// certificate is: only base64 characters and whitespace, at least
/// [`MIN_KEY_BODY_CHARS`] of them, once RFC 1421 header lines (`Proc-Type: ...`) are set
/// aside. A few other characters between the markers are a secret that merely looks
/// like PEM.
fn is_base64_key_body(body: &[u8]) -> bool {
    let mut chars = 0usize;
    for line in body.split(|&byte| byte == b'\n') {
        if line.contains(&b':') {
            continue;
        }
        for &byte in line {
            if byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/' | b'=') {
                chars += 1;
            } else if !byte.is_ascii_whitespace() {
                return false;
            }
        }
    }
    chars >= MIN_KEY_BODY_CHARS
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn minimum_secret_len(alg: Algorithm) -> Result<usize, Error> {
    match alg {
        Algorithm::HS256 => Ok(32),
        Algorithm::HS384 => Ok(48),
        Algorithm::HS512 => Ok(64),
        other => Err(not_hmac(other)),
    }
}

fn not_hmac(alg: Algorithm) -> Error {
    Error::new(
        ErrorKind::InvalidKey,
        format!("{alg} is not an HMAC algorithm; expected HS256, HS384 or HS512"),
    )
}

impl SigningKey for HmacKey {
    fn algorithm(&self) -> Algorithm {
        HmacKey::algorithm(self)
    }

    fn kid(&self) -> Option<&str> {
        HmacKey::kid(self)
    }

    fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>, Error> {
        Ok(self.mac.with_tag(signing_input, <[u8]>::to_vec))
    }

    fn sign_into(&self, signing_input: &[u8], out: &mut [u8]) -> Result<Option<usize>, Error> {
        Ok(self.mac.with_tag(signing_input, |tag| {
            out.get_mut(..tag.len())?.copy_from_slice(tag);
            Some(tag.len())
        }))
    }
}

impl VerifyingKey for HmacKey {
    fn algorithm(&self, _kid: Option<&str>) -> Result<Algorithm, Error> {
        Ok(HmacKey::algorithm(self))
    }

    fn verify(
        &self,
        _kid: Option<&str>,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        // The backend compares in constant time and refuses a tag of the wrong length.
        if self.mac.verify(signing_input, signature) {
            return Ok(());
        }
        Err(Error::new(
            ErrorKind::InvalidSignature,
            format!("the {} signature does not verify", self.algorithm()),
        ))
    }
}

impl fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacKey")
            .field("alg", &self.algorithm())
            .field("kid", &self.kid.as_deref().map(Excerpt))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_short_secret_error_names_the_constructor_for_legacy_secrets() {
        let error = HmacKey::hs256(b"short").unwrap_err();
        assert!(
            error.to_string().contains("HmacKey::insecure_short_secret"),
            "{error}"
        );
    }

    #[test]
    fn secrets_in_base64_or_base64url_with_or_without_padding_give_the_same_key() {
        use base64::Engine as _;
        use base64::engine::general_purpose::{
            STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
        };

        // 33 bytes whose encodings differ between the alphabets (`+/` against `-_`).
        let secret: Vec<u8> = (0..33u8).map(|i| i.wrapping_mul(0xfb)).collect();
        let expected = HmacKey::hs256(&secret).unwrap().sign(b"a.b").unwrap();
        for engine in [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD] {
            let encoded = engine.encode(&secret);
            let key = HmacKey::from_base64(Algorithm::HS256, &format!(" {encoded}\n")).unwrap();
            assert_eq!(key.sign(b"a.b").unwrap(), expected, "{encoded}");
        }
        for bad in ["not base64!", "abc$", "-+"] {
            let error = HmacKey::from_base64(Algorithm::HS256, bad).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidKey);
            assert!(!error.to_string().contains(bad), "{error}");
        }
        // Decoded, the secret is held to the same rules: 16 bytes are too few.
        let short = HmacKey::from_base64(Algorithm::HS256, "MDEyMzQ1Njc4OWFiY2RlZg");
        assert_eq!(short.unwrap_err().kind(), ErrorKind::InvalidKey);
    }

    #[test]
    fn secrets_shorter_than_the_hash_are_refused() {
        assert!(HmacKey::hs256([1; 32]).is_ok());
        assert_eq!(
            HmacKey::hs256([1; 31]).unwrap_err().kind(),
            ErrorKind::InvalidKey
        );
        assert!(HmacKey::hs384([1; 48]).is_ok());
        assert_eq!(
            HmacKey::hs384([1; 47]).unwrap_err().kind(),
            ErrorKind::InvalidKey
        );
        assert!(HmacKey::hs512([1; 64]).is_ok());
        assert_eq!(
            HmacKey::hs512([1; 63]).unwrap_err().kind(),
            ErrorKind::InvalidKey
        );
    }

    #[test]
    fn short_secrets_need_the_insecure_constructor_and_empty_ones_never_work() {
        let key = HmacKey::insecure_short_secret(Algorithm::HS256, b"secret").unwrap();
        assert_eq!(key.algorithm(), Algorithm::HS256);
        let empty = HmacKey::insecure_short_secret(Algorithm::HS256, b"");
        assert_eq!(empty.unwrap_err().kind(), ErrorKind::InvalidKey);
        let not_hmac = HmacKey::insecure_short_secret(Algorithm::RS256, b"secret");
        assert_eq!(not_hmac.unwrap_err().kind(), ErrorKind::InvalidKey);
    }

    #[test]
    fn pem_blocks_with_a_body_are_refused_as_secrets() {
        let public = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";
        let certificate = "  -----BEGIN CERTIFICATE-----\r\nMIIBszCCAVmgAwIBAgIUZ8\r\nQ4Hx0ybdA2rlvdWqT0b3sXAbEw\r\n-----END CERTIFICATE-----";
        let cut_short = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0123456789abcdefghijklmn";
        let legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123\n\nMIIEowIBAAKCAQEA0123456789abcdefghijklmn\n-----END RSA PRIVATE KEY-----";
        for secret in [public, certificate, cut_short, legacy] {
            for alg in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
                let err = HmacKey::insecure_short_secret(alg, secret).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::InvalidKey, "{secret}");
                assert!(err.to_string().contains("PEM"), "{err}");
            }
        }
        assert_eq!(
            HmacKey::hs256(public).unwrap_err().kind(),
            ErrorKind::InvalidKey
        );
    }

    #[test]
    fn the_seeds_empty_pem_frame_stays_a_valid_secret() {
        let key = HmacKey::hs256(b"-----BEGIN PRIVATE KEY----------END PRIVATE KEY-----");
        assert_eq!(key.unwrap().algorithm(), Algorithm::HS256);
        assert!(HmacKey::hs256(b"-----BEGIN X-----\n \n-----END X----- padding..").is_ok());
        assert!(HmacKey::hs256(b"a secret that mentions -----BEGIN in the middle").is_ok());
        // Text between the markers that is no base64 key is an ordinary secret.
        assert!(
            HmacKey::hs256("-----BEGIN PRIVATE KEY-----xxxxx-----END PRIVATE KEY-----").is_ok()
        );
        assert!(
            HmacKey::hs256("-----BEGIN X-----\nnot a key, just words!\n-----END X-----").is_ok()
        );
    }

    #[test]
    fn ssh_public_key_lines_are_refused_as_secrets() {
        for secret in [
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@host",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
            "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEf",
        ] {
            let err = HmacKey::hs256(secret).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidKey, "{secret}");
            assert!(err.to_string().contains("SSH"), "{err}");
        }
        assert!(HmacKey::hs256(b"ssh-rsa-is-not-followed-by-a-space-here-so-fine").is_ok());
    }

    fn jwk(json: &str) -> Jwk {
        Jwk::from_json(json).unwrap()
    }

    const K32: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY";

    #[test]
    fn an_oct_jwk_gives_the_key_of_its_alg() {
        let key = HmacKey::from_jwk(&jwk(&format!(
            r#"{{"kty":"oct","alg":"HS256","kid":"k","use":"sig","key_ops":["sign","verify"],"k":"{K32}"}}"#
        )))
        .unwrap();
        assert_eq!((key.algorithm(), key.kid()), (Algorithm::HS256, Some("k")));
        let same = HmacKey::hs256(b"0123456789abcdef0123456789abcdef").unwrap();
        assert_eq!(key.sign(b"a.b").unwrap(), same.sign(b"a.b").unwrap());
    }

    #[test]
    fn oct_jwks_that_cannot_be_hmac_keys_are_refused() {
        for (json, why) in [
            (
                format!(r#"{{"kty":"EC","alg":"HS256","k":"{K32}"}}"#),
                "oct",
            ),
            (format!(r#"{{"kty":"oct","k":"{K32}"}}"#), "no `alg`"),
            (
                format!(r#"{{"kty":"oct","alg":"RS256","k":"{K32}"}}"#),
                "RS256",
            ),
            (
                format!(r#"{{"kty":"oct","alg":"hs256","k":"{K32}"}}"#),
                "hs256",
            ),
            (
                format!(r#"{{"kty":"oct","alg":"HS256","use":"enc","k":"{K32}"}}"#),
                "enc",
            ),
            (
                format!(r#"{{"kty":"oct","alg":"HS256","key_ops":["encrypt"],"k":"{K32}"}}"#),
                "key_ops",
            ),
            (r#"{"kty":"oct","alg":"HS256"}"#.to_owned(), "no `k`"),
            (
                r#"{"kty":"oct","alg":"HS256","k":"a+b/"}"#.to_owned(),
                "base64url",
            ),
            (
                format!(r#"{{"kty":"oct","alg":"HS384","k":"{K32}"}}"#),
                "48 bytes",
            ),
        ] {
            let err = HmacKey::from_jwk(&jwk(&json)).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidKey, "{json}");
            assert!(err.to_string().contains(why), "{err} for {json}");
        }
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let key = HmacKey::hs256(b"0123456789abcdef0123456789abcdef")
            .unwrap()
            .with_kid("k");
        let debug = format!("{key:?}");
        assert!(
            debug.contains("HS256") && debug.contains("\"k\""),
            "{debug}"
        );
        assert!(!debug.contains("0123456789"), "{debug}");
    }

    #[test]
    fn signatures_verify_only_unchanged() {
        let key = HmacKey::hs384([9; 48]).unwrap();
        let signature = key.sign(b"a.b").unwrap();
        assert_eq!(signature.len(), 48);
        assert!(key.verify(None, b"a.b", &signature).is_ok());
        assert!(key.verify(None, b"a.c", &signature).is_err());
        assert!(key.verify(None, b"a.b", &signature[..47]).is_err());
    }

    #[test]
    fn signing_into_a_buffer_writes_what_sign_returns() {
        for key in [
            HmacKey::hs256([1; 32]).unwrap(),
            HmacKey::hs384([2; 48]).unwrap(),
            HmacKey::hs512([3; 64]).unwrap(),
        ] {
            let signature = key.sign(b"a.b").unwrap();
            let mut out = [0; 64];
            assert_eq!(
                key.sign_into(b"a.b", &mut out).unwrap(),
                Some(signature.len())
            );
            assert_eq!(&out[..signature.len()], signature);
            let mut short = vec![0; signature.len() - 1];
            assert_eq!(key.sign_into(b"a.b", &mut short).unwrap(), None);
        }
    }
}
