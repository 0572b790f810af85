//! [`Validation`]: the rules a verifier adds at run time to those its claims type
//! declares, and the check of both against a token's registered claims.

use std::borrow::Cow;

use crate::error::{Excerpt, ExcerptList};
use crate::registered::{CapturedAudience, Registered};
use crate::{ClaimSet, ClaimsPolicy, Error, ErrorKind, MissingExp, NumericDate, RegisteredClaim};

/// The default limit on a token's length: 64 KiB.
pub const DEFAULT_MAX_TOKEN_LEN: usize = 64 * 1024;

/// Rules added at run time to those the claims type declares.
///
/// They only ever add: a token must satisfy the type's rules *and* these (any of the
/// issuers, any of the audiences within each list). A leeway or maximum age given here
/// applies where the type declares none, else the smaller one wins. The one loosening
/// switch, [`allow_missing_exp`](Validation::allow_missing_exp), acts only on untyped
/// claims.
///
/// ```
/// use jwt_core::{NumericDate, RegisteredClaim, Validation};
///
/// let validation = Validation::new()
///     .issuer("https://auth.example.com")
///     .audience("api")
///     .leeway(5)
///     .require(RegisteredClaim::Jti)
///     .at(NumericDate::from_secs(1_700_000_000));
/// # let _ = validation;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validation {
    now: Option<NumericDate>,
    leeway: Option<u64>,
    max_age: Option<u64>,
    issuers: Vec<String>,
    audiences: Vec<String>,
    subject: Option<String>,
    required: ClaimSet,
    allow_missing_exp: bool,
    max_token_len: usize,
}

impl Default for Validation {
    fn default() -> Self {
        Validation::new()
    }
}

impl Validation {
    /// No runtime rules: only the claims type's, with the system clock and a 64 KiB limit.
    pub fn new() -> Validation {
        Validation {
            now: None,
            leeway: None,
            max_age: None,
            issuers: Vec::new(),
            audiences: Vec::new(),
            subject: None,
            required: ClaimSet::EMPTY,
            allow_missing_exp: false,
            max_token_len: DEFAULT_MAX_TOKEN_LEN,
        }
    }

    /// Checks times against `now` instead of the system clock: for tests, and to replay
    /// old tokens.
    #[must_use]
    pub fn at(self, now: NumericDate) -> Validation {
        Validation {
            now: Some(now),
            ..self
        }
    }

    /// Seconds of clock skew allowed for `exp`, `nbf` and `iat`, where the type declares
    /// none; else the smaller of the two applies.
    #[must_use]
    pub fn leeway(self, seconds: u64) -> Validation {
        Validation {
            leeway: Some(seconds),
            ..self
        }
    }

    /// `iat` must be present and at most this many seconds old (plus leeway); with a
    /// maximum age declared by the type, the smaller applies.
    #[must_use]
    pub fn max_age(self, seconds: u64) -> Validation {
        Validation {
            max_age: Some(seconds),
            ..self
        }
    }

    /// Accepts `issuer`; calling it again accepts any of them. The token's `iss` must be
    /// present and one of them (and one of the type's, if it declares any). A claims type
    /// declared with `#[jwt(iss = runtime)]` needs at least one, and
    /// [`encode_with`](crate::encode_with) writes it when the type has no `iss` field.
    #[must_use]
    pub fn issuer(mut self, issuer: impl Into<String>) -> Validation {
        self.issuers.push(issuer.into());
        self
    }

    /// Accepts `audience`; calling it again accepts any of them. The token's `aud` must be
    /// present and contain one of them (and one of the type's, if it declares any). A
    /// claims type declared with `#[jwt(aud = runtime)]` needs at least one, and
    /// [`encode_with`](crate::encode_with) writes it when the type has no `aud` field.
    #[must_use]
    pub fn audience(mut self, audience: impl Into<String>) -> Validation {
        self.audiences.push(audience.into());
        self
    }

    /// The token's `sub` must be present and equal `subject`.
    #[must_use]
    pub fn subject(self, subject: impl Into<String>) -> Validation {
        Validation {
            subject: Some(subject.into()),
            ..self
        }
    }

