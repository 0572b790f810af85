//! The one error type of the crate and the kinds users match on.

use std::borrow::Cow;
use std::fmt;

use crate::RegisteredClaim;

/// Why a key, an encoding or a token was refused.
///
/// Match on [`kind`](Error::kind); the [`Display`](fmt::Display) text names the claim and
/// the values involved (never a key or a MAC) and is meant for logs and people.
///
/// ```
/// use jwt_core::{ErrorKind, HmacKey};
/// let err = HmacKey::hs256(b"too short").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidKey);
/// ```
pub struct Error(Box<Inner>);

struct Inner {
    kind: ErrorKind,
    claim: Option<RegisteredClaim>,
    message: Cow<'static, str>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

/// The reason for a refusal, as a value to match on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The key cannot be used: a secret too short for its algorithm, a key that is
    /// malformed, too small or of a type or curve its algorithm cannot use, a JWK whose
    /// `use` or `key_ops` forbid verifying, or a key set with two keys for one `kid`.
    InvalidKey,
    /// A key set holds no key for the token's `kid`, or the token names no `kid` and the
    /// set holds more than one key.
    UnknownKey,
    /// The claims or header could not be serialized, or the claims are not a JSON object.
    Encode,
    /// The token is longer than the configured limit; nothing of it was parsed.
    TooLong,
    /// The token's structure, base64url or JSON is broken, or the header is not an object
    /// with a string `alg`.
    Malformed,
    /// The header's `alg` is a string that is not the key's algorithm (`none` included).
    AlgorithmMismatch,
    /// The header carries `crit`, which this library refuses in every form.
    CriticalHeader,
    /// The signature does not verify under the key.
    InvalidSignature,
    /// A registered claim has the wrong JSON type or range, or the claims do not fit the
    /// claims type.
    InvalidClaim,
    /// A claim that the type or a runtime rule requires is absent.
    MissingClaim,
    /// `exp` has passed (`now >= exp + leeway`).
    Expired,
    /// `nbf` is still ahead (`now < nbf - leeway`).
    NotYetValid,
    /// `iat` lies in the future beyond the leeway.
    IssuedInFuture,
    /// `iat` is older than the maximum age plus leeway.
    TooOld,
    /// `iss` is not one of the accepted issuers.
    InvalidIssuer,
    /// `aud` holds none of the accepted audiences, or is present where none is expected.
    InvalidAudience,
    /// `sub` is not the required subject.
    InvalidSubject,
    /// The header's `typ` is not the one the claims type requires.
    InvalidType,
    /// A field validator refused the value.
    Custom,
    /// The token's `jti` was seen before: a replay store holds it until the token's `exp`.
    Replayed,
    /// The token's `jti` was revoked.
    Revoked,
    /// Something the decision depends on cannot answer: a remote key set that could never
    /// be fetched, or a replay store that is unreachable. The token was not accepted; the
    /// same token may pass once the service is back (HTTP `503`, not `401`).
    Unavailable,
}

