//! The asymmetric sets (feature `asymmetric`, or `aws-lc-rs` for jwt-core on AWS-LC):
//! RS256, PS256, ES256, ES384 and `EdDSA`, decode and encode, on the nine claims of the
//! HMAC sets.
//!
//! Every decoder reads the same token, signed once by jsonwebtoken with the keys in
//! `benches/keys/` (RSA 2048, P-256, P-384 and Ed25519, made with `openssl genpkey`), and
//! checks `exp`, `nbf`, `iss` and `aud` as in the HMAC sets. Every key is parsed and
//! prepared once, when the set is built; what a library then does per token is its own.
//!
//! The limits are the signature operations alone, over the same signing input, with a
//! key prepared once and the signature already decoded: one row with the `RustCrypto`
//! crates jwt-core's `RustCrypto` backend uses (`rsa`, `p256`, `p384`, `ed25519-dalek`
//! with strict verification), one with `aws-lc-rs` (`ParsedPublicKey`, `RsaKeyPair`,
//! `EcdsaKeyPair`, `Ed25519KeyPair`). The ratios of a set are to the row of the backend
//! jwt-core was built with in this run ([`RAW_ACTIVE`]).

use std::hint::black_box;

use aws_lc_rs::signature as aws;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jwt_core::{KeyPair, PublicKey, Validation};
use jwt_simple::prelude::{
    ECDSAP256KeyPairLike as _, ECDSAP256PublicKeyLike as _, ECDSAP384KeyPairLike as _,
    ECDSAP384PublicKeyLike as _, EdDSAKeyPairLike as _, EdDSAPublicKeyLike as _,
    RSAKeyPairLike as _, RSAPublicKeyLike as _,
};
#[cfg(feature = "oxitoken")]
use oxitoken::validation::{StaticKeyProvider, ValidationPipeline};
use rsa::pkcs8::{DecodePrivateKey as _, DecodePublicKey as _};
use rsa::signature::{RandomizedSigner as _, SignatureEncoding as _, Verifier as _};
use sha2::Sha256;

use crate::{
    AUDIENCE, Fixture, ISSUER, JSONWEBTOKEN, JWT_SIMPLE, Jsonwebtoken, JwtSimple, JwtSimpleClaims,
    OURS_TYPED, Op, Plain, Typed, refused,
};
#[cfg(feature = "oxitoken")]
use crate::{OXITOKEN, OxitokenHeader};

/// The name of the raw `RustCrypto` row.
pub const RAW_RUSTCRYPTO: &str = "raw RustCrypto";
/// The name of the raw `aws-lc-rs` row.
pub const RAW_AWS_LC: &str = "raw aws-lc-rs";

/// The backend jwt-core computes signatures with in this build, by this crate's features.
#[cfg(feature = "aws-lc-rs")]
pub const BACKEND: &str = "aws-lc-rs";
/// The backend jwt-core computes signatures with in this build, by this crate's features.
#[cfg(not(feature = "aws-lc-rs"))]
pub const BACKEND: &str = "RustCrypto";

/// The raw row of jwt-core's backend in this build: the reference of the ratios.
#[cfg(feature = "aws-lc-rs")]
pub const RAW_ACTIVE: &str = RAW_AWS_LC;
/// The raw row of jwt-core's backend in this build: the reference of the ratios.
#[cfg(not(feature = "aws-lc-rs"))]
pub const RAW_ACTIVE: &str = RAW_RUSTCRYPTO;

/// The asymmetric algorithms the benchmarks cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsymAlg {
    /// RSASSA-PKCS1-v1_5 with SHA-256, RSA 2048.
    Rs256,
    /// RSASSA-PSS with SHA-256, RSA 2048.
    Ps256,
    /// ECDSA on P-256 with SHA-256.
    Es256,
    /// ECDSA on P-384 with SHA-384.
    Es384,
    /// Ed25519.
    EdDsa,
}

