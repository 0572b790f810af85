//! [`PublicKey`] and [`KeyPair`]: one key of any asymmetric family, bound to one
//! algorithm, read from PEM, DER or a JWK. This file dispatches to the families
//! (`rsa.rs`, `ecdsa.rs`, `eddsa.rs`); the `cfg`s that say which exist stand on the
//! variants of [`Family`] and nowhere else here.

use std::fmt;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::pem::{self, KeyKind};
use super::{Jwk, SigningKey, VerifyingKey};
use crate::base64url;
use crate::error::Excerpt;
use crate::{Algorithm, Error, ErrorKind};

#[cfg(jwt_ecdsa)]
use super::ecdsa::{EcPrivate, EcPublic};
#[cfg(jwt_eddsa)]
use super::eddsa::{EdPrivate, EdPublic};
#[cfg(jwt_rsa)]
use super::rsa::{RsaPrivate, RsaPublic};

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidKey, message)
}

/// The unpadded base64url text of `bytes`.
pub(crate) fn base64url_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(base64url::encoded_len(bytes.len()));
    base64url::encode_into(bytes, &mut out);
    out
}

/// The families this build computes.
#[derive(Clone, Copy)]
enum Family {
    #[cfg(jwt_rsa)]
    Rsa,
    #[cfg(jwt_ecdsa)]
    Ecdsa,
    #[cfg(jwt_eddsa)]
    Eddsa,
}

impl Family {
    /// The family of an asymmetric algorithm, when this build has it.
    fn of(alg: Algorithm) -> Result<Family, Error> {
        match KeyKind::for_alg(alg) {
            #[cfg(jwt_rsa)]
            Some(KeyKind::Rsa) => Ok(Family::Rsa),
            #[cfg(not(jwt_rsa))]
            Some(KeyKind::Rsa) => Err(missing_feature(alg, "rsa")),
            #[cfg(jwt_ecdsa)]
            Some(KeyKind::Ec(_)) => Ok(Family::Ecdsa),
            #[cfg(not(jwt_ecdsa))]
            Some(KeyKind::Ec(_)) => Err(missing_feature(alg, "ecdsa")),
            #[cfg(jwt_eddsa)]
            Some(KeyKind::Ed25519) => Ok(Family::Eddsa),
            #[cfg(not(jwt_eddsa))]
            Some(KeyKind::Ed25519) => Err(missing_feature(alg, "eddsa")),
            None => Err(invalid(format!(
                "{alg} is an HMAC algorithm; use HmacKey for it"
            ))),
        }
    }
}

/// The refusal of an algorithm whose family this build leaves out.
#[cfg_attr(all(jwt_rsa, jwt_ecdsa, jwt_eddsa), allow(dead_code))]
fn missing_feature(alg: Algorithm, feature: &str) -> Error {
    invalid(format!(
        "{alg} needs the `{feature}` feature of jwt-core, which this build does not enable"
    ))
}

/// A prepared public key of one family.
#[derive(Clone)]
enum PublicMaterial {
    #[cfg(jwt_rsa)]
    Rsa(RsaPublic),
    #[cfg(jwt_ecdsa)]
    Ecdsa(EcPublic),
    #[cfg(jwt_eddsa)]
    Eddsa(EdPublic),
}

impl PublicMaterial {
    /// Reads the key inside an SPKI (or, for RSA, a PKCS#1 `RSAPublicKey` when `kind`
    /// says so), checked to fit `alg`.
    fn from_encoded(alg: Algorithm, kind: KeyKind, key: &[u8]) -> Result<Self, Error> {
        let family = Family::of(alg)?;
        kind.check_fits(alg)?;
        Ok(match family {
            #[cfg(jwt_rsa)]
            Family::Rsa => PublicMaterial::Rsa(RsaPublic::from_pkcs1_der(alg, key)?),
            #[cfg(jwt_ecdsa)]
            Family::Ecdsa => PublicMaterial::Ecdsa(EcPublic::from_sec1(alg, key)?),
            #[cfg(jwt_eddsa)]
            Family::Eddsa => PublicMaterial::Eddsa(EdPublic::from_bytes(key)?),
        })
    }

