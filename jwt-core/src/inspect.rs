//! [`inspect`]: any token's header and payload as plain JSON, for logs and tools, with
//! what a verifier would object to reported rather than refused.

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use crate::error::Excerpt;
use crate::json::reader::{Category, Reader};
use crate::json::{MAX_DEPTH, Violation};
use crate::validation::DEFAULT_MAX_TOKEN_LEN;
use crate::{Algorithm, Error, ErrorKind, NumericDate, RegisteredClaim, base64url};

/// A token's header and payload as the token states them, **verified by nothing**, and
/// what a verifier of this crate would object to in them: what [`inspect`] returns.
///
/// It holds plain JSON values, never a claims type, and nothing in this crate takes it
/// as a verified [`Token`](crate::Token).
#[derive(Clone, Debug, PartialEq)]
pub struct Inspection {
    header: Value,
    payload: Value,
    findings: Vec<Finding>,
}

impl Inspection {
    /// The header's JSON, whatever it holds. Where a member name is repeated, the last
    /// value is shown (and a [`Finding::DuplicateMember`] says so).
    pub fn header(&self) -> &Value {
        &self.header
    }

    /// The payload's JSON, whatever it holds, as [`header`](Inspection::header) is shown.
    pub fn payload(&self) -> &Value {
        &self.payload
    }

    /// What a verifier would object to, besides the signature, which is not checked.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }
}

/// Where a [`Finding`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Part {
    /// The JOSE header.
    Header,
    /// The payload (the claims).
    Payload,
    /// The signature segment.
    Signature,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Header => "header",
            Part::Payload => "payload",
            Part::Signature => "signature",
        })
    }
}

/// Something in a token that a verifier of this crate refuses, reported by [`inspect`]
/// instead.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Finding {
    /// An object repeats a member name (strict decoding refuses it; the last value is
    /// shown).
    DuplicateMember(Part),
    /// Objects and arrays nest deeper than a verifier reads.
    TooDeep(Part),
    /// The header or payload is JSON but not an object.
    NotAnObject(Part),
    /// The header has no string `alg`.
    NoAlgorithm,
    /// `alg` names no algorithm of this crate (`none` among them); the name, cut short.
    UnknownAlgorithm(String),
    /// The header carries `crit`.
    Critical,
    /// The header carries key material (`jwk`, `jku`, `x5u`, `x5c`), which verifiers of
    /// this crate never use.
    HeaderKeyMaterial(&'static str),
    /// A registered claim of the wrong JSON type or range.
    InvalidClaim(RegisteredClaim),
    /// The signature segment is not strict base64url.
    BrokenSignatureEncoding,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::DuplicateMember(part) => write!(
                f,
                "the {part} repeats a member name; the last value is shown"
            ),
            Finding::TooDeep(part) => write!(f, "the {part} nests deeper than {MAX_DEPTH} levels"),
            Finding::NotAnObject(part) => write!(f, "the {part} is not a JSON object"),
            Finding::NoAlgorithm => f.write_str("the header has no string `alg`"),
            Finding::UnknownAlgorithm(alg) => write!(f, "`alg` {alg} is not supported"),
            Finding::Critical => f.write_str("the header carries `crit`, which is refused"),
            Finding::HeaderKeyMaterial(name) => {
                write!(f, "the header carries `{name}`, which verifiers never use")
            }
            Finding::InvalidClaim(claim) => {
                write!(f, "`{claim}` has the wrong JSON type or range")
            }
            Finding::BrokenSignatureEncoding => {
                f.write_str("the signature segment is not strict base64url")
            }
        }
    }
}

