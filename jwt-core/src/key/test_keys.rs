//! Keys and signatures for the unit tests, made with OpenSSL 3 (`testdata/`).
// Which of these a test run uses depends on the features it is built with.
#![allow(dead_code)]

pub(crate) const RSA2048: &str = include_str!("testdata/rsa2048.pem");
pub(crate) const RSA2048_PKCS1: &str = include_str!("testdata/rsa2048.pkcs1.pem");
pub(crate) const RSA2048_PUB: &str = include_str!("testdata/rsa2048.pub.pem");
pub(crate) const RSA2048_PKCS1_PUB: &str = include_str!("testdata/rsa2048.pkcs1.pub.pem");
pub(crate) const RSA1024: &str = include_str!("testdata/rsa1024.pem");
pub(crate) const RSA1024_PUB: &str = include_str!("testdata/rsa1024.pub.pem");
pub(crate) const RSA4096: &str = include_str!("testdata/rsa4096.pem");
pub(crate) const P256: &str = include_str!("testdata/p256.pem");
pub(crate) const P256_SEC1: &str = include_str!("testdata/p256.sec1.pem");
pub(crate) const P256_PUB: &str = include_str!("testdata/p256.pub.pem");
pub(crate) const P384: &str = include_str!("testdata/p384.pem");
pub(crate) const P384_SEC1: &str = include_str!("testdata/p384.sec1.pem");
pub(crate) const P384_PUB: &str = include_str!("testdata/p384.pub.pem");
pub(crate) const P521: &str = include_str!("testdata/p521.pem");
pub(crate) const P521_SEC1: &str = include_str!("testdata/p521.sec1.pem");
pub(crate) const P521_PUB: &str = include_str!("testdata/p521.pub.pem");
pub(crate) const ED25519: &str = include_str!("testdata/ed25519.pem");
pub(crate) const ED25519_PUB: &str = include_str!("testdata/ed25519.pub.pem");

/// The message the signatures below sign.
pub(crate) const MESSAGE: &[u8] = b"eyJhbGciOiJQUzI1NiJ9.eyJzdWIiOiJhIn0";
/// `openssl dgst -sha256 -sign rsa2048.pem` of [`MESSAGE`].
pub(crate) const RS256_SIG: &str = include_str!("testdata/rs256.sig.b64");
/// PSS with a 32-byte salt, as RFC 7518 requires for PS256.
pub(crate) const PS256_SALT32_SIG: &str = include_str!("testdata/ps256.salt32.sig.b64");
/// PSS with a 20-byte salt, which PS256 must refuse.
pub(crate) const PS256_SALT20_SIG: &str = include_str!("testdata/ps256.salt20.sig.b64");
/// ECDSA P-256 over [`MESSAGE`] in DER, as OpenSSL writes it.
pub(crate) const ES256_DER_SIG: &str = include_str!("testdata/es256.der.sig.b64");

/// Standard base64, as OpenSSL's output above is written.
pub(crate) fn base64(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .unwrap()
}

/// The DER inside a PEM block.
pub(crate) fn der(pem: &str) -> Vec<u8> {
    pem_rfc7468::decode_vec(pem.trim().as_bytes()).unwrap().1
}