    #[cfg_attr(not(any(jwt_rsa, jwt_ecdsa)), allow(unused_variables))]
    fn from_jwk(alg: Algorithm, family: Family, jwk: &Jwk) -> Result<Self, Error> {
        Ok(match family {
            #[cfg(jwt_rsa)]
            Family::Rsa => PublicMaterial::Rsa(RsaPublic::from_jwk(alg, jwk)?),
            #[cfg(jwt_ecdsa)]
            Family::Ecdsa => PublicMaterial::Ecdsa(EcPublic::from_jwk(alg, jwk)?),
            #[cfg(jwt_eddsa)]
            Family::Eddsa => PublicMaterial::Eddsa(EdPublic::from_jwk(jwk)?),
        })
    }

    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), Error> {
        match self {
            #[cfg(jwt_rsa)]
            PublicMaterial::Rsa(key) => key.verify(message, signature),
            #[cfg(jwt_ecdsa)]
            PublicMaterial::Ecdsa(key) => key.verify(message, signature),
            #[cfg(jwt_eddsa)]
            PublicMaterial::Eddsa(key) => key.verify(message, signature),
        }
    }

    /// The key type and the members that RFC 7638 hashes, in its (lexicographic) order.
    fn jwk_members(&self) -> (&'static str, Vec<(&'static str, String)>) {
        match self {
            #[cfg(jwt_rsa)]
            PublicMaterial::Rsa(key) => key.jwk_members(),
            #[cfg(jwt_ecdsa)]
            PublicMaterial::Ecdsa(key) => key.jwk_members(),
            #[cfg(jwt_eddsa)]
            PublicMaterial::Eddsa(key) => key.jwk_members(),
        }
    }

    /// The RFC 7638 thumbprint: SHA-256 over the required members, lexicographically
    /// ordered, with no whitespace; base64url.
    fn thumbprint(&self) -> String {
        let (kty, mut members) = self.jwk_members();
        members.push(("kty", kty.to_owned()));
        members.sort_by_key(|(name, _)| *name);
        let mut json = String::from("{");
        for (i, (name, value)) in members.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            // Names and values are ASCII without quotes or backslashes (base64url and
            // curve names), so they need no escaping.
            json.push('"');
            json.push_str(name);
            json.push_str("\":\"");
            json.push_str(value);
            json.push('"');
        }
        json.push('}');
        base64url_string(&Sha256::digest(json.as_bytes()))
    }
}

/// Why a JWK cannot become a key: unusable here (left out of a set), or malformed
/// (refuses the whole set).
pub(crate) enum JwkRefusal {
    /// The key is well formed but not for verifying with this build: its `use`,
    /// `key_ops`, `kty`, `crv` or `alg`, or a family this build lacks.
    Unusable(String),
    /// The key's members are broken.
    Malformed(Error),
}

impl From<JwkRefusal> for Error {
    fn from(refusal: JwkRefusal) -> Error {
        match refusal {
            JwkRefusal::Unusable(reason) => invalid(format!("the JWK cannot be used: {reason}")),
            JwkRefusal::Malformed(error) => error,
        }
    }
}

/// The algorithm and family a JWK is for, or why it cannot verify here.
fn jwk_algorithm(jwk: &Jwk) -> Result<(Algorithm, Family), JwkRefusal> {
    let unusable = |reason: String| Err(JwkRefusal::Unusable(reason));
    let malformed = |message: String| Err(JwkRefusal::Malformed(invalid(message)));
    let kind = match jwk.kty() {
        "RSA" => KeyKind::Rsa,
        "EC" => match jwk.crv() {
            Some("P-256") => KeyKind::Ec(Algorithm::ES256),
            Some("P-384") => KeyKind::Ec(Algorithm::ES384),
            Some("P-521") => KeyKind::Ec(Algorithm::ES512),
            Some(other) => return unusable(format!("unknown EC curve {}", Excerpt(other))),
            None => return malformed("the EC JWK has no `crv`".into()),
        },
        "OKP" => match jwk.crv() {
            Some("Ed25519") => KeyKind::Ed25519,
            Some(other) => {
                return unusable(format!("OKP curve {} is not for EdDSA", Excerpt(other)));
            }
            None => return malformed("the OKP JWK has no `crv`".into()),
        },
        "oct" => {
            return unusable(
                "an oct key is a shared secret, not a public key (see HmacKey::from_jwk)".into(),
            );
        }
        other => return unusable(format!("unknown kty {}", Excerpt(other))),
    };
    if let Some(reason) = jwk.unfit_for_verifying() {
        return unusable(reason);
    }
    let alg = match jwk.alg() {
        Some(name) => {
            let Ok(alg) = name.parse::<Algorithm>() else {
                return unusable(format!("unknown alg {}", Excerpt(name)));
            };
            if kind.check_fits(alg).is_err() {
                return unusable(format!("{kind} key cannot be used for {alg}"));
            }
            alg
        }
        // Identity providers that omit `alg` on RSA keys mean RS256.
        None => match kind {
            KeyKind::Rsa => Algorithm::RS256,
            KeyKind::Ec(alg) => alg,
            KeyKind::Ed25519 => Algorithm::EdDSA,
        },
    };
    match Family::of(alg) {
        Ok(family) => Ok((alg, family)),
        Err(error) => unusable(error.to_string()),
    }
}