impl ErrorKind {
    /// A short lowercase description of the kind.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidKey => "invalid key",
            ErrorKind::UnknownKey => "unknown key",
            ErrorKind::Encode => "cannot encode",
            ErrorKind::TooLong => "token too long",
            ErrorKind::Malformed => "malformed token",
            ErrorKind::AlgorithmMismatch => "algorithm mismatch",
            ErrorKind::CriticalHeader => "critical header refused",
            ErrorKind::InvalidSignature => "invalid signature",
            ErrorKind::InvalidClaim => "invalid claim",
            ErrorKind::MissingClaim => "missing claim",
            ErrorKind::Expired => "token expired",
            ErrorKind::NotYetValid => "token not yet valid",
            ErrorKind::IssuedInFuture => "token issued in the future",
            ErrorKind::TooOld => "token too old",
            ErrorKind::InvalidIssuer => "invalid issuer",
            ErrorKind::InvalidAudience => "invalid audience",
            ErrorKind::InvalidSubject => "invalid subject",
            ErrorKind::InvalidType => "invalid token type",
            ErrorKind::Custom => "claim refused by validator",
            ErrorKind::Replayed => "token replayed",
            ErrorKind::Revoked => "token revoked",
            ErrorKind::Unavailable => "service unavailable",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// An error of `kind` with a lowercase `message`, for keys and validators implemented
    /// outside this crate.
    ///
    /// ```
    /// use jwt_core::{Error, ErrorKind};
    /// let error = Error::new(ErrorKind::UnknownKey, "no key for kid \"2026-11\"");
    /// assert_eq!(error.to_string(), "unknown key: no key for kid \"2026-11\"");
    /// ```
    pub fn new(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> Error {
        Error(Box::new(Inner {
            kind,
            claim: None,
            message: message.into(),
            source: None,
        }))
    }

    /// An error of `kind` about the registered claim `claim` (which
    /// [`claim`](Error::claim) returns), for checks made outside this crate, such as a
    /// replay store's on `jti`.
    ///
    /// ```
    /// use jwt_core::{Error, ErrorKind, RegisteredClaim};
    /// let error = Error::for_claim(ErrorKind::MissingClaim, RegisteredClaim::Jti, "`jti` is absent");
    /// assert_eq!(error.claim(), Some(RegisteredClaim::Jti));
    /// ```
    pub fn for_claim(
        kind: ErrorKind,
        claim: RegisteredClaim,
        message: impl Into<Cow<'static, str>>,
    ) -> Error {
        let mut error = Error::new(kind, message);
        error.0.claim = Some(claim);
        error
    }

    /// The same error, caused by `source` (which [`std::error::Error::source`] returns).
    #[must_use]
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Error {
        self.0.source = Some(Box::new(source));
        self
    }

    /// The reason for the refusal.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The registered claim the error is about, if it is about one.
    ///
    /// ```
    /// use jwt_core::{NumericDate, RegisteredClaim, Validation};
    /// # use jwt_core::HmacKey;
    /// # let key = HmacKey::hs256([7u8; 32]).unwrap();
    /// let mut claims = serde_json::Map::new();
    /// claims.insert("exp".into(), 100.into());
    /// let token = jwt_core::encode(&claims, &key).unwrap();
    /// let err = jwt_core::decode_with::<serde_json::Map<String, serde_json::Value>>(
    ///     &token,
    ///     &key,
    ///     &Validation::new().at(NumericDate::from_secs(200)),
    /// )
    /// .unwrap_err();
    /// assert_eq!(err.claim(), Some(RegisteredClaim::Exp));
    /// ```
    pub fn claim(&self) -> Option<RegisteredClaim> {
        self.0.claim
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.0.kind, self.0.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Error");
        debug.field("kind", &self.0.kind);
        if let Some(claim) = self.0.claim {
            debug.field("claim", &claim);
        }
        debug.field("message", &self.0.message);
        if let Some(source) = &self.0.source {
            debug.field("source", source);
        }
        debug.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}

/// At most this many characters of a value taken from a token go into a message, so that
/// a refusal cannot be made to log the whole token.
const EXCERPT_CHARS: usize = 64;

/// At most this many values of a list taken from a token go into a message.
const EXCERPT_VALUES: usize = 4;

/// At most this many characters of a message about a token's JSON go into an error, since
/// such a message may quote a value of it (serde's "invalid type: string ...").
const MESSAGE_CHARS: usize = 256;

/// The first `limit` characters of `text`, when it has more.
fn cut(text: &str, limit: usize) -> Option<&str> {
    let (at, _) = text.char_indices().nth(limit)?;
    text.get(..at)
}

/// A message made from a token's JSON, cut short like an [`Excerpt`] but not quoted.
pub(crate) fn bounded_message(message: String) -> Box<str> {
    match cut(&message, MESSAGE_CHARS) {
        Some(kept) => format!("{kept}... ({} bytes)", message.len()).into(),
        None => message.into(),
    }
}

/// A value from a token, quoted and cut short for a message.
pub(crate) struct Excerpt<'a>(pub(crate) &'a str);

impl fmt::Display for Excerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        match cut(text, EXCERPT_CHARS) {
            None => write!(f, "{text:?}"),
            Some(kept) => write!(f, "{kept:?}... ({} bytes)", text.len()),
        }
    }
}

/// As [`Display`](fmt::Display): a `Debug` of a key shows its `kid`, which may come from
/// a JWK Set or a token, cut short.
impl fmt::Debug for Excerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A list of values from a token, each an [`Excerpt`], the list itself cut short.
pub(crate) struct ExcerptList<'a, T>(pub(crate) &'a [T]);

impl<T: AsRef<str>> fmt::Display for ExcerptList<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, value) in self.0.iter().take(EXCERPT_VALUES).enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}", Excerpt(value.as_ref()))?;
        }
        if self.0.len() > EXCERPT_VALUES {
            write!(f, ", ... ({} values)", self.0.len())?;
        }
        f.write_str("]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_of_token_values_are_bounded() {
        assert_eq!(Excerpt("api").to_string(), r#""api""#);
        let long = "é".repeat(1000);
        let shown = Excerpt(&long).to_string();
        assert!(
            shown.len() < 200 && shown.ends_with("... (2000 bytes)"),
            "{shown}"
        );
        let many: Vec<String> = (0..1000).map(|i| i.to_string()).collect();
        assert_eq!(
            ExcerptList(&many).to_string(),
            r#"["0", "1", "2", "3", ... (1000 values)]"#
        );
        assert_eq!(ExcerptList(&["a"]).to_string(), r#"["a"]"#);
        assert_eq!(&*bounded_message("short".into()), "short");
        let message = bounded_message(format!("invalid type: string {long:?}"));
        assert!(
            message.chars().count() < 300 && message.ends_with("(2023 bytes)"),
            "{message}"
        );
    }
}
