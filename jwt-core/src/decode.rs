//! Decoding: a compact token in, verified and validated claims out, in the order the
//! crate documentation's decoding rules give. Nothing of the payload is read before the
//! signature has been checked.

use serde::de::DeserializeOwned;

use crate::error::Excerpt;
use crate::header::RawHeader;
use crate::json::reader::JsonError;
use crate::registered::{self, PayloadError, Registered};
use crate::validation::DEFAULT_MAX_TOKEN_LEN;
use crate::{
    Algorithm, ClaimSet, Claims, Error, ErrorKind, Header, NumericDate, RegisteredClaim,
    Validation, VerifyingKey, base64url, json, validation,
};

/// A verified token: its header, its claims, and the registered claims that a replay or
/// revocation check needs (`jti`, `exp`), as the decoder read them whatever `C` keeps.
#[derive(Clone, Debug)]
pub struct Token<C> {
    header: Header,
    claims: C,
    jti: Option<Jti>,
    exp: Option<NumericDate>,
}

/// A token's `jti`, kept inline when it is as short as identifiers usually are (a UUID
/// is 36 bytes), so that keeping it costs no allocation.
#[derive(Clone)]
enum Jti {
    Inline { len: u8, bytes: [u8; Jti::INLINE] },
    Heap(Box<str>),
}

impl Jti {
    const INLINE: usize = 46;

    fn new(jti: &str) -> Jti {
        let mut bytes = [0; Jti::INLINE];
        match (bytes.get_mut(..jti.len()), u8::try_from(jti.len())) {
            (Some(prefix), Ok(len)) => {
                prefix.copy_from_slice(jti.as_bytes());
                Jti::Inline { len, bytes }
            }
            _ => Jti::Heap(jti.into()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Copied whole from a `str`, so always UTF-8; never the empty fallback.
            Jti::Inline { len, bytes } => bytes
                .get(..usize::from(*len))
                .and_then(|bytes| std::str::from_utf8(bytes).ok())
                .unwrap_or_default(),
            Jti::Heap(jti) => jti,
        }
    }
}

impl std::fmt::Debug for Jti {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&Excerpt(self.as_str()), f)
    }
}

impl<C> Token<C> {
    /// The header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The token's `jti`, as the payload states it, whether or not `C` has a field for it.
    ///
    /// ```
    /// use jwt_core::{HmacKey, NumericDate, Validation};
    ///
    /// let key = HmacKey::hs256(b"a secret of at least thirty-two bytes!")?;
    /// let exp = NumericDate::now() + 60;
    /// let token = jwt_core::encode(&serde_json::json!({"jti": "a1", "exp": exp}), &key)?;
    /// let token =
    ///     jwt_core::decode_with::<serde_json::Value>(&token, &key, &Validation::new())?;
    /// assert_eq!(token.jti(), Some("a1"));
    /// assert_eq!(token.expires_at(), Some(exp));
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    pub fn jti(&self) -> Option<&str> {
        self.jti.as_ref().map(Jti::as_str)
    }

    /// The token's `exp`, as the rules checked it (the floor of a fractional time).
    pub fn expires_at(&self) -> Option<NumericDate> {
        self.exp
    }

    /// The claims.
    pub fn claims(&self) -> &C {
        &self.claims
    }

    /// The claims, dropping the header.
    pub fn into_claims(self) -> C {
        self.claims
    }

    /// The header and the claims.
    pub fn into_parts(self) -> (Header, C) {
        (self.header, self.claims)
    }
}