    /// `claim` must be present.
    #[must_use]
    pub fn require(self, claim: RegisteredClaim) -> Validation {
        Validation {
            required: self.required.with(claim),
            ..self
        }
    }

    /// Accepts untyped claims without `exp`. A typed claims struct decides this with its
    /// own `#[jwt(allow_missing_exp)]` attribute, and this switch does not change it.
    #[must_use]
    pub fn allow_missing_exp(self) -> Validation {
        Validation {
            allow_missing_exp: true,
            ..self
        }
    }

    /// Refuses tokens longer than `bytes` before any parsing (default 64 KiB).
    #[must_use]
    pub fn max_token_len(self, bytes: usize) -> Validation {
        Validation {
            max_token_len: bytes,
            ..self
        }
    }

    /// The length limit in bytes.
    pub fn token_len_limit(&self) -> usize {
        self.max_token_len
    }

    /// The issuers added with [`issuer`](Validation::issuer), in order.
    pub fn issuer_list(&self) -> &[String] {
        &self.issuers
    }

    /// The audiences added with [`audience`](Validation::audience), in order.
    pub fn audience_list(&self) -> &[String] {
        &self.audiences
    }

    /// A claims type whose issuer or audience is configured at run time
    /// (`#[jwt(iss = runtime)]`, `#[jwt(aud = runtime)]`) cannot be decoded with a
    /// validation that configures none: every token is refused, before it is read, so
    /// that a forgotten configuration never lets any issuer or audience through.
    pub(crate) fn check_configured(&self, policy: &ClaimsPolicy) -> Result<(), Error> {
        if policy.takes_issuer_at_runtime() && self.issuers.is_empty() {
            return Err(not_configured(
                policy,
                ErrorKind::InvalidIssuer,
                RegisteredClaim::Iss,
                "issuer",
            ));
        }
        if policy.takes_audience_at_runtime() && self.audiences.is_empty() {
            return Err(not_configured(
                policy,
                ErrorKind::InvalidAudience,
                RegisteredClaim::Aud,
                "audience",
            ));
        }
        Ok(())
    }

    /// The issuer, audience and subject rules alone, as a token with these registered
    /// claims would meet them when decoded with this validation.
    pub(crate) fn check_identity(
        &self,
        policy: &ClaimsPolicy,
        claims: &Registered<'_>,
    ) -> Result<(), Error> {
        self.check_configured(policy)?;
        check_issuer(policy.issuer_list(), &self.issuers, claims.iss.as_deref())?;
        check_audience(
            policy.audience_list(),
            &self.audiences,
            claims.aud.as_ref().map(CapturedAudience::as_slice),
        )?;
        check_subject(
            policy.required_subject(),
            self.subject.as_deref(),
            claims.sub.as_deref(),
        )
    }

    /// Checks the registered claims against the type's rules and these, in the
    /// documented order; the first failure is the error. (The header's `typ` is checked
    /// before the payload is read: [`check_typ`], and a type's runtime issuer and audience
    /// are known to be configured: the decoder checks that first, [`Self::check_configured`].)
    pub(crate) fn check(
        &self,
        policy: &ClaimsPolicy,
        claims: &Registered<'_>,
    ) -> Result<(), Error> {
        let now = self.now.unwrap_or_else(NumericDate::now);
        let leeway = smaller(policy.declared_leeway(), self.leeway).unwrap_or(0);
        let leeway_secs = i64::try_from(leeway).unwrap_or(i64::MAX);

        self.check_exp(policy, claims.exp, now, leeway, leeway_secs)?;
        if let Some(nbf) = claims.nbf
            && now < nbf - leeway_secs
        {
            return Err(Error::for_claim(
                ErrorKind::NotYetValid,
                RegisteredClaim::Nbf,
                format!("nbf {nbf} minus leeway {leeway} s is after now {now}"),
            ));
        }
        if let Some(iat) = claims.iat
            && now < iat - leeway_secs
        {
            return Err(Error::for_claim(
                ErrorKind::IssuedInFuture,
                RegisteredClaim::Iat,
                format!("iat {iat} minus leeway {leeway} s is after now {now}"),
            ));
        }
        if let Some(max_age) = smaller(policy.declared_max_age(), self.max_age) {
            check_max_age(claims.iat, max_age, now, leeway)?;
        }
        self.check_identity(policy, claims)?;
        let required = policy.required().union(self.required);
        if let Some(missing) = required
            .iter()
            .find(|claim| !claims.present.contains(*claim))
        {
            return Err(missing_claim(missing, "required"));
        }
        Ok(())
    }