/// Reads any token's header and payload as plain JSON **without verifying anything**,
/// for logs and tools (a command line's `decode`): `alg: none`, unknown algorithms,
/// `crit`, repeated member names and registered claims of any type are shown and listed
/// as [`Finding`]s rather than refused.
///
/// Still bounded: the token is at most
/// [`DEFAULT_MAX_TOKEN_LEN`](crate::DEFAULT_MAX_TOKEN_LEN) bytes
/// ([`ErrorKind::TooLong`]); it must have three segments, the header and payload strict
/// base64url holding UTF-8 JSON nested at most 128 levels ([`ErrorKind::Malformed`]).
/// No input panics or takes more than linear time.
///
/// ```
/// use jwt_core::{Finding, inspect};
///
/// // `alg: none`, with `"sub"` written twice: refused by every decode, shown here.
/// let token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIiwic3ViIjoiYiJ9.";
/// let inspection = inspect(token)?;
/// assert_eq!(inspection.payload()["sub"], "b");
/// assert!(inspection.findings().contains(&Finding::UnknownAlgorithm("\"none\"".into())));
/// # Ok::<(), jwt_core::Error>(())
/// ```
///
/// # Errors
///
/// [`ErrorKind::TooLong`] and [`ErrorKind::Malformed`] as above.
pub fn inspect(token: &str) -> Result<Inspection, Error> {
    if token.len() > DEFAULT_MAX_TOKEN_LEN {
        return Err(Error::new(
            ErrorKind::TooLong,
            format!(
                "the token has {} bytes; the limit is {DEFAULT_MAX_TOKEN_LEN}",
                token.len()
            ),
        ));
    }
    let mut segments = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) = (
        segments.next(),
        segments.next(),
        segments.next(),
        segments.next(),
    ) else {
        return Err(Error::new(
            ErrorKind::Malformed,
            "a token has exactly three segments separated by dots",
        ));
    };
    let mut findings = Vec::new();
    let header = read_part(header, Part::Header, &mut findings)?;
    let payload = read_part(payload, Part::Payload, &mut findings)?;
    if base64url::validate(signature, "signature").is_err() {
        findings.push(Finding::BrokenSignatureEncoding);
    }
    header_findings(&header, &mut findings);
    payload_findings(&payload, &mut findings);
    Ok(Inspection {
        header,
        payload,
        findings,
    })
}

/// One segment's JSON, with the strict rules' objections as findings.
fn read_part(segment: &str, part: Part, findings: &mut Vec<Finding>) -> Result<Value, Error> {
    let what = match part {
        Part::Header => "header",
        _ => "payload",
    };
    let json = base64url::decode(segment, what)?;
    // The strict reader names what a verifier would refuse; `serde_json`, whose own
    // nesting limit bounds the work, then reads the value whatever it is.
    let mut reader = Reader::new(&json).map_err(|error| malformed(part, &error))?;
    let strict = serde::de::IgnoredAny::deserialize(&mut reader).and_then(|_| reader.end());
    if let Err(error) = strict {
        match error.category() {
            Category::Strict(Violation::DuplicateMember) => {
                findings.push(Finding::DuplicateMember(part));
            }
            Category::Strict(Violation::TooDeep) => findings.push(Finding::TooDeep(part)),
            _ => {}
        }
    }
    let value: Value = serde_json::from_slice(&json).map_err(|error| malformed(part, &error))?;
    if !value.is_object() {
        findings.push(Finding::NotAnObject(part));
    }
    Ok(value)
}

fn malformed(part: Part, error: &dyn fmt::Display) -> Error {
    Error::new(
        ErrorKind::Malformed,
        format!("the {part} is not JSON: {error}"),
    )
}

fn header_findings(header: &Value, findings: &mut Vec<Finding>) {
    let Some(header) = header.as_object() else {
        return;
    };
    match header.get("alg").and_then(Value::as_str) {
        None => findings.push(Finding::NoAlgorithm),
        Some(alg) if alg.parse::<Algorithm>().is_err() => {
            findings.push(Finding::UnknownAlgorithm(Excerpt(alg).to_string()));
        }
        Some(_) => {}
    }
    if header.contains_key("crit") {
        findings.push(Finding::Critical);
    }
    for name in ["jwk", "jku", "x5u", "x5c"] {
        if header.contains_key(name) {
            findings.push(Finding::HeaderKeyMaterial(name));
        }
    }
}

fn payload_findings(payload: &Value, findings: &mut Vec<Finding>) {
    let Some(claims) = payload.as_object() else {
        return;
    };
    for claim in RegisteredClaim::ALL {
        if let Some(value) = claims.get(claim.as_str())
            && !fits(claim, value)
        {
            findings.push(Finding::InvalidClaim(claim));
        }
    }
}