/// Verifies `token` with `key` and checks it against the rules of `C`, with the system
/// clock; returns the claims.
///
/// ```
/// use jwt_core::{Claims, ErrorKind, HmacKey, NumericDate};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Debug, Serialize, Deserialize, Claims)]
/// #[jwt(iss = "auth.example.com")]
/// struct Session {
///     sub: String,
///     exp: NumericDate,
/// }
///
/// let key = HmacKey::hs256(b"a secret of at least thirty-two bytes!")?;
/// let token = jwt_core::encode(&Session { sub: "u1".into(), exp: NumericDate::now() + 60 }, &key)?;
/// let session: Session = jwt_core::decode(&token, &key)?;
/// assert_eq!(session.sub, "u1");
///
/// let stale = jwt_core::encode(&Session { sub: "u1".into(), exp: NumericDate::now() - 60 }, &key)?;
/// let refused = jwt_core::decode::<Session>(&stale, &key).unwrap_err();
/// assert_eq!(refused.kind(), ErrorKind::Expired);
/// # Ok::<(), jwt_core::Error>(())
/// ```
///
/// # Errors
///
/// The first rule the token breaks, as an [`ErrorKind`].
pub fn decode<C>(token: &str, key: &(impl VerifyingKey + ?Sized)) -> Result<C, Error>
where
    C: Claims + DeserializeOwned,
{
    claims_only(token, key, &Validation::new())
}

/// As [`decode_with`], without building the owned header or the registered claims' copy.
pub(crate) fn claims_only<C>(
    token: &str,
    key: &(impl VerifyingKey + ?Sized),
    validation: &Validation,
) -> Result<C, Error>
where
    C: Claims + DeserializeOwned,
{
    verify_and_validate(token, key, validation, |_, _, claims, _| Ok(claims))
}

/// Verifies `token` with `key` and checks it against the rules of `C` and those of
/// `validation`; returns the header and the claims.
///
/// # Errors
///
/// The first rule the token breaks, as an [`ErrorKind`].
pub fn decode_with<C>(
    token: &str,
    key: &(impl VerifyingKey + ?Sized),
    validation: &Validation,
) -> Result<Token<C>, Error>
where
    C: Claims + DeserializeOwned,
{
    verify_and_validate(token, key, validation, |header, alg, claims, registered| {
        Ok(Token {
            header: header.into_header(alg)?,
            claims,
            jti: registered.jti.as_deref().map(Jti::new),
            exp: registered.exp,
        })
    })
}

/// The decoding rules, in order. `finish` gets the header as read, its algorithm and the
/// claims, so that a caller who has no use for an owned header does not build one.
fn verify_and_validate<C, K, T>(
    token: &str,
    key: &K,
    validation: &Validation,
    finish: impl FnOnce(RawHeader<'_>, Algorithm, C, &Registered<'_>) -> Result<T, Error>,
) -> Result<T, Error>
where
    C: Claims + DeserializeOwned,
    K: VerifyingKey + ?Sized,
{
    // A type that takes its issuer or audience from the validation refuses every token
    // when the validation names none: the mistake is the caller's, whatever the token.
    validation.check_configured(&C::POLICY)?;
    check_length(token, validation.token_len_limit())?;
    let segments = Segments::split_at_outer_dots(token).ok_or_else(Segments::too_many)?;
    // Rule 2 for the header and the signature, which in a typical token decode into
    // these stack buffers. The payload's turn comes below.
    let (mut header_buf, mut signature_buf) = ([0; 256], [0; 512]);
    let (mut header_heap, mut signature_heap) = (Vec::new(), Vec::new());
    let common_header = RawHeader::common(segments.header);
    let header_json = match common_header {
        Some(_) => &[][..],
        None => segments.decode(
            segments.header,
            "header",
            &mut header_buf,
            &mut header_heap,
            true,
        )?,
    };
    let signature = segments.decode(
        segments.signature,
        "signature",
        &mut signature_buf,
        &mut signature_heap,
        true,
    )?;

    // Rules 3 and 4. The payload is decoded only once its signature has verified, so
    // that a refusal allocates nothing in proportion to it; it must still be strict
    // base64url for any of these refusals to stand, since rule 2 comes first.
    let header = (|| {
        let header = match common_header {
            Some(header) => header,
            None => RawHeader::parse(header_json)?,
        };
        let alg = check_algorithm(&header, key)?;
        refuse_critical(&header)?;
        key.verify(
            header.kid.as_deref(),
            segments.signing_input.as_bytes(),
            signature,
        )?;
        Ok((header, alg))
    })();
    let (header, alg) = header.map_err(|error| segments.payload_checked_first(error))?;
    // The header's `typ` says which kind of token this is: a token of another kind is
    // refused as such before its payload is read into a type it was never meant for.
    if let Some(expected) = C::POLICY.required_typ() {
        validation::check_typ(expected, header.typ.as_deref())?;
    }

    let mut payload_buf = [0; 1024];
    let mut payload_heap = Vec::new();
    let payload_json = segments.decode(
        segments.payload,
        "payload",
        &mut payload_buf,
        &mut payload_heap,
        false,
    )?;
    let mut registered = Registered::default();
    let claims = parse_claims::<C>(payload_json, &mut registered, validation)?;
    validation.check(&C::POLICY, &registered)?;
    claims.validate_fields()?;
    finish(header, alg, claims, &registered)
}