/// Every asymmetric algorithm, in report order.
pub const ASYMMETRIC: [AsymAlg; 5] = [
    AsymAlg::Rs256,
    AsymAlg::Ps256,
    AsymAlg::Es256,
    AsymAlg::Es384,
    AsymAlg::EdDsa,
];

impl AsymAlg {
    /// The JOSE name.
    pub const fn name(self) -> &'static str {
        match self {
            AsymAlg::Rs256 => "RS256",
            AsymAlg::Ps256 => "PS256",
            AsymAlg::Es256 => "ES256",
            AsymAlg::Es384 => "ES384",
            AsymAlg::EdDsa => "EdDSA",
        }
    }

    const fn jwt_core(self) -> jwt_core::Algorithm {
        match self {
            AsymAlg::Rs256 => jwt_core::Algorithm::RS256,
            AsymAlg::Ps256 => jwt_core::Algorithm::PS256,
            AsymAlg::Es256 => jwt_core::Algorithm::ES256,
            AsymAlg::Es384 => jwt_core::Algorithm::ES384,
            AsymAlg::EdDsa => jwt_core::Algorithm::EdDSA,
        }
    }

    pub(crate) const fn jsonwebtoken(self) -> jsonwebtoken::Algorithm {
        match self {
            AsymAlg::Rs256 => jsonwebtoken::Algorithm::RS256,
            AsymAlg::Ps256 => jsonwebtoken::Algorithm::PS256,
            AsymAlg::Es256 => jsonwebtoken::Algorithm::ES256,
            AsymAlg::Es384 => jsonwebtoken::Algorithm::ES384,
            AsymAlg::EdDsa => jsonwebtoken::Algorithm::EdDSA,
        }
    }

    #[cfg(feature = "oxitoken")]
    const fn oxitoken(self) -> oxitoken::Algorithm {
        match self {
            AsymAlg::Rs256 => oxitoken::Algorithm::RS256,
            AsymAlg::Ps256 => oxitoken::Algorithm::PS256,
            AsymAlg::Es256 => oxitoken::Algorithm::ES256,
            AsymAlg::Es384 => oxitoken::Algorithm::ES384,
            AsymAlg::EdDsa => oxitoken::Algorithm::EdDSA,
        }
    }

    /// The private key, PKCS#8 PEM.
    pub const fn private_pem(self) -> &'static str {
        match self {
            AsymAlg::Rs256 | AsymAlg::Ps256 => include_str!("../keys/rsa2048.pem"),
            AsymAlg::Es256 => include_str!("../keys/p256.pem"),
            AsymAlg::Es384 => include_str!("../keys/p384.pem"),
            AsymAlg::EdDsa => include_str!("../keys/ed25519.pem"),
        }
    }

    /// The public key, SPKI PEM.
    pub const fn public_pem(self) -> &'static str {
        match self {
            AsymAlg::Rs256 | AsymAlg::Ps256 => include_str!("../keys/rsa2048.pub.pem"),
            AsymAlg::Es256 => include_str!("../keys/p256.pub.pem"),
            AsymAlg::Es384 => include_str!("../keys/p384.pub.pem"),
            AsymAlg::EdDsa => include_str!("../keys/ed25519.pub.pem"),
        }
    }

    /// The public key's raw form inside its SPKI: PKCS#1 `RSAPublicKey`, an uncompressed
    /// SEC1 point, or the 32 Ed25519 bytes. The BIT STRING is the SPKI's last member.
    fn public_raw(self) -> Vec<u8> {
        let spki = pem_der(self.public_pem());
        let len = match self {
            AsymAlg::Rs256 | AsymAlg::Ps256 => spki.len() - 24,
            AsymAlg::Es256 => 65,
            AsymAlg::Es384 => 97,
            AsymAlg::EdDsa => 32,
        };
        spki[spki.len() - len..].to_vec()
    }

    /// The private scalar of an EC key or the seed of an Ed25519 key, found in the
    /// PKCS#8 DER after its `OCTET STRING` tag and length.
    fn private_scalar(self) -> Vec<u8> {
        let der = pem_der(self.private_pem());
        let (marker, len): (&[u8], usize) = match self {
            AsymAlg::Es256 => (&[0x02, 0x01, 0x01, 0x04, 0x20], 32),
            AsymAlg::Es384 => (&[0x02, 0x01, 0x01, 0x04, 0x30], 48),
            AsymAlg::EdDsa => (&[0x04, 0x22, 0x04, 0x20], 32),
            AsymAlg::Rs256 | AsymAlg::Ps256 => unreachable!("an RSA key has no scalar"),
        };
        let at = der
            .windows(marker.len())
            .position(|window| window == marker)
            .expect("the PKCS#8 key holds its scalar")
            + marker.len();
        der[at..at + len].to_vec()
    }
}