    fn check_exp(
        &self,
        policy: &ClaimsPolicy,
        exp: Option<NumericDate>,
        now: NumericDate,
        leeway: u64,
        leeway_secs: i64,
    ) -> Result<(), Error> {
        let Some(exp) = exp else {
            let allowed = match policy.missing_exp() {
                MissingExp::Refuse => false,
                MissingExp::Allow => true,
                MissingExp::AskValidation => self.allow_missing_exp,
            };
            return if allowed && !self.required.contains(RegisteredClaim::Exp) {
                Ok(())
            } else {
                Err(missing_claim(
                    RegisteredClaim::Exp,
                    "required unless the claims type allows a token without it",
                ))
            };
        };
        if now >= exp + leeway_secs {
            return Err(Error::for_claim(
                ErrorKind::Expired,
                RegisteredClaim::Exp,
                format!("exp {exp} plus leeway {leeway} s is not after now {now}"),
            ));
        }
        Ok(())
    }
}

fn not_configured(
    policy: &ClaimsPolicy,
    kind: ErrorKind,
    claim: RegisteredClaim,
    what: &str,
) -> Error {
    let subject = match policy.type_name() {
        Some(name) => format!("`{name}`"),
        None => "the claims type".to_owned(),
    };
    Error::for_claim(
        kind,
        claim,
        format!(
            "{subject} takes its {what} from the validation, and none is configured: call \
             `Validation::{what}` (for a `Verifier`, on the validation it is built with)"
        ),
    )
}