/// Reads a token's header without verifying anything else. For choosing a key or
/// logging; never trust it.
///
/// # Errors
///
/// [`ErrorKind::TooLong`] beyond 64 KiB, [`ErrorKind::Malformed`] for a broken token or
/// header, [`ErrorKind::AlgorithmMismatch`] for an `alg` that names no known algorithm
/// (`none` among them), [`ErrorKind::CriticalHeader`] for a `crit`.
pub fn decode_header(token: &str) -> Result<Header, Error> {
    check_length(token, DEFAULT_MAX_TOKEN_LEN)?;
    let segments = Segments::split(token)?;
    let header_json = base64url::decode(segments.header, "header")?;
    inspect_header(RawHeader::parse(&header_json)?)
}

/// A token read **without verifying its signature or any claim rule**: what
/// [`dangerous_unverified_decode`] returns. Anyone can make one; it is a type of its own,
/// never a [`Token`], so that it cannot be passed where a verified token is expected.
#[derive(Clone, Debug)]
pub struct Unverified<C> {
    header: Header,
    claims: C,
}

impl<C> Unverified<C> {
    /// The header, as the token states it: nothing vouches for it.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The claims, as the token states them: nothing vouches for them.
    pub fn claims(&self) -> &C {
        &self.claims
    }

    /// The claims, still unverified, dropping the header.
    pub fn into_claims(self) -> C {
        self.claims
    }

    /// The header and the claims, still unverified.
    pub fn into_parts(self) -> (Header, C) {
        (self.header, self.claims)
    }
}

/// Reads a token's header and claims **without verifying the signature or any claim**.
///
/// Anyone can write a token that this accepts. Use it to inspect tokens in tools and
/// logs, never to decide anything; the result is an [`Unverified`], which nothing in
/// this crate takes as a verified [`Token`].
///
/// What it still checks, in the order of the decoding rules: the length limit of
/// [`DEFAULT_MAX_TOKEN_LEN`](crate::DEFAULT_MAX_TOKEN_LEN) ([`ErrorKind::TooLong`]);
/// three segments of strict base64url, the signature segment included
/// ([`ErrorKind::Malformed`]); a strict JSON header that is an object with a string
/// `alg` naming a known algorithm ([`ErrorKind::Malformed`],
/// [`ErrorKind::AlgorithmMismatch`], `none` among the unknown) and no `crit`
/// ([`ErrorKind::CriticalHeader`]); a strict JSON payload that is an object and fits
/// `C` ([`ErrorKind::Malformed`], [`ErrorKind::InvalidClaim`]), with every registered
/// claim present of its JSON type ([`ErrorKind::InvalidClaim`]). What it does not
/// check: the signature, the algorithm against any key, and every rule on the claims'
/// values (expiry, not-before, issue time, issuer, audience, subject, `typ`, required
/// claims, `C`'s validators).
///
/// ```
/// use jwt_core::{HmacKey, NumericDate};
///
/// let key = HmacKey::hs256(b"a secret of at least thirty-two bytes!")?;
/// let claims = serde_json::json!({"sub": "ann", "exp": 1});
/// let token = jwt_core::encode(&claims, &key)?;
/// // Expired long ago and read without a key: for a log line only.
/// let unverified = jwt_core::dangerous_unverified_decode::<serde_json::Value>(&token)?;
/// assert_eq!(unverified.claims()["sub"], "ann");
/// # Ok::<(), jwt_core::Error>(())
/// ```
///
/// # Errors
///
/// As [`decode_header`], and [`ErrorKind::Malformed`] or [`ErrorKind::InvalidClaim`]
/// for a payload that is broken or does not fit `C`.
pub fn dangerous_unverified_decode<C: DeserializeOwned>(
    token: &str,
) -> Result<Unverified<C>, Error> {
    check_length(token, DEFAULT_MAX_TOKEN_LEN)?;
    let segments = Segments::split(token)?;
    let header_json = base64url::decode(segments.header, "header")?;
    let payload_json = base64url::decode(segments.payload, "payload")?;
    // Unchecked, but still held to the same encoding as a checked one.
    base64url::validate(segments.signature, "signature")?;
    let header = inspect_header(RawHeader::parse(&header_json)?)?;
    let claims = parse_payload::<C>(&payload_json, &mut Registered::default(), ClaimSet::EMPTY)?;
    Ok(Unverified { header, claims })
}