/// A public key bound to one algorithm (RS*, PS*, ES* or `EdDSA`): it verifies tokens.
///
/// The key is parsed and prepared once, here, never per token. Read one from PEM
/// ([`from_pem`](PublicKey::from_pem)), DER ([`from_der`](PublicKey::from_der)) or a JWK
/// ([`from_jwk`](PublicKey::from_jwk)), or take it from a [`KeyPair`]. Its `Debug` shows
/// the algorithm, the key id and the RFC 7638 thumbprint.
///
/// RSA moduli must have 2048 to 8192 bits; EC points must lie on the algorithm's curve;
/// Ed25519 keys of small order are refused.
///
/// ```
/// # #[cfg(any(feature = "eddsa", feature = "aws-lc-rs"))] {
/// use jwt_core::{Algorithm, PublicKey};
///
/// let pem = "-----BEGIN PUBLIC KEY-----
/// MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=
/// -----END PUBLIC KEY-----";
/// let key = PublicKey::from_pem(Algorithm::EdDSA, pem)?.with_kid("ed-1");
/// assert_eq!(key.kid(), Some("ed-1"));
/// assert_eq!(key.to_jwk().crv(), Some("Ed25519"));
/// # }
/// # Ok::<(), jwt_core::Error>(())
/// ```
#[derive(Clone)]
pub struct PublicKey {
    alg: Algorithm,
    kid: Option<String>,
    material: PublicMaterial,
    thumbprint: String,
}

impl PublicKey {
    fn new(alg: Algorithm, material: PublicMaterial) -> PublicKey {
        PublicKey {
            alg,
            kid: None,
            thumbprint: material.thumbprint(),
            material,
        }
    }

    /// A key for `alg` from PEM: an SPKI `PUBLIC KEY`, or for RS* and PS* also a PKCS#1
    /// `RSA PUBLIC KEY`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when the PEM or the key inside is malformed, of a type or
    /// curve `alg` cannot use, of a refused size, or when `alg` is HMAC or needs a cargo
    /// feature this build lacks.
    pub fn from_pem(alg: Algorithm, pem: &str) -> Result<PublicKey, Error> {
        Family::of(alg)?;
        let (label, der) = pem::decode(pem)?;
        match label {
            "PUBLIC KEY" => PublicKey::from_der(alg, &der),
            "RSA PUBLIC KEY" => Ok(PublicKey::new(
                alg,
                PublicMaterial::from_encoded(alg, KeyKind::Rsa, &der)?,
            )),
            other => Err(pem::unexpected_label(other, "PUBLIC KEY or RSA PUBLIC KEY")),
        }
    }

    /// A key for `alg` from the DER of an SPKI `SubjectPublicKeyInfo`.
    ///
    /// # Errors
    ///
    /// As [`from_pem`](PublicKey::from_pem).
    pub fn from_der(alg: Algorithm, der: &[u8]) -> Result<PublicKey, Error> {
        Family::of(alg)?;
        let (kind, key) = pem::parse_spki(der)?;
        Ok(PublicKey::new(
            alg,
            PublicMaterial::from_encoded(alg, kind, key)?,
        ))
    }

    /// A key from a JWK (RFC 7517), keeping its `kid`. The algorithm is the JWK's `alg`;
    /// without one, an EC or OKP key takes its curve's (P-256 ES256, P-384 ES384, P-521
    /// ES512, Ed25519 `EdDSA`) and an RSA key is RS256. Private members are ignored.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when the key's `use` is not `sig`, its `key_ops` lack
    /// `verify`, its `kty`, `crv` or `alg` is unknown or an `alg` its key type or curve
    /// cannot use, its members are malformed (bad base64url, wrong lengths, a point off
    /// the curve), or its family needs a cargo feature this build lacks.
    pub fn from_jwk(jwk: &Jwk) -> Result<PublicKey, Error> {
        Ok(PublicKey::read_jwk(jwk)?)
    }

    pub(crate) fn read_jwk(jwk: &Jwk) -> Result<PublicKey, JwkRefusal> {
        let (alg, family) = jwk_algorithm(jwk)?;
        let material = PublicMaterial::from_jwk(alg, family, jwk).map_err(JwkRefusal::Malformed)?;
        let key = PublicKey::new(alg, material);
        Ok(match jwk.kid() {
            Some(kid) => key.with_kid(kid),
            None => key,
        })
    }

    /// The same key with a key id, which a [`JwkSet`](crate::JwkSet) selects it by.
    #[must_use]
    pub fn with_kid(self, kid: impl Into<String>) -> PublicKey {
        PublicKey {
            kid: Some(kid.into()),
            ..self
        }
    }

    /// The algorithm the key verifies.
    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// The key id, if any.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The key as a public JWK: `kty`, the public members, `alg`, `use: "sig"` and
    /// `kid` when it has one.
    pub fn to_jwk(&self) -> Jwk {
        let (kty, members) = self.material.jwk_members();
        Jwk::public(kty, &members, self.alg.as_str(), self.kid())
    }

    /// The key's RFC 7638 thumbprint: SHA-256 over its required members, base64url.
    /// It names the key whatever its `kid`, `alg` or encoding.
    pub fn thumbprint(&self) -> String {
        self.thumbprint.clone()
    }

    pub(crate) fn verify_signature(&self, message: &[u8], signature: &[u8]) -> Result<(), Error> {
        self.material.verify(message, signature)
    }
}

impl VerifyingKey for PublicKey {
    fn algorithm(&self, _kid: Option<&str>) -> Result<Algorithm, Error> {
        Ok(self.alg)
    }

