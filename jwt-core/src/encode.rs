//! Encoding: claims and a header in, a signed compact token out.

use serde::Serialize;

use crate::error::{Excerpt, ExcerptList};
use crate::null_claims::LeaveOutNull;
use crate::registered::{self, Registered};
use crate::validation::typ_matches;
use crate::{
    ClaimSet, Claims, ClaimsPolicy, Error, ErrorKind, Header, MissingExp, RegisteredClaim,
    SigningKey, Validation, base64url, header,
};

/// Serializes, signs and encodes `claims` with `key`.
///
/// The header is `{"alg":..,"typ":"JWT"}` with the key's algorithm, plus `kid` when the
/// key has one; a claims type that declares `typ` gets that instead of `JWT`. A claims
/// type that declares a single `iss`, `aud` or `sub` and has no field for it gets the
/// claim written too, so its tokens pass its own checks. A registered claim that is
/// `None` (JSON `null`) is left out rather than written as `null`, which decoding
/// refuses.
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
/// [`NumericDate`](crate::NumericDate) beyond plus or minus `2^53 - 1` does not), when
/// they lack a claim that the type requires, or when the type takes its `iss` or `aud`
/// from configuration (`#[jwt(iss = runtime)]`) and has no field for it: such a type is
/// encoded with [`encode_with`]. The key's error when it cannot sign.
pub fn encode<C>(claims: &C, key: &(impl SigningKey + ?Sized)) -> Result<String, Error>
where
    C: Claims + Serialize + ?Sized,
{
    encode_configured(claims, key, None)
}

/// Like [`encode`], for the issuer and audience that `validation` configures: what an
/// issuing service uses for a claims type declared with `#[jwt(iss = runtime)]` or
/// `#[jwt(aud = runtime)]`, with the same [`Validation`] its verifiers use.
///
/// - A claim the type takes at run time and has no field for is written with the one
///   value `validation` names ([`Validation::issuer`], [`Validation::audience`]).
/// - The claims are then read back and must pass the issuer, audience and subject rules
///   of the type and of `validation`, as [`decode_with`](crate::decode_with) would apply
///   them: a token its verifiers would refuse for who issued it or whom it is for is
///   never signed. (Times are not checked: a token may be issued to be valid later.)
///
/// ```
/// use jwt_core::{Claims, ErrorKind, HmacKey, NumericDate, Validation, Verifier};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Debug, Serialize, Deserialize, Claims)]
/// #[jwt(iss = runtime, aud = runtime)]
/// struct Session {
///     sub: String,
///     exp: NumericDate,
/// }
///
/// // Read from the deployment's configuration at start-up.
/// let config = Validation::new().issuer("https://auth.example.com").audience("api");
/// let key = HmacKey::hs256(b"a secret of at least thirty-two bytes!")?;
///
/// let session = Session { sub: "user-1".into(), exp: NumericDate::now() + 600 };
/// let token = jwt_core::encode_with(&session, &key, &config)?; // writes iss and aud
/// let verifier = Verifier::new(key.clone(), config);
/// assert_eq!(verifier.decode::<Session>(&token)?.sub, "user-1");
///
/// // Without the configuration there is no issuer to write.
/// let error = jwt_core::encode(&session, &key).unwrap_err();
/// assert_eq!(error.kind(), ErrorKind::Encode);
/// # Ok::<(), jwt_core::Error>(())
/// ```
///
/// # Errors
///
/// As [`encode`]; and [`ErrorKind::Encode`] when a claim to be written from `validation`
/// has no value there or several (it cannot choose), or when the claims would be refused
/// for their `iss`, `aud` or `sub` by a verifier with `validation`.
pub fn encode_with<C>(
    claims: &C,
    key: &(impl SigningKey + ?Sized),
    validation: &Validation,
) -> Result<String, Error>
where
    C: Claims + Serialize + ?Sized,
{
    encode_configured(claims, key, Some(validation))
}

fn encode_configured<C>(
    claims: &C,
    key: &(impl SigningKey + ?Sized),
    config: Option<&Validation>,
) -> Result<String, Error>
where
    C: Claims + Serialize + ?Sized,
{
    // The usual header, `{"alg":..,"typ":"JWT"}`, is encoded once per process.
    let usual = key.kid().is_none() && C::POLICY.required_typ().is_none();
    if let Some(segment) = header::common_segment(key.algorithm()).filter(|_| usual) {
        return sign_token(segment, claims, key, config);
    }
    let mut header = Header::new(key.algorithm());
    header.kid = key.kid().map(str::to_owned);
    if let Some(typ) = C::POLICY.required_typ() {
        header.typ = Some(typ.to_owned());
    }
    header_configured(&header, claims, key, config)
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
    header_configured(header, claims, key, None)
}