/// The owned header of a token read without a key: `alg` must name a known algorithm.
fn inspect_header(header: RawHeader<'_>) -> Result<Header, Error> {
    let alg: Algorithm = header.alg.parse()?;
    refuse_critical(&header)?;
    header.into_header(alg)
}

/// Rule 1: the length limit, before anything is parsed.
fn check_length(token: &str, limit: usize) -> Result<(), Error> {
    if token.len() > limit {
        return Err(Error::new(
            ErrorKind::TooLong,
            format!("the token has {} bytes; the limit is {limit}", token.len()),
        ));
    }
    Ok(())
}

/// Rule 2: exactly three segments, split at the two dots.
struct Segments<'a> {
    header: &'a str,
    payload: &'a str,
    signature: &'a str,
    /// `header . payload`, exactly as received.
    signing_input: &'a str,
}

impl<'a> Segments<'a> {
    fn split(token: &'a str) -> Result<Segments<'a>, Error> {
        let segments = Segments::split_at_outer_dots(token).ok_or_else(Segments::too_many)?;
        if segments.payload.contains('.') {
            return Err(Segments::too_many());
        }
        Ok(segments)
    }

    /// Splits at the first and the last dot; the payload may still hold a dot. Decoding
    /// the payload refuses one (the dot is no base64url), so a caller that decodes it
    /// need not search it twice; [`Segments::decode`] says why.
    fn split_at_outer_dots(token: &'a str) -> Option<Segments<'a>> {
        let last = last_dot(token.as_bytes())?;
        let (signing_input, signature) = (token.get(..last)?, token.get(last + 1..)?);
        let first = first_dot(signing_input.as_bytes())?;
        let (header, payload) = (signing_input.get(..first)?, signing_input.get(first + 1..)?);
        Some(Segments {
            header,
            payload,
            signature,
            signing_input,
        })
    }

    /// Rule 2 for one of the segments: its bytes ([`base64url::decode_into`]). When the
    /// payload holds a dot, the token has more than three segments, and that is the
    /// error.
    ///
    /// Before the signature is checked, a long segment is checked before it is decoded
    /// (`check_first`); after, the payload is decoded in one pass.
    fn decode<'b>(
        &self,
        segment: &str,
        what: &'static str,
        stack: &'b mut [u8],
        heap: &'b mut Vec<u8>,
        check_first: bool,
    ) -> Result<&'b [u8], Error> {
        base64url::decode_into(segment, what, stack, heap, check_first)
            .map_err(|error| self.structure(error))
    }

    /// `error` of a later rule, unless the payload breaks rule 2: then that.
    fn payload_checked_first(&self, error: Error) -> Error {
        match base64url::validate(self.payload, "payload") {
            Ok(()) => error,
            Err(malformed) => self.structure(malformed),
        }
    }

    fn structure(&self, error: Error) -> Error {
        if self.payload.contains('.') {
            Segments::too_many()
        } else {
            error
        }
    }

    fn too_many() -> Error {
        Error::new(
            ErrorKind::Malformed,
            "a token has exactly three segments separated by dots",
        )
    }
}

