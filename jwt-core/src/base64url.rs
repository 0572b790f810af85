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

/// Checks `segment` as [`decode`] does, without decoding it: the alphabet, a length
/// that some bytes encode to, and canonical trailing bits. No allocation, so that a
/// large segment can be refused before anything is made of it.
pub(crate) fn validate(segment: &str, what: &'static str) -> Result<(), Error> {
    let invalid = |detail: &str| {
        Error::new(
            ErrorKind::Malformed,
            format!("the {what} is not strict base64url: {detail}"),
        )
    };
    let bytes = segment.as_bytes();
    // Whole blocks without an early exit, so that the compiler can vectorize them.
    let mut blocks = bytes.chunks_exact(64);
    let outside = blocks.by_ref().any(|block| {
        block
            .iter()
            .fold(false, |out, &byte| out | !in_alphabet(byte))
    });
    if outside || !blocks.remainder().iter().all(|&byte| in_alphabet(byte)) {
        return Err(invalid("a character outside the URL-safe alphabet"));
    }
    let last = bytes.last().and_then(|&byte| sextet(byte)).unwrap_or(0);
    // The bits of the last character that encode no byte must be zero.
    let unused_bits = match bytes.len() % 4 {
        0 => 0,
        1 => return Err(invalid("no number of bytes encodes to this length")),
        2 => 0b1111,
        _ => 0b11,
    };
    if last & unused_bits != 0 {
        return Err(invalid("non-canonical trailing bits"));
    }
    Ok(())
}