/// The DER inside a PEM block.
fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    STANDARD.decode(body).expect("the PEM body is base64")
}

/// The signature operations of the `RustCrypto` crates, keys prepared once.
enum RustCryptoKeys {
    Rs256(
        rsa::pkcs1v15::VerifyingKey<Sha256>,
        rsa::pkcs1v15::SigningKey<Sha256>,
    ),
    Ps256(rsa::pss::VerifyingKey<Sha256>, rsa::pss::SigningKey<Sha256>),
    Es256(p256::ecdsa::VerifyingKey, p256::ecdsa::SigningKey),
    Es384(p384::ecdsa::VerifyingKey, p384::ecdsa::SigningKey),
    EdDsa(ed25519_dalek::VerifyingKey, ed25519_dalek::SigningKey),
}

impl RustCryptoKeys {
    fn new(alg: AsymAlg) -> RustCryptoKeys {
        let rsa_keys = || {
            let private = rsa::PrivateKey::from_pkcs8_pem(alg.private_pem()).expect("RSA key");
            let public = rsa::PublicKey::from_public_key_pem(alg.public_pem()).expect("RSA key");
            (private, public)
        };
        match alg {
            AsymAlg::Rs256 => {
                let (private, public) = rsa_keys();
                RustCryptoKeys::Rs256(
                    rsa::pkcs1v15::VerifyingKey::new(public),
                    rsa::pkcs1v15::SigningKey::new(private),
                )
            }
            AsymAlg::Ps256 => {
                let (private, public) = rsa_keys();
                RustCryptoKeys::Ps256(
                    rsa::pss::VerifyingKey::new(public),
                    rsa::pss::SigningKey::new(private),
                )
            }
            AsymAlg::Es256 => RustCryptoKeys::Es256(
                p256::ecdsa::VerifyingKey::from_sec1_bytes(&alg.public_raw()).expect("P-256"),
                p256::ecdsa::SigningKey::from_slice(&alg.private_scalar()).expect("P-256"),
            ),
            AsymAlg::Es384 => RustCryptoKeys::Es384(
                p384::ecdsa::VerifyingKey::from_sec1_bytes(&alg.public_raw()).expect("P-384"),
                p384::ecdsa::SigningKey::from_slice(&alg.private_scalar()).expect("P-384"),
            ),
            AsymAlg::EdDsa => {
                let public: [u8; 32] = alg.public_raw().try_into().expect("32 bytes");
                let seed: [u8; 32] = alg.private_scalar().try_into().expect("32 bytes");
                RustCryptoKeys::EdDsa(
                    ed25519_dalek::VerifyingKey::from_bytes(&public).expect("Ed25519"),
                    ed25519_dalek::SigningKey::from_bytes(&seed),
                )
            }
        }
    }

    fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            RustCryptoKeys::Rs256(key, _) => rsa::pkcs1v15::Signature::try_from(signature)
                .is_ok_and(|signature| key.verify(message, &signature).is_ok()),
            RustCryptoKeys::Ps256(key, _) => rsa::pss::Signature::try_from(signature)
                .is_ok_and(|signature| key.verify(message, &signature).is_ok()),
            RustCryptoKeys::Es256(key, _) => p256::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|signature| key.verify(message, &signature).is_ok()),
            RustCryptoKeys::Es384(key, _) => p384::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|signature| key.verify(message, &signature).is_ok()),
            RustCryptoKeys::EdDsa(key, _) => ed25519_dalek::Signature::from_slice(signature)
                .is_ok_and(|signature| key.verify_strict(message, &signature).is_ok()),
        }
    }

    fn sign(&self, message: &[u8]) -> Vec<u8> {
        use rsa::signature::Signer as _;
        let mut rng = getrandom::SysRng;
        match self {
            RustCryptoKeys::Rs256(_, key) => key
                .try_sign_with_rng(&mut rng, message)
                .expect("RSA signs")
                .to_vec(),
            RustCryptoKeys::Ps256(_, key) => key
                .try_sign_with_rng(&mut rng, message)
                .expect("RSA signs")
                .to_vec(),
            RustCryptoKeys::Es256(_, key) => {
                let signature: p256::ecdsa::Signature = key.sign(message);
                signature.to_bytes().to_vec()
            }
            RustCryptoKeys::Es384(_, key) => {
                let signature: p384::ecdsa::Signature = key.sign(message);
                signature.to_bytes().to_vec()
            }
            RustCryptoKeys::EdDsa(_, key) => key.sign(message).to_bytes().to_vec(),
        }
    }
}

/// The signature operations of `aws-lc-rs`, keys parsed once.
struct AwsLcKeys {
    verifier: aws::ParsedPublicKey,
    signer: AwsLcSigner,
}

enum AwsLcSigner {
    Rsa(aws::RsaKeyPair, &'static dyn aws::RsaEncoding),
    Ecdsa(aws::EcdsaKeyPair),
    Ed25519(aws::Ed25519KeyPair),
}

impl AwsLcKeys {
    fn new(alg: AsymAlg) -> AwsLcKeys {
        let pkcs8 = pem_der(alg.private_pem());
        let verification: &'static dyn aws::VerificationAlgorithm = match alg {
            AsymAlg::Rs256 => &aws::RSA_PKCS1_2048_8192_SHA256,
            AsymAlg::Ps256 => &aws::RSA_PSS_2048_8192_SHA256,
            AsymAlg::Es256 => &aws::ECDSA_P256_SHA256_FIXED,
            AsymAlg::Es384 => &aws::ECDSA_P384_SHA384_FIXED,
            AsymAlg::EdDsa => &aws::ED25519,
        };
        let signer = match alg {
            AsymAlg::Rs256 => AwsLcSigner::Rsa(
                aws::RsaKeyPair::from_pkcs8(&pkcs8).expect("RSA key"),
                &aws::RSA_PKCS1_SHA256,
            ),
            AsymAlg::Ps256 => AwsLcSigner::Rsa(
                aws::RsaKeyPair::from_pkcs8(&pkcs8).expect("RSA key"),
                &aws::RSA_PSS_SHA256,
            ),
            AsymAlg::Es256 => AwsLcSigner::Ecdsa(
                aws::EcdsaKeyPair::from_pkcs8(&aws::ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8)
                    .expect("P-256 key"),
            ),
            AsymAlg::Es384 => AwsLcSigner::Ecdsa(
                aws::EcdsaKeyPair::from_pkcs8(&aws::ECDSA_P384_SHA384_FIXED_SIGNING, &pkcs8)
                    .expect("P-384 key"),
            ),
            AsymAlg::EdDsa => AwsLcSigner::Ed25519(
                aws::Ed25519KeyPair::from_pkcs8_maybe_unchecked(&pkcs8).expect("Ed25519 key"),
            ),
        };
        AwsLcKeys {
            verifier: aws::ParsedPublicKey::new(verification, alg.public_raw())
                .expect("the public key parses"),
            signer,
        }
    }

    fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        self.verifier.verify_sig(message, signature).is_ok()
    }

    fn sign(&self, message: &[u8]) -> Vec<u8> {
        let rng = aws_lc_rs::rand::SystemRandom::new();
        match &self.signer {
            AwsLcSigner::Rsa(key, padding) => {
                let mut signature = vec![0; key.public_modulus_len()];
                key.sign(*padding, &rng, message, &mut signature)
                    .expect("RSA signs");
                signature
            }
            AwsLcSigner::Ecdsa(key) => key
                .sign(&rng, message)
                .expect("ECDSA signs")
                .as_ref()
                .to_vec(),
            AwsLcSigner::Ed25519(key) => key.sign(message).as_ref().to_vec(),
        }
    }

    /// oxitoken's `encode` with the same key pair.
    #[cfg(feature = "oxitoken")]
    fn oxitoken_sign(&self, header: &OxitokenHeader, claims: &Plain) -> String {
        let token = match &self.signer {
            AwsLcSigner::Rsa(key, _) => oxitoken::encoding::encode(key, header, claims),
            AwsLcSigner::Ecdsa(key) => oxitoken::encoding::encode(key, header, claims),
            AwsLcSigner::Ed25519(key) => oxitoken::encoding::encode(key, header, claims),
        };
        refused("oxitoken", token)
    }
}

type Decoder<C> = Box<dyn Fn(&str) -> Result<C, String>>;
type Encoder<C> = Box<dyn Fn(&C) -> String>;

/// The contenders of one asymmetric algorithm.
pub struct Asymmetric {
    /// The algorithm.
    pub alg: AsymAlg,
    /// The tokens, signed by jsonwebtoken with this algorithm.
    pub fixture: Fixture,
    ours_public: PublicKey,
    ours_private: KeyPair,
    validation: Validation,
    jsonwebtoken: Jsonwebtoken<Plain>,
    jwt_simple_decode: Decoder<JwtSimpleClaims>,
    jwt_simple_encode: Encoder<JwtSimpleClaims>,
    #[cfg(feature = "oxitoken")]
    oxitoken: ValidationPipeline<OxitokenHeader, Plain, StaticKeyProvider<aws::ParsedPublicKey>>,
    #[cfg(feature = "oxitoken")]
    oxitoken_header: OxitokenHeader,
    rust_crypto: RustCryptoKeys,
    aws_lc: AwsLcKeys,
    signing_input: Vec<u8>,
    signature: Vec<u8>,
    typed: Typed,
    plain: Plain,
    jwt_simple_claims: JwtSimpleClaims,
}

impl Asymmetric {
    /// Parses and prepares every key of `alg` and signs the shared tokens.
    pub fn new(alg: AsymAlg) -> Asymmetric {
        let jsonwebtoken = Jsonwebtoken::<Plain>::asymmetric(alg);
        let fixture = Fixture::build(alg.name(), crate::now_secs() - 1, None, |claims| {
            jsonwebtoken.sign_any(claims)
        });
        let (signing_input, signature) = fixture.token.rsplit_once('.').expect("three segments");
        let signature = URL_SAFE_NO_PAD.decode(signature).expect("base64url");
        let (jwt_simple_decode, jwt_simple_encode) = jwt_simple(alg);
        let aws_lc = AwsLcKeys::new(alg);
        #[cfg(feature = "oxitoken")]
        let oxitoken_key = aws::ParsedPublicKey::new(
            match alg {
                AsymAlg::Rs256 => &aws::RSA_PKCS1_2048_8192_SHA256,
                AsymAlg::Ps256 => &aws::RSA_PSS_2048_8192_SHA256,
                AsymAlg::Es256 => &aws::ECDSA_P256_SHA256_FIXED,
                AsymAlg::Es384 => &aws::ECDSA_P384_SHA384_FIXED,
                AsymAlg::EdDsa => &aws::ED25519 as &'static dyn aws::VerificationAlgorithm,
            },
            alg.public_raw(),
        )
        .expect("the public key parses");
        Asymmetric {
            alg,
            ours_public: PublicKey::from_pem(alg.jwt_core(), alg.public_pem())
                .expect("jwt-core reads the public key"),
            ours_private: KeyPair::from_pem(alg.jwt_core(), alg.private_pem())
                .expect("jwt-core reads the private key"),
            validation: Validation::new(),
            jsonwebtoken,
            jwt_simple_decode,
            jwt_simple_encode,
            #[cfg(feature = "oxitoken")]
            oxitoken: ValidationPipeline::builder(StaticKeyProvider::new(oxitoken_key))
                .with_expiration_validator()
                .with_not_before_validator()
                .with_issuer_validator(ISSUER)
                .with_audience_validator(AUDIENCE)
                .build(),
            #[cfg(feature = "oxitoken")]
            oxitoken_header: OxitokenHeader {
                alg: alg.oxitoken(),
                typ: Some("JWT".to_owned()),
            },
            rust_crypto: RustCryptoKeys::new(alg),
            aws_lc,
            signing_input: signing_input.as_bytes().to_vec(),
            signature,
            typed: fixture.typed(),
            plain: fixture.plain(),
            jwt_simple_claims: fixture.jwt_simple(),
            fixture,
        }
    }

