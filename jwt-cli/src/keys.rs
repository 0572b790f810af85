//! Keys: where they are read from and how each algorithm family turns the bytes into a
//! jwt-core key.
//!
//! A key is never taken from the command line itself, where other users (`ps`) and the
//! shell history would see it: only from a file or an environment variable. Each family
//! has one place below; the asymmetric ones will read PEM (`KeyPair::from_pem` to sign,
//! `PublicKey::from_pem` to verify) once jwt-core has those types.

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

/// The refusal for an algorithm whose keys this version cannot load.
fn not_yet(alg: Algorithm) -> Failure {
    Failure::usage(format!(
        "{alg} needs a PEM key, which this version of jwt cannot load yet; \
         use HS256, HS384 or HS512 with a shared secret"
    ))
}

/// A key that signs with `alg`, read from `source`; `kid` is written into the header.
pub fn signing_key(alg: Algorithm, source: &KeySource) -> Result<Box<dyn SigningKey>, Failure> {
    match family(alg) {
        Family::Hmac => Ok(Box::new(hmac_key(alg, source)?)),
        Family::Asymmetric => Err(not_yet(alg)),
    }
}

/// A key that verifies tokens signed with `alg`, read from `source`.
pub fn verifying_key(alg: Algorithm, source: &KeySource) -> Result<Box<dyn VerifyingKey>, Failure> {
    match family(alg) {
        Family::Hmac => Ok(Box::new(hmac_key(alg, source)?)),
        Family::Asymmetric => Err(not_yet(alg)),
    }
}

fn hmac_key(alg: Algorithm, source: &KeySource) -> Result<HmacKey, Failure> {
    let secret = source.read()?;
    HmacKey::new(alg, &secret).map_err(|error| Failure::key(&error, &source.origin()))
}
