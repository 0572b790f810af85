//! The strict base64url codec of JWS compact serialization (RFC 7515 section 2): no
//! padding, only the URL-safe alphabet, no whitespace, canonical trailing bits.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::{Error, ErrorKind};

/// Decodes one segment, refusing anything but canonical unpadded base64url.
pub(crate) fn decode(segment: &str, what: &'static str) -> Result<Vec<u8>, Error> {
    // URL_SAFE_NO_PAD refuses padding, `+ /`, whitespace and non-zero trailing bits.
    URL_SAFE_NO_PAD.decode(segment).map_err(|error| {
        Error::new(
            ErrorKind::Malformed,
            format!("the {what} is not strict base64url"),
        )
        .with_source(error)
    })
}

/// Appends the unpadded base64url encoding of `bytes` to `out`.
pub(crate) fn encode_into(bytes: &[u8], out: &mut String) {
    URL_SAFE_NO_PAD.encode_string(bytes, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_segments_round_trip() {
        let mut out = String::new();
        encode_into(b"\xff\xfe\x00any bytes", &mut out);
        assert_eq!(decode(&out, "payload").unwrap(), b"\xff\xfe\x00any bytes");
    }

    #[test]
    fn non_canonical_segments_are_malformed() {
        assert_eq!(decode("eyJ9", "header").unwrap(), b"{\"}");
        assert_eq!(decode("eQ", "header").unwrap(), b"y");
        // Each breaks exactly one rule: padding, alphabet, whitespace, trailing bits.
        for bad in [
            "eyJ9=", "eQ==", "ey+9", "ey/9", "ey J9", "eyJ9\n", "\teyJ9", "eR",
        ] {
            let error = decode(bad, "header").unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Malformed, "{bad:?}");
        }
    }
}
