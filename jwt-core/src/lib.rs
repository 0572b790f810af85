#![forbid(unsafe_code)]

mod algorithm;
mod audience;
mod base64url;
mod claims;
mod decode;
mod encode;
mod error;
mod header;
mod json;
mod key;
mod registered;
mod time;
mod validation;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use algorithm::Algorithm;
pub use audience::Audience;
pub use claims::{ClaimSet, Claims, ClaimsPolicy, MissingExp, RegisteredClaim};
pub use decode::{Token, dangerous_unverified_decode, decode, decode_header, decode_with};
pub use encode::{encode, encode_with_header};
pub use error::{Error, ErrorKind};
pub use header::Header;
pub use key::{HmacKey, SigningKey, VerifyingKey};
pub use time::NumericDate;
pub use validation::{DEFAULT_MAX_TOKEN_LEN, Validation};

#[cfg(feature = "derive")]
pub use jwt_derive::Claims;
