//! Encoding: claims and a header in, a signed compact token out.

use serde::Serialize;

use crate::validation::typ_matches;
use crate::{Claims, Error, ErrorKind, Header, RegisteredClaim, SigningKey, base64url};

/// Serializes, signs and encodes `claims` with `key`.
///
/// The header is `{"alg":..,"typ":"JWT"}` with the key's algorithm, plus `kid` when the
/// key has one; a claims type that declares `typ` gets that instead of `JWT`. A claims
/// type that declares a single `iss`, `aud` or `sub` and has no field for it gets the
/// claim written too, so its tokens pass its own checks.
///
/// ```
/// use jwt_core::{Claims, HmacKey, NumericDate};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize, Deserialize, Claims)]
/// #[jwt(iss = "auth.example.com", aud = "api")]
/// struct Session {
///     sub: String,
///     exp: NumericDate,
/// }
///
/// let key = HmacKey::hs256(b"a secret of at least thirty-two bytes!")?;
/// let session = Session { sub: "user-1".into(), exp: NumericDate::now() + 600 };
/// let token = jwt_core::encode(&session, &key)?;
/// let payload = jwt_core::dangerous_unverified_decode::<serde_json::Value>(&token)?;
/// assert_eq!(payload.claims()["iss"], "auth.example.com");
/// assert_eq!(payload.claims()["aud"], "api");
/// # Ok::<(), jwt_core::Error>(())
/// ```
///
/// # Errors
///
/// [`ErrorKind::Encode`] when the claims do not serialize to a JSON object (a
/// [`NumericDate`](crate::NumericDate) beyond plus or minus `2^53 - 1` does not), or
/// the key's error when it cannot sign.
pub fn encode<C>(claims: &C, key: &(impl SigningKey + ?Sized)) -> Result<String, Error>
where
    C: Claims + Serialize + ?Sized,
{
    let mut header = Header::new(key.algorithm());
    header.kid = key.kid().map(str::to_owned);
    if let Some(typ) = C::POLICY.required_typ() {
        header.typ = Some(typ.to_owned());
    }
    encode_with_header(&header, claims, key)
}

/// Like [`encode`], with a header of the caller's.
///
/// The header's `alg` must be the key's. A claims type that declares `typ` fills in a
/// missing one and refuses another.
///
/// # Errors
///
/// [`ErrorKind::AlgorithmMismatch`] when `header.alg` is not the key's algorithm;
/// [`ErrorKind::CriticalHeader`] when `header.other` holds `crit`;
/// [`ErrorKind::InvalidType`] when `header.typ` is not the one the claims type declares;
/// [`ErrorKind::Encode`] as for [`encode`], or when `header.other` repeats a member that
/// has its own field.
pub fn encode_with_header<C>(
    header: &Header,
    claims: &C,
    key: &(impl SigningKey + ?Sized),
) -> Result<String, Error>
where
    C: Claims + Serialize + ?Sized,
{
    if header.alg != key.algorithm() {
        return Err(Error::new(
            ErrorKind::AlgorithmMismatch,
            format!(
                "the header names {} but the key signs with {}",
                header.alg,
                key.algorithm()
            ),
        ));
    }
    header.check_encodable()?;
    let policy = C::POLICY;
    let header_json = match (policy.required_typ(), header.typ.as_deref()) {
        (Some(expected), Some(typ)) if !typ_matches(typ, expected) => {
            return Err(Error::new(
                ErrorKind::InvalidType,
                format!("header typ {typ:?} is not the {expected:?} the claims type requires"),
            ));
        }
        (Some(expected), None) => {
            let header = Header {
                typ: Some(expected.to_owned()),
                ..header.clone()
            };
            to_json(&header, "header")?
        }
        _ => to_json(header, "header")?,
    };

    let mut payload_json = to_json(claims, "claims")?;
    if !payload_json.starts_with(b"{") {
        return Err(Error::new(
            ErrorKind::Encode,
            "the claims must serialize to a JSON object",
        ));
    }
    write_declared_claims(&policy, &mut payload_json)?;

    let mut token = String::with_capacity((header_json.len() + payload_json.len()) * 4 / 3 + 90);
    base64url::encode_into(&header_json, &mut token);
    token.push('.');
    base64url::encode_into(&payload_json, &mut token);
    let signature = key.sign(token.as_bytes())?;
    token.push('.');
    base64url::encode_into(&signature, &mut token);
    Ok(token)
}

fn to_json<T: Serialize + ?Sized>(value: &T, what: &str) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(value).map_err(|error| {
        Error::new(
            ErrorKind::Encode,
            format!("the {what} cannot be serialized: {error}"),
        )
        .with_source(error)
    })
}

/// Writes the single declared `iss`, `aud` and `sub` that the claims type has no field
/// for at the start of the serialized object.
fn write_declared_claims(policy: &crate::ClaimsPolicy, object: &mut Vec<u8>) -> Result<(), Error> {
    let written = policy.written_on_encode();
    if written.is_empty() {
        return Ok(());
    }
    let mut members = Vec::new();
    for claim in written.iter() {
        let value = match claim {
            RegisteredClaim::Iss => policy.issuer_list().first().copied(),
            RegisteredClaim::Aud => policy.audience_list().first().copied(),
            RegisteredClaim::Sub => policy.required_subject(),
            _ => None,
        };
        if let Some(value) = value {
            members.extend_from_slice(&to_json(claim.as_str(), "claims")?);
            members.push(b':');
            members.extend_from_slice(&to_json(value, "claims")?);
            members.push(b',');
        }
    }
    if object.get(1) == Some(&b'}') {
        members.pop();
    }
    // `object` starts with `{`, checked by the caller.
    object.splice(1..1, members);
    Ok(())
}