fn smaller(declared: Option<u64>, runtime: Option<u64>) -> Option<u64> {
    match (declared, runtime) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn missing_claim(claim: RegisteredClaim, why: &str) -> Error {
    Error::for_claim(
        ErrorKind::MissingClaim,
        claim,
        format!("`{claim}` is absent; it is {why}"),
    )
}

fn check_max_age(
    iat: Option<NumericDate>,
    max_age: u64,
    now: NumericDate,
    leeway: u64,
) -> Result<(), Error> {
    let Some(iat) = iat else {
        return Err(missing_claim(
            RegisteredClaim::Iat,
            "required by a maximum age",
        ));
    };
    let oldest = max_age.saturating_add(leeway);
    let age = now.as_secs().saturating_sub(iat.as_secs());
    if u64::try_from(age).is_ok_and(|age| age > oldest) {
        return Err(Error::for_claim(
            ErrorKind::TooOld,
            RegisteredClaim::Iat,
            format!(
                "iat {iat} is {age} s before now {now}; the maximum age is {max_age} s plus leeway {leeway} s"
            ),
        ));
    }
    Ok(())
}

fn check_issuer(declared: &[&str], runtime: &[String], iss: Option<&str>) -> Result<(), Error> {
    if declared.is_empty() && runtime.is_empty() {
        return Ok(());
    }
    let Some(iss) = iss else {
        return Err(missing_claim(
            RegisteredClaim::Iss,
            "required to match the accepted issuers",
        ));
    };
    // Configured values are cut short in the message as token values are.
    let refused = |accepted: &dyn std::fmt::Display| {
        Error::for_claim(
            ErrorKind::InvalidIssuer,
            RegisteredClaim::Iss,
            format!("iss {} is not one of {accepted}", Excerpt(iss)),
        )
    };
    if !declared.is_empty() && !declared.contains(&iss) {
        return Err(refused(&ExcerptList(declared)));
    }
    if !runtime.is_empty() && !runtime.iter().any(|accepted| accepted == iss) {
        return Err(refused(&ExcerptList(runtime)));
    }
    Ok(())
}

fn check_audience(
    declared: &[&str],
    runtime: &[String],
    aud: Option<&[Cow<'_, str>]>,
) -> Result<(), Error> {
    let refused = |message: String| {
        Error::for_claim(ErrorKind::InvalidAudience, RegisteredClaim::Aud, message)
    };
    if declared.is_empty() && runtime.is_empty() {
        // RFC 7519 section 4.1.3: a recipient that does not identify itself with a value
        // in `aud` must reject the token.
        return match aud {
            Some(aud) => Err(refused(format!(
                "aud {} is present but this verifier expects no audience",
                ExcerptList(aud)
            ))),
            None => Ok(()),
        };
    }
    let Some(aud) = aud else {
        return Err(missing_claim(
            RegisteredClaim::Aud,
            "required to match the accepted audiences",
        ));
    };
    let holds = |accepted: &str| aud.iter().any(|held| held == accepted);
    if !declared.is_empty() && !declared.iter().any(|accepted| holds(accepted)) {
        return Err(refused(format!(
            "aud {} holds none of {}",
            ExcerptList(aud),
            ExcerptList(declared)
        )));
    }
    if !runtime.is_empty() && !runtime.iter().any(|accepted| holds(accepted)) {
        return Err(refused(format!(
            "aud {} holds none of {}",
            ExcerptList(aud),
            ExcerptList(runtime)
        )));
    }
    Ok(())
}

fn check_subject(
    declared: Option<&str>,
    runtime: Option<&str>,
    sub: Option<&str>,
) -> Result<(), Error> {
    for expected in [declared, runtime].into_iter().flatten() {
        let Some(sub) = sub else {
            return Err(missing_claim(
                RegisteredClaim::Sub,
                "required to match the expected subject",
            ));
        };
        if sub != expected {
            return Err(Error::for_claim(
                ErrorKind::InvalidSubject,
                RegisteredClaim::Sub,
                format!("sub {} is not {}", Excerpt(sub), Excerpt(expected)),
            ));
        }
    }
    Ok(())
}

/// Compares media types as RFC 8725 section 3.11 and RFC 7515 section 4.1.9 say: ASCII
/// case-insensitively, with an `application/` prefix optional.
pub(crate) fn typ_matches(typ: &str, expected: &str) -> bool {
    fn bare(media_type: &str) -> &str {
        match (media_type.get(..12), media_type.get(12..)) {
            (Some(prefix), Some(rest)) if prefix.eq_ignore_ascii_case("application/") => rest,
            _ => media_type,
        }
    }
    bare(typ).eq_ignore_ascii_case(bare(expected))
}

/// The header's `typ` against the one the claims type requires.
pub(crate) fn check_typ(expected: &str, typ: Option<&str>) -> Result<(), Error> {
    match typ {
        Some(typ) if typ_matches(typ, expected) => Ok(()),
        Some(typ) => Err(Error::new(
            ErrorKind::InvalidType,
            format!("header typ {} is not {}", Excerpt(typ), Excerpt(expected)),
        )),
        None => Err(Error::new(
            ErrorKind::InvalidType,
            format!("the header has no typ; expected {}", Excerpt(expected)),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typ_compares_without_case_or_application_prefix() {
        assert!(typ_matches("at+jwt", "at+jwt"));
        assert!(typ_matches("application/AT+JWT", "at+jwt"));
        assert!(typ_matches("at+jwt", "Application/at+jwt"));
        assert!(!typ_matches("jwt", "at+jwt"));
        assert!(!typ_matches("application/", "at+jwt"));
        assert!(!typ_matches("text/at+jwt", "at+jwt"));
    }

    #[test]
    fn the_smaller_of_two_limits_applies() {
        assert_eq!(smaller(Some(30), Some(5)), Some(5));
        assert_eq!(smaller(Some(5), Some(30)), Some(5));
        assert_eq!(smaller(None, Some(30)), Some(30));
        assert_eq!(smaller(Some(30), None), Some(30));
        assert_eq!(smaller(None, None), None);
    }
}
