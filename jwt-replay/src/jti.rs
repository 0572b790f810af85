//! The bound on a `jti`, shared by every store, and its quoting in messages.

use std::fmt;

use jwt_core::{Error, ErrorKind, RegisteredClaim};

/// The longest `jti` a store accepts, in bytes; a longer one is refused with
/// [`ErrorKind::InvalidClaim`], so that what a store keeps per token is bounded.
pub const MAX_JTI_LEN: usize = 256;

/// At most this many characters of a `jti` go into a message.
const QUOTED_CHARS: usize = 64;

/// Refuses an empty `jti` and one longer than [`MAX_JTI_LEN`] bytes.
pub(crate) fn check(jti: &str) -> Result<(), Error> {
    if jti.is_empty() {
        return Err(Error::for_claim(
            ErrorKind::InvalidClaim,
            RegisteredClaim::Jti,
            "`jti` is empty; it cannot name a token",
        ));
    }
    if jti.len() > MAX_JTI_LEN {
        return Err(Error::for_claim(
            ErrorKind::InvalidClaim,
            RegisteredClaim::Jti,
            format!(
                "`jti` is {} bytes long, more than the {MAX_JTI_LEN} a replay store keeps",
                jti.len()
            ),
        ));
    }
    Ok(())
}

/// A `jti`, quoted and cut short for a message.
pub(crate) struct Quoted<'a>(pub(crate) &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        match text.char_indices().nth(QUOTED_CHARS) {
            None => write!(f, "{text:?}"),
            Some((at, _)) => {
                let kept = text.get(..at).unwrap_or_default();
                write!(f, "{kept:?}... ({} bytes)", text.len())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_jti_is_refused() {
        assert_eq!(check("").unwrap_err().kind(), ErrorKind::InvalidClaim);
    }

    #[test]
    fn jti_longer_than_the_bound_is_refused() {
        assert!(check(&"a".repeat(MAX_JTI_LEN)).is_ok());
        let err = check(&"a".repeat(MAX_JTI_LEN + 1)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidClaim);
        assert!(err.to_string().contains("257 bytes"), "{err}");
    }

    #[test]
    fn long_jti_is_cut_short_in_messages() {
        assert_eq!(Quoted("a1").to_string(), "\"a1\"");
        let long = "é".repeat(100);
        let quoted = Quoted(&long).to_string();
        assert!(quoted.ends_with("... (200 bytes)"), "{quoted}");
        assert_eq!(quoted.matches('é').count(), QUOTED_CHARS);
    }
}