/// The value of a URL-safe base64 character.
fn sextet(byte: u8) -> Option<u8> {
    match byte {
        b'A'..=b'Z' => Some(byte - b'A'),
        b'a'..=b'z' => Some(byte - b'a' + 26),
        b'0'..=b'9' => Some(byte - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}

/// Whether `byte` is in the URL-safe base64 alphabet.
fn in_alphabet(byte: u8) -> bool {
    (byte | 0x20).wrapping_sub(b'a') < 26
        || byte.wrapping_sub(b'0') < 10
        || byte == b'-'
        || byte == b'_'
}

/// Decodes one segment as [`decode`] does, into `stack` when it fits and else into
/// `heap`, so that the segments of a typical token cost no allocation.
///
/// With `check_first`, a segment too long for `stack` is checked with [`validate`]
/// before the heap is asked for its decoded length, so that refusing it allocates
/// nothing in proportion to it.
pub(crate) fn decode_into<'b>(
    segment: &str,
    what: &'static str,
    stack: &'b mut [u8],
    heap: &'b mut Vec<u8>,
    check_first: bool,
) -> Result<&'b [u8], Error> {
    // An upper bound of the decoded length, as the codec estimates it.
    if segment.len().div_ceil(4).saturating_mul(3) <= stack.len() {
        let written = URL_SAFE_NO_PAD
            .decode_slice(segment, stack)
            .map_err(|error| not_base64url(what, error))?;
        Ok(stack.get(..written).unwrap_or_default())
    } else {
        if check_first {
            validate(segment, what)?;
        }
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

/// The URL-safe alphabet.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The two characters of each twelve bits, the first in the low byte: encoding looks
/// up two characters at once.
// Indexing in a constant fails the build, never a run.
#[allow(clippy::indexing_slicing)]
static PAIRS: [u16; 4096] = {
    let mut table = [0; 4096];
    let mut bits = 0;
    while bits < 4096 {
        table[bits] = u16::from_le_bytes([ALPHABET[bits >> 6], ALPHABET[bits & 63]]);
        bits += 1;
    }
    table
};

/// The two characters of the low twelve bits of `bits`, the first in the low byte.
fn pair(bits: u64) -> u64 {
    PAIRS
        .get((bits & 0xfff) as usize)
        .map_or(0, |&pair| u64::from(pair))
}

/// Appends the unpadded base64url encoding of `bytes` to `out`.
pub(crate) fn encode_into(bytes: &[u8], out: &mut String) {
    URL_SAFE_NO_PAD.encode_string(bytes, out);
}

/// Appends the unpadded base64url encoding of `bytes` to `out`.
///
/// This is the encoder of every token: it looks up two characters per table read, where
/// the `base64` crate's scalar encoder looks up one, and so encodes a typical payload in
/// about four fifths of the time. The crate's encoder is the reference it is tested
/// against, and still encodes the rarely made header segments.
pub(crate) fn append(bytes: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(start + encoded_len(bytes.len()), 0);
    if let Some(free) = out.get_mut(start..) {
        encode_slice(bytes, free);
    }
}

/// Encodes `bytes` into `out`, which must be exactly their encoded length.
fn encode_slice(bytes: &[u8], out: &mut [u8]) {
    let mut rest = bytes;
    let mut slots = out.chunks_exact_mut(8);
    // Six bytes make eight characters, read in one load while eight bytes are left.
    while let (Some(word), Some(eight)) = (rest.first_chunk::<8>(), slots.next()) {
        let word = u64::from_be_bytes(*word) >> 16;
        let characters =
            pair(word >> 36) | pair(word >> 24) << 16 | pair(word >> 12) << 32 | pair(word) << 48;
        eight.copy_from_slice(&characters.to_le_bytes());
        rest = rest.get(6..).unwrap_or_default();
    }
    let done = (bytes.len() - rest.len()) / 6 * 8;
    let mut at = done;
    // Fewer than eight bytes: three at a time, then the last one or two.
    for group in rest.chunks(3) {
        let word = group
            .iter()
            .fold(0u64, |word, &byte| word << 8 | u64::from(byte));
        // The bits of the group, shifted so that the last character gets the last ones
        // followed by zeros: four, three or two characters of them.
        let characters = match group.len() {
            3 => pair(word >> 12) | pair(word) << 16,
            2 => pair(word >> 4) | pair(word << 8) << 16,
            _ => pair(word << 4),
        };
        let count = group.len() + 1;
        if let (Some(slots), Some(characters)) = (
            out.get_mut(at..at + count),
            characters.to_le_bytes().get(..count),
        ) {
            slots.copy_from_slice(characters);
        }
        at += count;
    }
}

/// The length of the unpadded base64url encoding of `len` bytes.
pub(crate) fn encoded_len(len: usize) -> usize {
    let (whole, rest) = (len / 3, len % 3);
    whole * 4 + if rest == 0 { 0 } else { rest + 1 }
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

    fn decoded<const N: usize>(text: &str, check_first: bool) -> Result<Vec<u8>, Error> {
        let mut heap = Vec::new();
        decode_into(text, "payload", &mut [0; N], &mut heap, check_first).map(<[u8]>::to_vec)
    }

    #[test]
    fn segments_decode_alike_on_the_stack_and_on_the_heap() {
        let mut encoded = String::new();
        let bytes: Vec<u8> = (0..=255).collect();
        for len in 0..bytes.len() {
            encoded.clear();
            encode_into(&bytes[..len], &mut encoded);
            assert_eq!(decoded::<8>(&encoded, true).unwrap(), &bytes[..len]);
            assert_eq!(decoded::<8>(&encoded, false).unwrap(), &bytes[..len]);
            assert_eq!(decoded::<512>(&encoded, true).unwrap(), &bytes[..len]);
        }
    }

    fn crate_encoding(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    #[test]
    fn own_encoder_writes_what_the_base64_crate_writes_at_every_length() {
        // Every byte value in every position of a 6-byte block and of the tail.
        let bytes: Vec<u8> = (0..=255).chain((0..=255).rev()).collect();
        for len in 0..bytes.len() {
            let mut out = Vec::from(&b"prefix."[..]);
            append(&bytes[..len], &mut out);
            assert_eq!(
                out,
                format!("prefix.{}", crate_encoding(&bytes[..len])).as_bytes()
            );
            assert_eq!(out.len() - 7, encoded_len(len));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 4_000,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        #[test]
        fn own_encoder_agrees_with_the_base64_crate(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
            let mut out = Vec::new();
            append(&bytes, &mut out);
            proptest::prop_assert_eq!(out, crate_encoding(&bytes).into_bytes());
        }

        /// Checking without decoding refuses exactly what decoding refuses.
        #[test]
        fn validation_agrees_with_decoding(text in "[A-Za-z0-9_=+/ .@\\[`{-]{0,12}|[A-Za-z0-9_-]{60,140}[A-Za-z0-9_=+/ .@\\[`{-]?") {
            let decodes = decode(&text, "payload").is_ok();
            proptest::prop_assert_eq!(validate(&text, "payload").is_ok(), decodes, "{:?}", text);
            proptest::prop_assert_eq!(decoded::<2>(&text, true).is_ok(), decodes, "{:?}", text);
            proptest::prop_assert_eq!(decoded::<3>(&text, false).is_ok(), decodes, "{:?}", text);
            proptest::prop_assert_eq!(decoded::<64>(&text, true).is_ok(), decodes, "{:?}", text);
        }
    }

    #[test]
    fn non_canonical_segments_are_malformed() {
        assert_eq!(decode("eyJ9", "header").unwrap(), b"{\"}");
        assert_eq!(decode("eQ", "header").unwrap(), b"y");
        // Each breaks exactly one rule: padding, alphabet, whitespace, trailing bits.
        for bad in [
            "eyJ9=", "eQ==", "ey+9", "ey/9", "ey J9", "eyJ9\n", "\teyJ9", "eR", "e", "eyJ9e",
        ] {
            let error = decode(bad, "header").unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Malformed, "{bad:?}");
            let error = validate(bad, "header").unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Malformed, "{bad:?}");
        }
    }
}