    fn verify(
        &self,
        _kid: Option<&str>,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        self.verify_signature(signing_input, signature)
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("alg", &self.alg)
            .field("kid", &self.kid.as_deref().map(Excerpt))
            .field("thumbprint", &self.thumbprint)
            .finish_non_exhaustive()
    }
}

/// A private key of one family.
enum PrivateMaterial {
    #[cfg(jwt_rsa)]
    Rsa(RsaPrivate),
    #[cfg(jwt_ecdsa)]
    Ecdsa(EcPrivate),
    #[cfg(jwt_eddsa)]
    Eddsa(EdPrivate),
}

impl PrivateMaterial {
    /// Reads the contents of a PKCS#8 key (or of a PKCS#1 or SEC1 PEM block, when
    /// `kind` says so), checked to fit `alg`.
    fn from_encoded(alg: Algorithm, kind: KeyKind, key: &[u8]) -> Result<Self, Error> {
        let family = Family::of(alg)?;
        kind.check_fits(alg)?;
        Ok(match family {
            #[cfg(jwt_rsa)]
            Family::Rsa => PrivateMaterial::Rsa(RsaPrivate::from_pkcs1_der(alg, key)?),
            #[cfg(jwt_ecdsa)]
            Family::Ecdsa => PrivateMaterial::Ecdsa(EcPrivate::from_sec1_der(alg, key)?),
            #[cfg(jwt_eddsa)]
            Family::Eddsa => PrivateMaterial::Eddsa(EdPrivate::from_pkcs8_contents(key)?),
        })
    }

    fn generate(alg: Algorithm) -> Result<Self, Error> {
        Ok(match Family::of(alg)? {
            #[cfg(jwt_rsa)]
            Family::Rsa => PrivateMaterial::Rsa(RsaPrivate::generate(alg)?),
            #[cfg(jwt_ecdsa)]
            Family::Ecdsa => PrivateMaterial::Ecdsa(EcPrivate::generate(alg)?),
            #[cfg(jwt_eddsa)]
            Family::Eddsa => PrivateMaterial::Eddsa(EdPrivate::generate()?),
        })
    }

    fn public(&self) -> PublicMaterial {
        match self {
            #[cfg(jwt_rsa)]
            PrivateMaterial::Rsa(key) => PublicMaterial::Rsa(key.public().clone()),
            #[cfg(jwt_ecdsa)]
            PrivateMaterial::Ecdsa(key) => PublicMaterial::Ecdsa(key.public().clone()),
            #[cfg(jwt_eddsa)]
            PrivateMaterial::Eddsa(key) => PublicMaterial::Eddsa(key.public().clone()),
        }
    }

    /// Hands the signature to `take`.
    fn sign<R>(&self, message: &[u8], take: impl FnOnce(&[u8]) -> R) -> Result<R, Error> {
        match self {
            #[cfg(jwt_rsa)]
            PrivateMaterial::Rsa(key) => Ok(take(&key.sign(message)?)),
            #[cfg(jwt_ecdsa)]
            PrivateMaterial::Ecdsa(key) => key.sign(message, take),
            #[cfg(jwt_eddsa)]
            PrivateMaterial::Eddsa(key) => key.sign(message, take),
        }
    }

    /// Signs into `out` when the signature fits there; an RSA signature, as long as
    /// the modulus, is left to `sign`.
    fn sign_into(&self, message: &[u8], out: &mut [u8]) -> Result<Option<usize>, Error> {
        let len: Option<usize> = match self {
            #[cfg(jwt_rsa)]
            PrivateMaterial::Rsa(_) => None,
            #[cfg(jwt_ecdsa)]
            PrivateMaterial::Ecdsa(key) => Some(key.public().signature_len()),
            #[cfg(jwt_eddsa)]
            PrivateMaterial::Eddsa(_) => Some(64),
        };
        if len.is_none_or(|len| len > out.len()) {
            return Ok(None);
        }
        self.sign(message, |signature| {
            let target = out.get_mut(..signature.len())?;
            target.copy_from_slice(signature);
            Some(signature.len())
        })
    }
}

/// A private key bound to one algorithm (RS*, PS*, ES* or `EdDSA`): it signs tokens, and
/// verifies them with its public half.
///
/// Read one from PEM ([`from_pem`](KeyPair::from_pem)) or PKCS#8 DER
/// ([`from_der`](KeyPair::from_der)), or make one with
/// [`generate`](KeyPair::generate). [`public_key`](KeyPair::public_key) is what to hand
/// to verifiers and to publish. `Debug` shows the algorithm, key id and thumbprint of the
/// public key, never private material. Cloning shares the private key.
///
/// ```
/// # #[cfg(any(feature = "ecdsa", feature = "aws-lc-rs"))] {
/// use jwt_core::{Algorithm, KeyPair, JwkSet};
///
/// let pair = KeyPair::generate(Algorithm::ES256)?.with_kid("2026-11");
/// let mut claims = serde_json::Map::new();
/// claims.insert("sub".into(), "alice".into());
/// claims.insert("exp".into(), (jwt_core::NumericDate::now() + 60).as_secs().into());
/// let token = jwt_core::encode(&claims, &pair)?;
///
/// let set = JwkSet::from_keys([pair.public_key()])?;
/// let back: serde_json::Map<String, serde_json::Value> = jwt_core::decode(&token, &set)?;
/// assert_eq!(back["sub"], "alice");
/// # }
/// # Ok::<(), jwt_core::Error>(())
/// ```
#[derive(Clone)]
pub struct KeyPair {
    private: Arc<PrivateMaterial>,
    public: PublicKey,
}