fn header_configured<C>(
    header: &Header,
    claims: &C,
    key: &(impl SigningKey + ?Sized),
    config: Option<&Validation>,
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
                format!(
                    "header typ {} is not the {} the claims type requires",
                    Excerpt(typ),
                    Excerpt(expected)
                ),
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

    let mut segment = String::new();
    base64url::encode_into(&header_json, &mut segment);
    sign_token(&segment, claims, key, config)
}

/// The library never issues a token that its own decoding would refuse for a missing
/// claim: every claim the type's rules require must be among those `written`.
fn refuse_what_decoding_refuses(policy: &ClaimsPolicy, written: ClaimSet) -> Result<(), Error> {
    let mut needed = policy.required();
    if matches!(policy.missing_exp(), MissingExp::Refuse) {
        needed = needed.with(RegisteredClaim::Exp);
    }
    if !policy.issuer_list().is_empty() || policy.takes_issuer_at_runtime() {
        needed = needed.with(RegisteredClaim::Iss);
    }
    if !policy.audience_list().is_empty() || policy.takes_audience_at_runtime() {
        needed = needed.with(RegisteredClaim::Aud);
    }
    if policy.required_subject().is_some() {
        needed = needed.with(RegisteredClaim::Sub);
    }
    if policy.declared_max_age().is_some() {
        needed = needed.with(RegisteredClaim::Iat);
    }
    match needed.iter().find(|claim| !written.contains(*claim)) {
        None => Ok(()),
        Some(claim) => Err(Error::for_claim(
            ErrorKind::Encode,
            claim,
            format!(
                "the claims type requires `{claim}` and these claims do not hold it: decoding \
                 would refuse the token"
            ),
        )),
    }
}

/// `header_segment . base64url(claims) . base64url(signature)`.
fn sign_token<C>(
    header_segment: &str,
    claims: &C,
    key: &(impl SigningKey + ?Sized),
    config: Option<&Validation>,
) -> Result<String, Error>
where
    C: Claims + Serialize + ?Sized,
{
    let policy = C::POLICY;
    let mut payload = PayloadBuf::default();
    let mut serializer = serde_json::Serializer::new(&mut payload);
    let mut written = ClaimSet::EMPTY;
    claims
        .serialize(LeaveOutNull {
            serializer: &mut serializer,
            written: &mut written,
        })
        .map_err(|error| {
            Error::new(
                ErrorKind::Encode,
                format!("the claims cannot be serialized: {error}"),
            )
            .with_source(error)
        })?;
    let mut payload_json = payload.as_slice();
    if !payload_json.starts_with(b"{") {
        return Err(Error::new(
            ErrorKind::Encode,
            "the claims must serialize to a JSON object",
        ));
    }
    refuse_what_decoding_refuses(&policy, written.union(policy.written_on_encode()))?;
    let with_declared;
    if !policy.written_on_encode().is_empty() {
        // A flattened map may hold a claim the type declares: writing it again would
        // make a token its own decoding refuses for repeating a member.
        if let Some(claim) = policy
            .written_on_encode()
            .iter()
            .find(|&claim| written.contains(claim))
        {
            return Err(Error::for_claim(
                ErrorKind::Encode,
                claim,
                format!(
                    "the claims hold `{claim}`, which the claims type declares and writes itself"
                ),
            ));
        }
        with_declared = write_declared_claims(&policy, config, payload_json)?;
        payload_json = &with_declared;
    }
    if let Some(config) = config {
        refuse_what_the_verifier_refuses(&policy, config, payload_json)?;
    }

    let mut token = Vec::with_capacity(
        header_segment.len()
            + base64url::encoded_len(payload_json.len())
            + base64url::encoded_len(64)
            + 2,
    );
    token.extend_from_slice(header_segment.as_bytes());
    token.push(b'.');
    base64url::append(payload_json, &mut token);
    let mut tag = [0; 64];
    let signed;
    let signature = if let Some(len) = key.sign_into(&token, &mut tag)? {
        tag.get(..len).ok_or_else(|| {
            Error::new(
                ErrorKind::Encode,
                format!("the key reports a signature of {len} bytes written into 64"),
            )
        })?
    } else {
        signed = key.sign(&token)?;
        &signed
    };
    token.push(b'.');
    base64url::append(signature, &mut token);
    // A header segment and base64url: ASCII throughout.
    String::from_utf8(token)
        .map_err(|error| Error::new(ErrorKind::Encode, "the token is not ASCII").with_source(error))
}

