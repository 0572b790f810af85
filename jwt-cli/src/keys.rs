//! Keys: where they are read from and how each algorithm family turns the bytes into a
//! jwt-core key.
//!
//! A key is never taken from the command line itself, where other users (`ps`) and the
//! shell history would see it: only from a file or an environment variable. Each family
//! has one place below: HMAC takes the raw secret; the asymmetric ones read PEM
//! (`KeyPair::from_pem` to sign; `PublicKey::from_pem`, or a private key's public half,
//! to verify) when `jwt` is built with the `rustcrypto` or `aws-lc-rs` feature.

use std::path::PathBuf;

use jwt_core::{Algorithm, HmacKey, SigningKey, VerifyingKey};

use crate::failure::Failure;

/// Where a key is read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// A file, used byte for byte.
    File(PathBuf),
    /// An environment variable.
    Env(String),
}

impl KeySource {
    /// The key's bytes. A missing or unreadable file, a missing variable or an empty key
    /// is a usage error; the message names the source, never its content.
    fn read(&self) -> Result<Vec<u8>, Failure> {
        let bytes = match self {
            KeySource::File(path) => std::fs::read(path).map_err(|error| {
                Failure::usage(format!(
                    "cannot read the key file {}: {error}",
                    path.display()
                ))
            })?,
            KeySource::Env(name) => match std::env::var_os(name) {
                Some(value) => value.into_encoded_bytes(),
                None => {
                    return Err(Failure::usage(format!(
                        "the environment variable {name} given by --key-env is not set"
                    )));
                }
            },
        };
        if bytes.is_empty() {
            return Err(Failure::usage(format!(
                "the key {} is empty",
                self.origin()
            )));
        }
        Ok(bytes)
    }

    /// Where the key came from, for messages: `in file PATH`, `in $VAR`.
    fn origin(&self) -> String {
        match self {
            KeySource::File(path) => format!("in file {}", path.display()),
            KeySource::Env(name) => format!("in ${name}"),
        }
    }
}

/// The kind of key an algorithm needs.
enum Family {
    /// HS256, HS384, HS512: a shared secret, as raw bytes.
    Hmac,
    /// RS*, PS*, ES*, `EdDSA`: a PEM key pair to sign, a PEM public key to verify.
    Asymmetric,
}

fn family(alg: Algorithm) -> Family {
    match alg {
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => Family::Hmac,
        _ => Family::Asymmetric,
    }
}

/// A key that signs with `alg`, read from `source`; `kid` is written into the header.
pub fn signing_key(alg: Algorithm, source: &KeySource) -> Result<Box<dyn SigningKey>, Failure> {
    match family(alg) {
        Family::Hmac => Ok(Box::new(hmac_key(alg, source)?)),
        Family::Asymmetric => asymmetric::signing_key(alg, source),
    }
}

/// A key that verifies tokens signed with `alg`, read from `source`.
pub fn verifying_key(alg: Algorithm, source: &KeySource) -> Result<Box<dyn VerifyingKey>, Failure> {
    match family(alg) {
        Family::Hmac => Ok(Box::new(hmac_key(alg, source)?)),
        Family::Asymmetric => asymmetric::verifying_key(alg, source),
    }
}

fn hmac_key(alg: Algorithm, source: &KeySource) -> Result<HmacKey, Failure> {
    let secret = source.read()?;
    HmacKey::new(alg, &secret).map_err(|error| Failure::key(&error, &source.origin()))
}

/// PEM keys, with an asymmetric backend.
#[cfg(any(feature = "rustcrypto", feature = "aws-lc-rs"))]
mod asymmetric {
    use jwt_core::{Algorithm, KeyPair, PublicKey, SigningKey, VerifyingKey};

    use super::KeySource;
    use crate::failure::Failure;

    fn pem(source: &KeySource) -> Result<String, Failure> {
        String::from_utf8(source.read()?)
            .map_err(|_| Failure::usage(format!("the key {} is not PEM text", source.origin())))
    }

    /// A private key (PKCS#8, or PKCS#1 for RSA, SEC1 for EC).
    pub fn signing_key(alg: Algorithm, source: &KeySource) -> Result<Box<dyn SigningKey>, Failure> {
        let key = KeyPair::from_pem(alg, &pem(source)?)
            .map_err(|error| Failure::key(&error, &source.origin()))?;
        Ok(Box::new(key))
    }

    /// A public key (SPKI, or PKCS#1 for RSA), or the public half of a private key.
    pub fn verifying_key(
        alg: Algorithm,
        source: &KeySource,
    ) -> Result<Box<dyn VerifyingKey>, Failure> {
        let text = pem(source)?;
        let key = if text.contains("PRIVATE KEY-----") {
            KeyPair::from_pem(alg, &text).map(|pair| pair.public_key())
        } else {
            PublicKey::from_pem(alg, &text)
        };
        Ok(Box::new(
            key.map_err(|error| Failure::key(&error, &source.origin()))?,
        ))
    }
}

/// Without an asymmetric backend: a clear refusal.
#[cfg(not(any(feature = "rustcrypto", feature = "aws-lc-rs")))]
mod asymmetric {
    use jwt_core::{Algorithm, SigningKey, VerifyingKey};

    use super::KeySource;
    use crate::failure::Failure;

    fn not_built(alg: Algorithm) -> Failure {
        Failure::usage(format!(
            "{alg} needs a PEM key, which this build of jwt cannot load; build it with \
             `--features rustcrypto` (or `aws-lc-rs`), or use HS256, HS384 or HS512"
        ))
    }

    pub fn signing_key(
        alg: Algorithm,
        _source: &KeySource,
    ) -> Result<Box<dyn SigningKey>, Failure> {
        Err(not_built(alg))
    }

    pub fn verifying_key(
        alg: Algorithm,
        _source: &KeySource,
    ) -> Result<Box<dyn VerifyingKey>, Failure> {
        Err(not_built(alg))
    }
}
