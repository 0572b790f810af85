//! The strict base64url codec of JWS compact serialization (RFC 7515 section 2): no
//! padding, only the URL-safe alphabet, no whitespace, canonical trailing bits.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::{Error, ErrorKind};

/// Decodes one segment, refusing anything but canonical unpadded base64url.
pub(crate) fn decode(segment: &str, what: &'static str) -> Result<Vec<u8>, Error> {
    // URL_SAFE_NO_PAD refuses padding, `+ /`, whitespace and non-zero trailing bits.
    URL_SAFE_NO_PAD
        .decode(segment)
        .map_err(|error| not_base64url(what, error))
}

/// Decodes one segment as [`decode`] does, into `stack` when it fits and else into
/// `heap`, so that the segments of a typical token cost no allocation.
pub(crate) fn decode_into<'b>(
    segment: &str,
    what: &'static str,
    stack: &'b mut [u8],
    heap: &'b mut Vec<u8>,
) -> Result<&'b [u8], Error> {
    // An upper bound of the decoded length, as the codec estimates it.
    if segment.len().div_ceil(4).saturating_mul(3) <= stack.len() {
        let written = URL_SAFE_NO_PAD
            .decode_slice(segment, stack)
            .map_err(|error| not_base64url(what, error))?;
        Ok(stack.get(..written).unwrap_or_default())
    } else {
        URL_SAFE_NO_PAD
            .decode_vec(segment, heap)
            .map_err(|error| not_base64url(what, error))?;
        Ok(heap)
    }
}

fn not_base64url(what: &str, error: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::new(
        ErrorKind::Malformed,
        format!("the {what} is not strict base64url"),
    )
    .with_source(error)
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
    fn segments_decode_alike_on_the_stack_and_on_the_heap() {
        let mut encoded = String::new();
        let bytes: Vec<u8> = (0..=255).collect();
        for len in 0..bytes.len() {
            encoded.clear();
            encode_into(&bytes[..len], &mut encoded);
            let (mut small, mut large) = ([0; 8], [0; 512]);
            let (mut heap_a, mut heap_b) = (Vec::new(), Vec::new());
            let on_heap = decode_into(&encoded, "payload", &mut small, &mut heap_a).unwrap();
            let on_stack = decode_into(&encoded, "payload", &mut large, &mut heap_b).unwrap();
            assert_eq!(on_heap, &bytes[..len]);
            assert_eq!(on_stack, &bytes[..len]);
        }
        for bad in ["eyJ9=", "ey+9", "eR", "e", "eyJ9eyJ9e"] {
            let (mut small, mut large) = ([0; 2], [0; 64]);
            let (mut heap_a, mut heap_b) = (Vec::new(), Vec::new());
            let small = decode_into(bad, "header", &mut small, &mut heap_a);
            let large = decode_into(bad, "header", &mut large, &mut heap_b);
            assert_eq!(small.unwrap_err().kind(), ErrorKind::Malformed, "{bad:?}");
            assert_eq!(large.unwrap_err().kind(), ErrorKind::Malformed, "{bad:?}");
        }
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