    fn ours_decode(&self, token: &str) -> Result<Typed, String> {
        jwt_core::decode_with::<Typed>(token, &self.ours_public, &self.validation)
            .map(jwt_core::Token::into_claims)
            .map_err(|error| error.to_string())
    }

    fn ours_encode(&self, claims: &Typed) -> String {
        refused("jwt-core", jwt_core::encode(claims, &self.ours_private))
    }

    #[cfg(feature = "oxitoken")]
    fn oxitoken_decode(&self, token: &str) -> Result<Plain, String> {
        self.oxitoken
            .verify(token.as_bytes())
            .map(|(_header, claims)| claims)
            .map_err(|error| error.to_string())
    }

    fn raw_rust_crypto_verify(&self) {
        assert!(
            self.rust_crypto
                .verify(black_box(&self.signing_input), black_box(&self.signature)),
            "RustCrypto refused the signature"
        );
    }

    fn raw_aws_lc_verify(&self) {
        assert!(
            self.aws_lc
                .verify(black_box(&self.signing_input), black_box(&self.signature)),
            "aws-lc-rs refused the signature"
        );
    }

    /// Hands the cases of `op` to `cases`.
    pub fn cases<'a>(&'a self, op: Op, cases: &mut impl crate::Cases<'a>) {
        let token = self.fixture.token.as_str();
        match op {
            Op::Decode => {
                cases.case(OURS_TYPED, move || {
                    refused("jwt-core", self.ours_decode(black_box(token)))
                });
                cases.case(JSONWEBTOKEN, move || {
                    self.jsonwebtoken.decode(black_box(token))
                });
                cases.case(JWT_SIMPLE, move || {
                    refused("jwt-simple", (self.jwt_simple_decode)(black_box(token)))
                });
                #[cfg(feature = "oxitoken")]
                cases.case(OXITOKEN, move || {
                    refused("oxitoken", self.oxitoken_decode(black_box(token)))
                });
                cases.case(RAW_RUSTCRYPTO, move || self.raw_rust_crypto_verify());
                cases.case(RAW_AWS_LC, move || self.raw_aws_lc_verify());
            }
            Op::Encode => {
                cases.case(OURS_TYPED, move || self.ours_encode(black_box(&self.typed)));
                cases.case(JSONWEBTOKEN, move || {
                    self.jsonwebtoken.encode(black_box(&self.plain))
                });
                cases.case(JWT_SIMPLE, move || {
                    (self.jwt_simple_encode)(black_box(&self.jwt_simple_claims))
                });
                #[cfg(feature = "oxitoken")]
                cases.case(OXITOKEN, move || {
                    self.aws_lc
                        .oxitoken_sign(&self.oxitoken_header, black_box(&self.plain))
                });
                cases.case(RAW_RUSTCRYPTO, move || {
                    self.rust_crypto.sign(black_box(&self.signing_input))
                });
                cases.case(RAW_AWS_LC, move || {
                    self.aws_lc.sign(black_box(&self.signing_input))
                });
            }
        }
    }

    /// Asserts that every decoder accepts the shared token and refuses the four bad
    /// ones, that every encoder's token verifies with jwt-core's public key and decodes
    /// to the expected values, and that both raw rows verify the token's signature,
    /// refuse a changed one, and sign what the other verifies.
    pub fn check(&self) {
        let f = &self.fixture;
        crate::check_decoder(OURS_TYPED, f, |t| self.ours_decode(t));
        crate::check_decoder(JSONWEBTOKEN, f, |t| self.jsonwebtoken.try_decode(t));
        crate::check_decoder(JWT_SIMPLE, f, |t| (self.jwt_simple_decode)(t));
        #[cfg(feature = "oxitoken")]
        crate::check_decoder(OXITOKEN, f, |t| self.oxitoken_decode(t));

        let reader = |token: &str| {
            jwt_core::decode_with::<crate::Untyped>(
                token,
                &self.ours_public,
                &Validation::new().issuer(ISSUER).audience(AUDIENCE),
            )
            .map(jwt_core::Token::into_claims)
            .map_err(|error| error.to_string())
        };
        #[cfg_attr(not(feature = "oxitoken"), allow(unused_mut))]
        let mut encoded = vec![
            (OURS_TYPED, self.ours_encode(&self.typed)),
            (JSONWEBTOKEN, self.jsonwebtoken.encode(&self.plain)),
            (
                JWT_SIMPLE,
                (self.jwt_simple_encode)(&self.jwt_simple_claims),
            ),
        ];
        #[cfg(feature = "oxitoken")]
        encoded.push((
            OXITOKEN,
            self.aws_lc
                .oxitoken_sign(&self.oxitoken_header, &self.plain),
        ));
        for (name, token) in encoded {
            crate::check_encoded(name, f, &reader, &token);
        }

        self.raw_rust_crypto_verify();
        self.raw_aws_lc_verify();
        let mut changed = self.signature.clone();
        changed[0] ^= 1;
        assert!(!self.rust_crypto.verify(&self.signing_input, &changed));
        assert!(!self.aws_lc.verify(&self.signing_input, &changed));
        let by_rust_crypto = self.rust_crypto.sign(&self.signing_input);
        let by_aws_lc = self.aws_lc.sign(&self.signing_input);
        assert!(self.aws_lc.verify(&self.signing_input, &by_rust_crypto));
        assert!(self.rust_crypto.verify(&self.signing_input, &by_aws_lc));
    }
}