/// The high bit of each byte of `word` that is a dot, and of no other: unlike the
/// usual zero-byte test, no borrow carries into the byte above a match, so that the
/// last match is found as exactly as the first.
fn dots(word: u64) -> u64 {
    const LOW_BITS: u64 = u64::from_le_bytes([0x7f; 8]);
    let zero_where_dot = word ^ u64::from_le_bytes([b'.'; 8]);
    !(((zero_where_dot & LOW_BITS) + LOW_BITS) | zero_where_dot | LOW_BITS)
}

/// The index of the first dot in `bytes`: eight bytes at a time, then one at a time.
fn first_dot(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    for (index, word) in words.by_ref().enumerate() {
        let found = word
            .first_chunk::<8>()
            .map_or(0, |word| dots(u64::from_le_bytes(*word)));
        if found != 0 {
            return Some(index * 8 + found.trailing_zeros() as usize / 8);
        }
    }
    let tail = words.remainder();
    let tail_start = bytes.len() - tail.len();
    tail.iter()
        .position(|&byte| byte == b'.')
        .map(|at| tail_start + at)
}

/// The index of the last dot in `bytes`: eight bytes at a time from the end, then one
/// at a time.
fn last_dot(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.rchunks_exact(8);
    for (index, word) in words.by_ref().enumerate() {
        let found = word
            .first_chunk::<8>()
            .map_or(0, |word| dots(u64::from_le_bytes(*word)));
        if found != 0 {
            let start = bytes.len() - (index + 1) * 8;
            return Some(start + 7 - found.leading_zeros() as usize / 8);
        }
    }
    words.remainder().iter().rposition(|&byte| byte == b'.')
}

/// Rule 3: the header names the key's algorithm, exactly.
fn check_algorithm<K: VerifyingKey + ?Sized>(
    header: &RawHeader<'_>,
    key: &K,
) -> Result<Algorithm, Error> {
    let expected = key.algorithm(header.kid.as_deref())?;
    if header.alg != expected.as_str() {
        return Err(Error::new(
            ErrorKind::AlgorithmMismatch,
            format!(
                "the header names {} but the key verifies {expected}",
                Excerpt(&header.alg)
            ),
        ));
    }
    Ok(expected)
}

/// Rule 3: no critical extensions; this library implements none (RFC 7515 section 4.1.11).
fn refuse_critical(header: &RawHeader<'_>) -> Result<(), Error> {
    if header.has_crit {
        return Err(Error::new(
            ErrorKind::CriticalHeader,
            "the header has `crit`; this library implements no critical extension",
        ));
    }
    Ok(())
}

/// Rule 5: the payload into `C`, with the registered claims captured on the way. When
/// the payload does not fit `C`, a broken rule on its registered claims (expiry, issuer,
/// audience, ...) is the more useful error, and is reported first.
fn parse_claims<'de, C: Claims + DeserializeOwned>(
    json: &'de [u8],
    registered: &mut Registered<'de>,
    validation: &Validation,
) -> Result<C, Error> {
    check_object(json)?;
    let required = C::POLICY.required();
    registered::parse::<C, _>(json, registered, |error| match error {
        PayloadError::DoesNotFit(..) => {
            match registered_claims_rule(json, validation, &C::POLICY) {
                Err(broken) => broken,
                Ok(()) => payload_error::<C>(error, required),
            }
        }
        error => payload_error::<C>(error, required),
    })
}

/// The registered claims of `json`, a well-formed object that did not fit its claims
/// type, read again whatever the type made of them, and checked against the rules.
#[cold]
fn registered_claims_rule(
    json: &[u8],
    validation: &Validation,
    policy: &crate::ClaimsPolicy,
) -> Result<(), Error> {
    let mut registered = Registered::default();
    registered::parse::<serde::de::IgnoredAny, _>(json, &mut registered, |error| {
        payload_error::<serde::de::IgnoredAny>(error, ClaimSet::EMPTY)
    })?;
    validation.check(policy, &registered)
}

fn check_object(json: &[u8]) -> Result<(), Error> {
    if json::looks_like_object(json) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Malformed,
            "the payload is not a JSON object",
        ))
    }
}

