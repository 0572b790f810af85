//! [`Algorithm`]: the JOSE signature algorithms, by their registered names.

use std::fmt;
use std::str::FromStr;

use crate::error::Excerpt;
use crate::{Error, ErrorKind};

/// A JWS signature algorithm (RFC 7518 section 3.1, and RFC 8037 for `EdDSA`).
///
/// Displays and parses as its JOSE name; names are case-sensitive, and `none` is not an
/// algorithm here. HMAC keys ([`HmacKey`](crate::HmacKey)) are in every build; the RSA,
/// ECDSA and `EdDSA` keys (`PublicKey`, `KeyPair`) need the cargo features `rsa`, `ecdsa`
/// and `eddsa`.
///
/// ```
/// use jwt_core::Algorithm;
/// assert_eq!(Algorithm::HS256.to_string(), "HS256");
/// assert_eq!("HS512".parse::<Algorithm>().unwrap(), Algorithm::HS512);
/// assert!("hs256".parse::<Algorithm>().is_err());
/// assert!("none".parse::<Algorithm>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[allow(clippy::upper_case_acronyms)]
pub enum Algorithm {
    /// HMAC with SHA-256.
    HS256,
    /// HMAC with SHA-384.
    HS384,
    /// HMAC with SHA-512.
    HS512,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256.
    PS256,
    /// RSASSA-PSS with SHA-384.
    PS384,
    /// RSASSA-PSS with SHA-512.
    PS512,
    /// ECDSA with P-256 and SHA-256.
    ES256,
    /// ECDSA with P-384 and SHA-384.
    ES384,
    /// ECDSA with P-521 and SHA-512.
    ES512,
    /// `EdDSA` with Ed25519 (RFC 8037).
    EdDSA,
}

impl Algorithm {
    /// Every algorithm, in the order of RFC 7518's table.
    pub const ALL: [Algorithm; 13] = [
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::EdDSA,
    ];

    /// The JOSE name, as the header's `alg` carries it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            Algorithm::PS256 => "PS256",
            Algorithm::PS384 => "PS384",
            Algorithm::PS512 => "PS512",
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::ES512 => "ES512",
            Algorithm::EdDSA => "EdDSA",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Algorithm {
    type Err = Error;

    /// Parses a JOSE name exactly (case-sensitive); `none` and unknown names are refused
    /// with [`ErrorKind::AlgorithmMismatch`].
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Algorithm::ALL
            .into_iter()
            .find(|alg| alg.as_str() == name)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::AlgorithmMismatch,
                    format!("unsupported algorithm {}", Excerpt(name)),
                )
            })
    }
}

impl serde::Serialize for Algorithm {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