impl KeyPair {
    fn new(alg: Algorithm, private: PrivateMaterial) -> KeyPair {
        KeyPair {
            public: PublicKey::new(alg, private.public()),
            private: Arc::new(private),
        }
    }

    /// A key for `alg` from PEM: a PKCS#8 `PRIVATE KEY`; for RS* and PS* also a PKCS#1
    /// `RSA PRIVATE KEY`; for ES* also a SEC1 `EC PRIVATE KEY`. Encrypted keys are not
    /// read.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when the PEM or the key inside is malformed, of a type or
    /// curve `alg` cannot use, of a refused size, or when `alg` is HMAC or needs a cargo
    /// feature this build lacks.
    pub fn from_pem(alg: Algorithm, pem: &str) -> Result<KeyPair, Error> {
        Family::of(alg)?;
        let (label, der) = pem::decode(pem)?;
        let der = zeroize::Zeroizing::new(der);
        let private = match label {
            "PRIVATE KEY" => return KeyPair::from_der(alg, &der),
            "RSA PRIVATE KEY" => PrivateMaterial::from_encoded(alg, KeyKind::Rsa, &der)?,
            "EC PRIVATE KEY" => {
                // The curve is checked against the one the SEC1 key names, if any.
                PrivateMaterial::from_encoded(
                    alg,
                    KeyKind::for_alg(alg)
                        .filter(|kind| matches!(kind, KeyKind::Ec(_)))
                        .ok_or_else(|| invalid(format!("an EC key cannot be used for {alg}")))?,
                    &der,
                )?
            }
            other => {
                return Err(pem::unexpected_label(
                    other,
                    "PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY",
                ));
            }
        };
        Ok(KeyPair::new(alg, private))
    }

    /// A key for `alg` from the DER of a PKCS#8 `PrivateKeyInfo`.
    ///
    /// # Errors
    ///
    /// As [`from_pem`](KeyPair::from_pem).
    pub fn from_der(alg: Algorithm, der: &[u8]) -> Result<KeyPair, Error> {
        Family::of(alg)?;
        let (kind, key) = pem::parse_pkcs8(der)?;
        Ok(KeyPair::new(
            alg,
            PrivateMaterial::from_encoded(alg, kind, key)?,
        ))
    }

    /// A new key for `alg`, from the operating system's randomness; RSA keys have 2048
    /// bits.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidKey`] when `alg` is HMAC or needs a cargo feature this build
    /// lacks, or the operating system gives no randomness.
    pub fn generate(alg: Algorithm) -> Result<KeyPair, Error> {
        Ok(KeyPair::new(alg, PrivateMaterial::generate(alg)?))
    }

    /// The same key with a key id, which [`encode`](crate::encode) writes into the header
    /// and [`public_key`](KeyPair::public_key) keeps.
    #[must_use]
    pub fn with_kid(self, kid: impl Into<String>) -> KeyPair {
        KeyPair {
            public: self.public.with_kid(kid),
            private: self.private,
        }
    }

    /// The algorithm the key signs with.
    pub fn algorithm(&self) -> Algorithm {
        self.public.alg
    }

    /// The key id, if any.
    pub fn kid(&self) -> Option<&str> {
        self.public.kid()
    }

    /// The public half, with the same key id.
    pub fn public_key(&self) -> PublicKey {
        self.public.clone()
    }
}

impl SigningKey for KeyPair {
    fn algorithm(&self) -> Algorithm {
        KeyPair::algorithm(self)
    }

    fn kid(&self) -> Option<&str> {
        KeyPair::kid(self)
    }

    fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>, Error> {
        self.private.sign(signing_input, <[u8]>::to_vec)
    }

    fn sign_into(&self, signing_input: &[u8], out: &mut [u8]) -> Result<Option<usize>, Error> {
        self.private.sign_into(signing_input, out)
    }
}

impl VerifyingKey for KeyPair {
    fn algorithm(&self, _kid: Option<&str>) -> Result<Algorithm, Error> {
        Ok(KeyPair::algorithm(self))
    }

    fn verify(
        &self,
        _kid: Option<&str>,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        self.public.verify_signature(signing_input, signature)
    }
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyPair")
            .field("alg", &self.public.alg)
            .field("kid", &self.public.kid.as_deref().map(Excerpt))
            .field("thumbprint", &self.public.thumbprint)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::test_keys::*;