/// Whether `value` has the JSON type and range that `claim` needs.
fn fits(claim: RegisteredClaim, value: &Value) -> bool {
    match claim {
        RegisteredClaim::Iss | RegisteredClaim::Sub | RegisteredClaim::Jti => value.is_string(),
        RegisteredClaim::Aud => match value {
            Value::String(_) => true,
            Value::Array(many) => many.iter().all(Value::is_string),
            _ => false,
        },
        RegisteredClaim::Exp | RegisteredClaim::Nbf | RegisteredClaim::Iat => {
            serde_json::from_value::<NumericDate>(value.clone()).is_ok()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(bytes: impl AsRef<[u8]>) -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    fn token(header: &str, payload: &str, signature: &str) -> String {
        format!("{}.{}.{signature}", b64(header), b64(payload))
    }

    #[test]
    fn whatever_a_token_holds_is_shown_and_reported() {
        let inspection = inspect(&token(
            r#"{"alg":"none","crit":["b64"],"jwk":{},"alg":"HS256"}"#,
            r#"{"exp":"soon","aud":[1],"iss":"a","iss":"b","sub":5,"nbf":1.5}"#,
            "not base64url!",
        ))
        .unwrap();
        assert_eq!(inspection.header()["alg"], "HS256");
        assert_eq!(inspection.payload()["iss"], "b");
        let findings = inspection.findings();
        for expected in [
            Finding::DuplicateMember(Part::Header),
            Finding::DuplicateMember(Part::Payload),
            Finding::Critical,
            Finding::HeaderKeyMaterial("jwk"),
            Finding::InvalidClaim(RegisteredClaim::Exp),
            Finding::InvalidClaim(RegisteredClaim::Aud),
            Finding::InvalidClaim(RegisteredClaim::Sub),
            Finding::BrokenSignatureEncoding,
        ] {
            assert!(findings.contains(&expected), "{expected:?} in {findings:?}");
        }
        assert!(!findings.contains(&Finding::InvalidClaim(RegisteredClaim::Nbf)));
        let none = inspect(&token(r#"{"alg":"none"}"#, "{}", "")).unwrap();
        assert_eq!(
            none.findings(),
            [Finding::UnknownAlgorithm("\"none\"".into())]
        );
        let bare = inspect(&token("[]", "7", "")).unwrap();
        assert!(
            bare.findings()
                .contains(&Finding::NotAnObject(Part::Header))
        );
        assert!(
            bare.findings()
                .contains(&Finding::NotAnObject(Part::Payload))
        );
    }

    #[test]
    fn inspection_stays_bounded_and_refuses_what_is_no_json() {
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let inspection = inspect(&token(r#"{"alg":"HS256"}"#, &deep, "")).unwrap();
        assert!(
            inspection
                .findings()
                .contains(&Finding::TooDeep(Part::Payload))
        );
        let deeper = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let error = inspect(&token(r#"{"alg":"HS256"}"#, &deeper, "")).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Malformed);
        for bad in [
            "a.b".to_owned(),
            "a.b.c.d".to_owned(),
            format!("{}.{}.", b64("{"), b64("{}")),
            format!("{}.{}.", b64("{}"), b64(b"\xff")),
            "e30.e30=.".to_owned(),
        ] {
            assert_eq!(
                inspect(&bad).unwrap_err().kind(),
                ErrorKind::Malformed,
                "{bad}"
            );
        }
        let long = "a".repeat(DEFAULT_MAX_TOKEN_LEN + 1);
        assert_eq!(inspect(&long).unwrap_err().kind(), ErrorKind::TooLong);
    }

    proptest::proptest! {
        #[test]
        fn inspection_never_panics(token in "[A-Za-z0-9_\\-.=+/ ]{0,200}") {
            let _ = inspect(&token);
        }

        #[test]
        fn inspection_never_panics_on_any_json_bytes(header: Vec<u8>, payload: Vec<u8>) {
            let _ = inspect(&format!("{}.{}.", b64(&header), b64(&payload)));
        }
    }
}