/// jwt-simple's decoder and encoder for `alg`, its keys read from PEM once.
fn jwt_simple(alg: AsymAlg) -> (Decoder<JwtSimpleClaims>, Encoder<JwtSimpleClaims>) {
    use jwt_simple::prelude::{
        ES256KeyPair, ES256PublicKey, ES384KeyPair, ES384PublicKey, Ed25519KeyPair,
        Ed25519PublicKey, PS256KeyPair, PS256PublicKey, RS256KeyPair, RS256PublicKey,
    };
    let options = JwtSimple::options();
    let private = alg.private_pem();
    let public = alg.public_pem();
    macro_rules! pair {
        ($public:ty, $private:ty) => {{
            let verifier = <$public>::from_pem(public).expect("jwt-simple reads the key");
            let signer = <$private>::from_pem(private).expect("jwt-simple reads the key");
            let decode: Decoder<JwtSimpleClaims> = Box::new(move |token: &str| {
                verifier
                    .verify_token::<crate::JwtSimpleCustom>(token, Some(options.clone()))
                    .map_err(|error| error.to_string())
            });
            let encode: Encoder<JwtSimpleClaims> = Box::new(move |claims: &JwtSimpleClaims| {
                refused("jwt-simple", signer.sign(claims.clone()))
            });
            (decode, encode)
        }};
    }
    match alg {
        AsymAlg::Rs256 => pair!(RS256PublicKey, RS256KeyPair),
        AsymAlg::Ps256 => pair!(PS256PublicKey, PS256KeyPair),
        AsymAlg::Es256 => pair!(ES256PublicKey, ES256KeyPair),
        AsymAlg::Es384 => pair!(ES384PublicKey, ES384KeyPair),
        AsymAlg::EdDsa => pair!(Ed25519PublicKey, Ed25519KeyPair),
    }
}