    /// Every algorithm this build computes, with a key pair in PKCS#8 PEM.
    fn pairs() -> Vec<(Algorithm, &'static str, &'static str)> {
        let mut pairs = Vec::new();
        if cfg!(jwt_rsa) {
            for alg in [
                Algorithm::RS256,
                Algorithm::RS384,
                Algorithm::RS512,
                Algorithm::PS256,
                Algorithm::PS384,
                Algorithm::PS512,
            ] {
                pairs.push((alg, RSA2048, RSA2048_PUB));
            }
        }
        if cfg!(jwt_ecdsa) {
            pairs.push((Algorithm::ES256, P256, P256_PUB));
            pairs.push((Algorithm::ES384, P384, P384_PUB));
            pairs.push((Algorithm::ES512, P521, P521_PUB));
        }
        if cfg!(jwt_eddsa) {
            pairs.push((Algorithm::EdDSA, ED25519, ED25519_PUB));
        }
        pairs
    }

    #[test]
    fn every_algorithm_signs_and_verifies_its_own_signatures_only() {
        for (alg, private, public) in pairs() {
            let pair = KeyPair::from_pem(alg, private).unwrap();
            let public = PublicKey::from_pem(alg, public).unwrap();
            assert_eq!((pair.algorithm(), public.algorithm()), (alg, alg));
            let signature = SigningKey::sign(&pair, b"a.b").unwrap();
            public.verify(None, b"a.b", &signature).unwrap();
            VerifyingKey::verify(&pair, None, b"a.b", &signature).unwrap();
            let err = public.verify(None, b"a.c", &signature).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidSignature, "{alg}");
            let mut flipped = signature.clone();
            *flipped.last_mut().unwrap() ^= 1;
            let err = public.verify(None, b"a.b", &flipped).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidSignature, "{alg}");
        }
    }

    #[test]
    fn tokens_round_trip_through_encode_and_decode_for_every_algorithm() {
        type Untyped = serde_json::Map<String, serde_json::Value>;
        let mut claims = Untyped::new();
        claims.insert("sub".into(), "alice".into());
        claims.insert(
            "exp".into(),
            (crate::NumericDate::now() + 600).as_secs().into(),
        );
        for (alg, private, _) in pairs() {
            let pair = KeyPair::from_pem(alg, private).unwrap().with_kid("k1");
            let token = crate::encode(&claims, &pair).unwrap();
            let header = crate::decode_header(&token).unwrap();
            assert_eq!((header.alg, header.kid.as_deref()), (alg, Some("k1")));
            let back: Untyped = crate::decode(&token, &pair.public_key()).unwrap();
            assert_eq!(back["sub"], "alice", "{alg}");
        }
    }

    #[test]
    fn pem_der_and_jwk_give_the_same_key() {
        for (alg, private, public) in pairs() {
            let from_pem = PublicKey::from_pem(alg, public).unwrap();
            let from_der = PublicKey::from_der(alg, &der(public)).unwrap();
            let from_jwk = PublicKey::from_jwk(&from_pem.to_jwk()).unwrap();
            let pair_pem = KeyPair::from_pem(alg, private).unwrap();
            let pair_der = KeyPair::from_der(alg, &der(private)).unwrap();
            let thumbprint = from_pem.thumbprint();
            for other in [
                &from_der,
                &from_jwk,
                &pair_pem.public_key(),
                &pair_der.public_key(),
            ] {
                assert_eq!(other.thumbprint(), thumbprint, "{alg}");
                assert_eq!(other.algorithm(), alg);
            }
            let signature = SigningKey::sign(&pair_der, b"x.y").unwrap();
            from_jwk.verify(None, b"x.y", &signature).unwrap();
        }
    }

    #[test]
    fn to_jwk_writes_the_public_members_alg_use_and_kid() {
        for (alg, _, public) in pairs() {
            let key = PublicKey::from_pem(alg, public).unwrap().with_kid("k");
            let jwk = key.to_jwk();
            assert_eq!(jwk.alg(), Some(alg.as_str()));
            assert_eq!((jwk.key_use(), jwk.kid()), (Some("sig"), Some("k")));
            assert!(!jwk.has_private_material(), "{alg}");
            let back = PublicKey::from_jwk(&jwk).unwrap();
            assert_eq!(
                (back.kid(), back.thumbprint()),
                (Some("k"), key.thumbprint())
            );
        }
    }

    #[test]
    fn generated_keys_sign_and_verify() {
        let mut algs = Vec::new();
        if cfg!(jwt_ecdsa) {
            algs.extend([Algorithm::ES256, Algorithm::ES384, Algorithm::ES512]);
        }
        if cfg!(jwt_eddsa) {
            algs.push(Algorithm::EdDSA);
        }
        for alg in algs {
            let one = KeyPair::generate(alg).unwrap().with_kid("g");
            let two = KeyPair::generate(alg).unwrap();
            assert_ne!(one.public_key().thumbprint(), two.public_key().thumbprint());
            assert_eq!(one.public_key().kid(), Some("g"));
            let signature = SigningKey::sign(&one, b"m").unwrap();
            one.public_key().verify(None, b"m", &signature).unwrap();
            let err = two.public_key().verify(None, b"m", &signature).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidSignature);
        }
    }

    #[test]
    fn signatures_that_fit_64_bytes_are_written_into_the_buffer() {
        for (alg, private, _) in pairs() {
            let pair = KeyPair::from_pem(alg, private).unwrap();
            let mut out = [0; 64];
            let written = pair.sign_into(b"a.b", &mut out).unwrap();
            match alg {
                Algorithm::ES256 | Algorithm::EdDSA => {
                    let len = written.unwrap();
                    assert_eq!(len, 64);
                    pair.public_key().verify(None, b"a.b", &out[..len]).unwrap();
                }
                _ => assert_eq!(written, None, "{alg}"),
            }
            let mut short = [0; 63];
            assert_eq!(pair.sign_into(b"a.b", &mut short).unwrap(), None);
        }
    }

    #[test]
    fn debug_shows_algorithm_kid_and_thumbprint_never_private_material() {
        for (alg, private, _) in pairs() {
            let pair = KeyPair::from_pem(alg, private).unwrap().with_kid("kid-1");
            let debug = format!("{pair:?} {:?}", pair.public_key());
            assert!(
                debug.contains(alg.as_str()) && debug.contains("kid-1"),
                "{debug}"
            );
            assert!(debug.contains(&pair.public_key().thumbprint()), "{debug}");
            assert!(debug.len() < 400, "{debug}");
            let body: String = private.lines().nth(1).unwrap().chars().take(20).collect();
            assert!(!debug.contains(&body), "{debug}");
        }
    }

    #[test]
    fn hmac_algorithms_are_refused_with_a_pointer_to_hmac_key() {
        for alg in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
            for err in [
                PublicKey::from_der(alg, &[]).unwrap_err(),
                KeyPair::generate(alg).unwrap_err(),
            ] {
                assert_eq!(err.kind(), ErrorKind::InvalidKey);
                assert!(err.to_string().contains("HmacKey"), "{err}");
            }
        }
    }

    #[test]
    fn pem_blocks_of_the_wrong_kind_are_refused() {
        for (alg, private, public) in pairs() {
            let err = PublicKey::from_pem(alg, private).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidKey);
            assert!(err.to_string().contains("PRIVATE KEY"), "{err}");
            let err = KeyPair::from_pem(alg, public).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidKey);
            let err = KeyPair::from_der(alg, &der(public)).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidKey);
            let err = PublicKey::from_der(alg, &der(private)).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidKey);
            let certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
            let err = PublicKey::from_pem(alg, certificate).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidKey);
            let encrypted =
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----";
            let err = KeyPair::from_pem(alg, encrypted).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidKey);
        }
    }

    #[test]
    fn malformed_encodings_are_invalid_keys_not_panics() {
        for (alg, private, public) in pairs() {
            let public_der = der(public);
            let private_der = der(private);
            // Every prefix, and every single-byte corruption of the first bytes.
            for len in 0..public_der.len() {
                let err = PublicKey::from_der(alg, &public_der[..len]).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::InvalidKey, "{alg} {len}");
            }
            for len in (0..private_der.len()).step_by(7) {
                let err = KeyPair::from_der(alg, &private_der[..len]).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::InvalidKey, "{alg} {len}");
            }
            for at in 0..public_der.len().min(40) {
                let mut broken = public_der.clone();
                broken[at] ^= 0x5a;
                // Either refused or, where the byte is inside the key, still some key.
                if let Err(err) = PublicKey::from_der(alg, &broken) {
                    assert_eq!(err.kind(), ErrorKind::InvalidKey);
                }
            }
        }
    }

    #[cfg(all(jwt_rsa, jwt_ecdsa, jwt_eddsa))]
    #[test]
    fn a_key_of_another_type_or_curve_is_refused_for_an_algorithm() {
        for (alg, private, public) in [
            (Algorithm::ES256, RSA2048, RSA2048_PUB),
            (Algorithm::RS256, P256, P256_PUB),
            (Algorithm::ES384, P256, P256_PUB),
            (Algorithm::ES256, P521, P521_PUB),
            (Algorithm::EdDSA, P256, P256_PUB),
            (Algorithm::PS256, ED25519, ED25519_PUB),
        ] {
            let err = PublicKey::from_pem(alg, public).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidKey);
            assert!(err.to_string().contains("cannot be used for"), "{err}");
            let err = KeyPair::from_pem(alg, private).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidKey, "{alg}");
        }
        let err = KeyPair::from_pem(Algorithm::RS256, P256_SEC1).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
        let err = KeyPair::from_pem(Algorithm::ES256, RSA2048_PKCS1).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
        let err = PublicKey::from_pem(Algorithm::ES256, RSA2048_PKCS1_PUB).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
    }

    #[cfg(not(jwt_rsa))]
    #[test]
    fn rsa_algorithms_name_the_feature_they_need() {
        let err = PublicKey::from_pem(Algorithm::RS256, "").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
        assert!(err.to_string().contains("`rsa` feature"), "{err}");
    }

    #[cfg(not(jwt_ecdsa))]
    #[test]
    fn ecdsa_algorithms_name_the_feature_they_need() {
        let err = KeyPair::generate(Algorithm::ES256).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
        assert!(err.to_string().contains("`ecdsa` feature"), "{err}");
    }

    #[cfg(not(jwt_eddsa))]
    #[test]
    fn eddsa_names_the_feature_it_needs() {
        let err = KeyPair::generate(Algorithm::EdDSA).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
        assert!(err.to_string().contains("`eddsa` feature"), "{err}");
    }

    fn jwk(json: &str) -> Jwk {
        Jwk::from_json(json).unwrap()
    }

    fn jwk_error(json: &str) -> String {
        let err = PublicKey::from_jwk(&jwk(json)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey, "{json}");
        err.to_string()
    }

    /// The RSA key of RFC 7638 section 3.1.
    #[cfg(jwt_rsa)]
    const RFC7638_N: &str = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

    #[cfg(jwt_rsa)]
    #[test]
    fn the_thumbprint_of_rfc_7638_section_3_1() {
        let key = PublicKey::from_jwk(&jwk(&format!(
            r#"{{"kty":"RSA","n":"{RFC7638_N}","e":"AQAB","alg":"RS256","kid":"2011-04-29"}}"#
        )))
        .unwrap();
        assert_eq!(
            key.thumbprint(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
        assert_eq!(key.kid(), Some("2011-04-29"));
        // Neither kid nor alg is part of it.
        assert_eq!(key.clone().with_kid("other").thumbprint(), key.thumbprint());
    }

    #[cfg(jwt_rsa)]
    #[test]
    fn jwks_without_alg_take_the_default_of_their_type() {
        let rsa = format!(r#"{{"kty":"RSA","n":"{RFC7638_N}","e":"AQAB"}}"#);
        assert_eq!(
            PublicKey::from_jwk(&jwk(&rsa)).unwrap().algorithm(),
            Algorithm::RS256
        );
        let ps = format!(r#"{{"kty":"RSA","alg":"PS384","n":"{RFC7638_N}","e":"AQAB"}}"#);
        assert_eq!(
            PublicKey::from_jwk(&jwk(&ps)).unwrap().algorithm(),
            Algorithm::PS384
        );
    }

    #[cfg(all(jwt_ecdsa, jwt_eddsa))]
    #[test]
    fn curve_keys_without_alg_take_their_curves_algorithm() {
        for (alg, public) in [
            (Algorithm::ES256, P256_PUB),
            (Algorithm::ES384, P384_PUB),
            (Algorithm::ES512, P521_PUB),
            (Algorithm::EdDSA, ED25519_PUB),
        ] {
            let mut members = PublicKey::from_pem(alg, public)
                .unwrap()
                .to_jwk()
                .into_members();
            members.remove("alg");
            let key = PublicKey::from_jwk(&Jwk::from_members(members).unwrap()).unwrap();
            assert_eq!(key.algorithm(), alg);
        }
    }

    #[cfg(jwt_rsa)]
    #[test]
    fn jwks_that_may_not_verify_are_refused() {
        let key = |extra: &str| format!(r#"{{"kty":"RSA","n":"{RFC7638_N}","e":"AQAB"{extra}}}"#);
        assert!(jwk_error(&key(r#","use":"enc""#)).contains("enc"));
        assert!(jwk_error(&key(r#","key_ops":["sign"]"#)).contains("key_ops"));
        assert!(jwk_error(&key(r#","alg":"ES256""#)).contains("cannot be used for ES256"));
        assert!(jwk_error(&key(r#","alg":"HS256""#)).contains("HS256"));
        assert!(jwk_error(&key(r#","alg":"RSA-OAEP""#)).contains("unknown alg"));
        assert!(jwk_error(&key(r#","alg":"none""#)).contains("unknown alg"));
        assert!(PublicKey::from_jwk(&jwk(&key(r#","use":"sig","key_ops":["verify"]"#))).is_ok());
    }

    #[test]
    fn jwks_of_unknown_types_and_curves_are_refused() {
        assert!(jwk_error(r#"{"kty":"oct","k":"AAAA"}"#).contains("oct"));
        assert!(jwk_error(r#"{"kty":"DSA"}"#).contains("unknown kty"));
        assert!(
            jwk_error(r#"{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"}"#).contains("secp256k1")
        );
        assert!(jwk_error(r#"{"kty":"OKP","crv":"X25519","x":"AA"}"#).contains("X25519"));
        assert!(jwk_error(r#"{"kty":"EC","x":"AA","y":"AA"}"#).contains("crv"));
        assert!(jwk_error(r#"{"kty":"OKP","x":"AA"}"#).contains("crv"));
    }
}