/// The serialized claims: on the stack while they fit, as for a typical token.
struct PayloadBuf {
    stack: [u8; 1024],
    len: usize,
    heap: Vec<u8>,
}

impl Default for PayloadBuf {
    fn default() -> Self {
        PayloadBuf {
            stack: [0; 1024],
            len: 0,
            heap: Vec::new(),
        }
    }
}

impl PayloadBuf {
    fn as_slice(&self) -> &[u8] {
        if self.heap.is_empty() {
            self.stack.get(..self.len).unwrap_or_default()
        } else {
            &self.heap
        }
    }

    #[inline]
    fn push(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        match self.stack.get_mut(self.len..end) {
            Some(free) if self.heap.is_empty() => {
                free.copy_from_slice(bytes);
                self.len = end;
            }
            _ => {
                if self.heap.is_empty() {
                    self.heap
                        .extend_from_slice(self.stack.get(..self.len).unwrap_or_default());
                }
                self.heap.extend_from_slice(bytes);
            }
        }
    }
}

impl std::io::Write for PayloadBuf {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.push(bytes);
        Ok(bytes.len())
    }

    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.push(bytes);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
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

/// `object` with the single declared `iss`, `aud` and `sub` that the claims type has no
/// field for written at its start; an `iss` or `aud` taken at run time is `config`'s.
fn write_declared_claims(
    policy: &ClaimsPolicy,
    config: Option<&Validation>,
    object: &[u8],
) -> Result<Vec<u8>, Error> {
    let mut members = Vec::with_capacity(object.len() + 64);
    members.push(b'{');
    for claim in policy.written_on_encode().iter() {
        let value = match claim {
            RegisteredClaim::Iss if policy.takes_issuer_at_runtime() => Some(configured(
                policy,
                claim,
                config.map(Validation::issuer_list),
            )?),
            RegisteredClaim::Aud if policy.takes_audience_at_runtime() => Some(configured(
                policy,
                claim,
                config.map(Validation::audience_list),
            )?),
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
    // `object` starts with `{`, checked by the caller. An empty object takes no comma
    // after the last claim written (if any was).
    let rest = object.get(1..).unwrap_or_default();
    if rest.first() == Some(&b'}') && members.last() == Some(&b',') {
        members.pop();
    }
    members.extend_from_slice(rest);
    Ok(members)
}

/// The one value a claim taken at run time is written with: `values` are the
/// configuration's, `None` when encoding without one.
fn configured<'a>(
    policy: &ClaimsPolicy,
    claim: RegisteredClaim,
    values: Option<&'a [String]>,
) -> Result<&'a str, Error> {
    let (what, method) = match claim {
        RegisteredClaim::Iss => ("issuer", "issuer"),
        _ => ("audience", "audience"),
    };
    let subject = match policy.type_name() {
        Some(name) => format!("`{name}`"),
        None => "the claims type".to_owned(),
    };
    let refused = |why: String| {
        Error::for_claim(
            ErrorKind::Encode,
            claim,
            format!(
                "{subject} takes its {what} from configuration and has no `{claim}` field; {why}"
            ),
        )
    };
    match values {
        None => Err(refused(format!(
            "encode it with `jwt_core::encode_with` and a validation that names the {what} \
             (`Validation::{method}`)"
        ))),
        Some([value]) => Ok(value),
        Some([]) => Err(refused(format!(
            "the validation names no {what} to write: call `Validation::{method}`"
        ))),
        Some(values) => Err(refused(format!(
            "the validation names {} {what}s ({}) and encoding cannot choose which to write: \
             encode with a validation that names one",
            values.len(),
            ExcerptList(values)
        ))),
    }
}

/// With a configuration, the library never issues a token that a verifier with that
/// configuration would refuse for its issuer, audience or subject.
fn refuse_what_the_verifier_refuses(
    policy: &ClaimsPolicy,
    config: &Validation,
    payload_json: &[u8],
) -> Result<(), Error> {
    let mut claims = Registered::default();
    registered::parse::<serde::de::IgnoredAny, _>(payload_json, &mut claims, |_| {
        Error::new(
            ErrorKind::Encode,
            "the claims cannot be read back as a token's payload: the token would be refused",
        )
    })?;
    config.check_identity(policy, &claims).map_err(|refusal| {
        let message = format!("a verifier with this validation would refuse the token: {refusal}");
        let error = match refusal.claim() {
            Some(claim) => Error::for_claim(ErrorKind::Encode, claim, message),
            None => Error::new(ErrorKind::Encode, message),
        };
        error.with_source(refusal)
    })
}