fn parse_payload<'de, C: serde::Deserialize<'de>>(
    json: &'de [u8],
    registered: &mut Registered<'de>,
    required: ClaimSet,
) -> Result<C, Error> {
    check_object(json)?;
    registered::parse::<C, _>(json, registered, |error| {
        payload_error::<C>(error, required)
    })
}

#[cold]
fn payload_error<'de, C: serde::Deserialize<'de>>(
    error: PayloadError,
    required: ClaimSet,
) -> Error {
    match error {
        PayloadError::Syntax(error) => Error::new(
            ErrorKind::Malformed,
            format!("the payload is not valid JSON: {error}"),
        )
        .with_source(error),
        PayloadError::Strict(violation, error) => Error::new(
            ErrorKind::Malformed,
            format!("the payload is not strict JSON: {violation}"),
        )
        .with_source(error),
        PayloadError::InvalidClaim(claim, error) => Error::for_claim(
            ErrorKind::InvalidClaim,
            claim,
            format!("`{claim}` is not valid: {error}"),
        )
        .with_source(error),
        // A claims type fails on an absent field it needs; when that field is a
        // registered claim of the top-level object (the whole object was read), the token
        // lacks a claim rather than holding a wrong one.
        //
        // Any other field of the top-level object that the type needs and the token
        // lacks is a missing claim too, named by its JSON name.
        PayloadError::DoesNotFit(error, whole_object_read) => {
            let missing = error.missing_field().filter(|_| whole_object_read);
            match missing.map(|name| (name, RegisteredClaim::from_name(name))) {
                Some((_, Some(claim))) if required.contains(claim) => Error::for_claim(
                    ErrorKind::MissingClaim,
                    claim,
                    format!("`{claim}` is absent; the claims type requires it"),
                )
                .with_source(error),
                Some((name, None)) => Error::new(
                    ErrorKind::MissingClaim,
                    format!(
                        "claim `{name}` is absent; `{}` requires it",
                        std::any::type_name::<C>()
                    ),
                )
                .with_source(error),
                _ => does_not_fit::<C>(error),
            }
        }
    }
}

fn does_not_fit<'de, C: serde::Deserialize<'de>>(error: JsonError) -> Error {
    Error::new(
        ErrorKind::InvalidClaim,
        format!(
            "the claims do not fit `{}`: {error}",
            std::any::type_name::<C>()
        ),
    )
    .with_source(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_are_found_first_and_last_wherever_they_are() {
        let text = b"abcdefghijklmnopqrstuvwxyz-_0123456789ABCDEF";
        for len in 0..=text.len() {
            assert_eq!(first_dot(&text[..len]), None);
            assert_eq!(last_dot(&text[..len]), None);
            for first in 0..len {
                for last in first..len {
                    let mut bytes = text[..len].to_vec();
                    bytes[first] = b'.';
                    bytes[last] = b'.';
                    assert_eq!(first_dot(&bytes), Some(first), "{first} {last} {len}");
                    assert_eq!(last_dot(&bytes), Some(last), "{first} {last} {len}");
                }
            }
        }
    }

    #[test]
    fn bytes_next_to_a_dot_are_not_dots() {
        // Bytes one above and one below a dot, and ones with the high bit set, beside it.
        for neighbour in [b'-', b'/', 0xae, 0x2f, 0x00, 0xff] {
            for at in 0..16 {
                let mut bytes = [neighbour; 16];
                bytes[at] = b'.';
                assert_eq!(first_dot(&bytes), Some(at));
                assert_eq!(last_dot(&bytes), Some(at));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn splitting_agrees_with_the_standard_library(token in "[a-z.\\-]{0,40}") {
            let ours = Segments::split_at_outer_dots(&token)
                .map(|segments| (segments.header, segments.payload, segments.signature));
            let std = token.rsplit_once('.').and_then(|(input, signature)| {
                input.split_once('.').map(|(header, payload)| (header, payload, signature))
            });
            proptest::prop_assert_eq!(ours, std);
        }
    }
}
