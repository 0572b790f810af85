//! The [`Claims`] trait and the policy a claims type declares.

use std::fmt;

/// A registered claim name of RFC 7519, section 4.1.
///
/// ```
/// use jwt_core::RegisteredClaim;
/// assert_eq!(RegisteredClaim::Exp.as_str(), "exp");
/// assert_eq!("aud".parse::<RegisteredClaim>().unwrap(), RegisteredClaim::Aud);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RegisteredClaim {
    /// `iss`, the issuer.
    Iss,
    /// `sub`, the subject.
    Sub,
    /// `aud`, the audience.
    Aud,
    /// `exp`, the expiration time.
    Exp,
    /// `nbf`, the time before which the token is not valid.
    Nbf,
    /// `iat`, the time at which the token was issued.
    Iat,
    /// `jti`, the token's unique identifier.
    Jti,
}

impl RegisteredClaim {
    /// Every registered claim, in the order RFC 7519 lists them.
    pub const ALL: [RegisteredClaim; 7] = [
        RegisteredClaim::Iss,
        RegisteredClaim::Sub,
        RegisteredClaim::Aud,
        RegisteredClaim::Exp,
        RegisteredClaim::Nbf,
        RegisteredClaim::Iat,
        RegisteredClaim::Jti,
    ];

    /// The claim's JSON member name.
    pub const fn as_str(self) -> &'static str {
        match self {
            RegisteredClaim::Iss => "iss",
            RegisteredClaim::Sub => "sub",
            RegisteredClaim::Aud => "aud",
            RegisteredClaim::Exp => "exp",
            RegisteredClaim::Nbf => "nbf",
            RegisteredClaim::Iat => "iat",
            RegisteredClaim::Jti => "jti",
        }
    }

    /// The claim whose JSON member name is `name`, if it is a registered one.
    pub fn from_name(name: &str) -> Option<RegisteredClaim> {
        // Every registered name has three letters: most names are settled by their
        // length, the rest by three bytes.
        let &[first, second, third] = name.as_bytes() else {
            return None;
        };
        match &[first, second, third] {
            b"iss" => Some(RegisteredClaim::Iss),
            b"sub" => Some(RegisteredClaim::Sub),
            b"aud" => Some(RegisteredClaim::Aud),
            b"exp" => Some(RegisteredClaim::Exp),
            b"nbf" => Some(RegisteredClaim::Nbf),
            b"iat" => Some(RegisteredClaim::Iat),
            b"jti" => Some(RegisteredClaim::Jti),
            _ => None,
        }
    }

    const fn bit(self) -> u8 {
        1 << self as u8
    }
}

impl fmt::Display for RegisteredClaim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for RegisteredClaim {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RegisteredClaim::from_name(s).ok_or_else(|| {
            let names: Vec<String> = RegisteredClaim::ALL
                .iter()
                .map(|claim| format!("`{claim}`"))
                .collect();
            crate::Error::new(
                crate::ErrorKind::InvalidClaim,
                format!(
                    "`{s}` is not a registered claim; expected one of {}",
                    names.join(", ")
                ),
            )
        })
    }
}

/// A set of registered claims.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ClaimSet(u8);

impl ClaimSet {
    /// The empty set.
    pub const EMPTY: ClaimSet = ClaimSet(0);

    /// This set with `claim` added.
    #[must_use]
    pub const fn with(self, claim: RegisteredClaim) -> ClaimSet {
        ClaimSet(self.0 | claim.bit())
    }

    /// Whether `claim` is in the set.
    pub const fn contains(self, claim: RegisteredClaim) -> bool {
        self.0 & claim.bit() != 0
    }

    /// The union of both sets.
    #[must_use]
    pub const fn union(self, other: ClaimSet) -> ClaimSet {
        ClaimSet(self.0 | other.0)
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The claims in the set, in the order of [`RegisteredClaim::ALL`].
    pub fn iter(self) -> impl Iterator<Item = RegisteredClaim> {
        RegisteredClaim::ALL
            .into_iter()
            .filter(move |claim| self.contains(*claim))
    }
}

impl FromIterator<RegisteredClaim> for ClaimSet {
    fn from_iter<I: IntoIterator<Item = RegisteredClaim>>(iter: I) -> Self {
        iter.into_iter().fold(ClaimSet::EMPTY, ClaimSet::with)
    }
}

/// What a missing `exp` means for a claims type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MissingExp {
    /// A token without `exp` is refused (the default for typed claims).
    Refuse,
    /// A token without `exp` is accepted (`#[jwt(allow_missing_exp)]`).
    Allow,
    /// The [`Validation`](crate::Validation) decides, refusing unless it says
    /// [`allow_missing_exp`](crate::Validation::allow_missing_exp) (untyped claims).
    AskValidation,
}

/// The rules a claims type declares for the tokens it accepts.
///
/// `#[derive(Claims)]` builds it from the `#[jwt(...)]` attributes; a hand-written
/// [`Claims`] impl builds it with these `const` methods:
///
/// ```
/// use jwt_core::{ClaimsPolicy, RegisteredClaim};
///
/// const POLICY: ClaimsPolicy = ClaimsPolicy::new()
///     .issuers(&["https://auth.example.com"])
///     .audiences(&["api"])
///     .leeway(30)
///     .require(RegisteredClaim::Jti);
/// assert_eq!(POLICY.issuer_list(), ["https://auth.example.com"]);
/// assert!(POLICY.required().contains(RegisteredClaim::Jti));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClaimsPolicy {
    issuers: &'static [&'static str],
    audiences: &'static [&'static str],
    subject: Option<&'static str>,
    typ: Option<&'static str>,
    leeway: Option<u64>,
    max_age: Option<u64>,
    required: ClaimSet,
    written: ClaimSet,
    missing_exp: MissingExp,
    /// `iss` and `aud` whose accepted values are configured at run time.
    at_runtime: ClaimSet,
    name: Option<&'static str>,
}

impl ClaimsPolicy {
    /// The policy of a typed claims struct with no attributes: `exp` is required, nothing
    /// else is.
    pub const fn new() -> ClaimsPolicy {
        ClaimsPolicy {
            issuers: &[],
            audiences: &[],
            subject: None,
            typ: None,
            leeway: None,
            max_age: None,
            required: ClaimSet::EMPTY,
            written: ClaimSet::EMPTY,
            missing_exp: MissingExp::Refuse,
            at_runtime: ClaimSet::EMPTY,
            name: None,
        }
    }

    /// The policy of untyped claims (`serde_json::Map`, `serde_json::Value`): nothing is
    /// declared, and whether `exp` may be missing is the [`Validation`](crate::Validation)'s
    /// choice.
    pub const fn untyped() -> ClaimsPolicy {
        ClaimsPolicy {
            missing_exp: MissingExp::AskValidation,
            ..ClaimsPolicy::new()
        }
    }

    /// The token's `iss` must be present and one of `issuers`.
    #[must_use]
    pub const fn issuers(self, issuers: &'static [&'static str]) -> ClaimsPolicy {
        ClaimsPolicy { issuers, ..self }
    }

    /// The token's `aud` must be present and contain one of `audiences`.
    #[must_use]
    pub const fn audiences(self, audiences: &'static [&'static str]) -> ClaimsPolicy {
        ClaimsPolicy { audiences, ..self }
    }

    /// The token's `sub` must be present and equal `subject`.
    #[must_use]
    pub const fn subject(self, subject: &'static str) -> ClaimsPolicy {
        ClaimsPolicy {
            subject: Some(subject),
            ..self
        }
    }

    /// The header's `typ` must equal `typ`, compared as RFC 8725 section 3.11 says
    /// (ignoring ASCII case and an `application/` prefix); encoding writes it.
    #[must_use]
    pub const fn typ(self, typ: &'static str) -> ClaimsPolicy {
        ClaimsPolicy {
            typ: Some(typ),
            ..self
        }
    }

    /// Seconds of clock skew allowed for `exp`, `nbf` and `iat`.
    #[must_use]
    pub const fn leeway(self, seconds: u64) -> ClaimsPolicy {
        ClaimsPolicy {
            leeway: Some(seconds),
            ..self
        }
    }

    /// `iat` must be present and at most this many seconds old (plus leeway).
    #[must_use]
    pub const fn max_age(self, seconds: u64) -> ClaimsPolicy {
        ClaimsPolicy {
            max_age: Some(seconds),
            ..self
        }
    }

    /// `claim` must be present in the token.
    #[must_use]
    pub const fn require(self, claim: RegisteredClaim) -> ClaimsPolicy {
        ClaimsPolicy {
            required: self.required.with(claim),
            ..self
        }
    }

    /// A token without `exp` is accepted.
    #[must_use]
    pub const fn allow_missing_exp(self) -> ClaimsPolicy {
        ClaimsPolicy {
            missing_exp: MissingExp::Allow,
            ..self
        }
    }

    /// The accepted issuers are configured at run time (`#[jwt(iss = runtime)]`): the
    /// token's `iss` must be present and one of those of the
    /// [`Validation`](crate::Validation) it is decoded with, and decoding with a
    /// validation that names no issuer refuses every token, with
    /// [`ErrorKind::InvalidIssuer`](crate::ErrorKind::InvalidIssuer), whatever the token.
    ///
    /// Issuers declared with [`issuers`](ClaimsPolicy::issuers) still apply too (the
    /// derive does not let both be declared).
    ///
    /// ```
    /// use jwt_core::ClaimsPolicy;
    ///
    /// const POLICY: ClaimsPolicy = ClaimsPolicy::new().issuer_at_runtime().named("Session");
    /// assert!(POLICY.takes_issuer_at_runtime());
    /// assert!(!POLICY.takes_audience_at_runtime());
    /// ```
    #[must_use]
    pub const fn issuer_at_runtime(self) -> ClaimsPolicy {
        ClaimsPolicy {
            at_runtime: self.at_runtime.with(RegisteredClaim::Iss),
            ..self
        }
    }

    /// The accepted audiences are configured at run time (`#[jwt(aud = runtime)]`): the
    /// token's `aud` must be present and contain one of those of the
    /// [`Validation`](crate::Validation) it is decoded with, and decoding with a
    /// validation that names no audience refuses every token, with
    /// [`ErrorKind::InvalidAudience`](crate::ErrorKind::InvalidAudience), whatever the
    /// token.
    #[must_use]
    pub const fn audience_at_runtime(self) -> ClaimsPolicy {
        ClaimsPolicy {
            at_runtime: self.at_runtime.with(RegisteredClaim::Aud),
            ..self
        }
    }

    /// The name error messages give the claims type (the derive gives the struct's name
    /// to a type whose issuer or audience is configured at run time).
    #[must_use]
    pub const fn named(self, name: &'static str) -> ClaimsPolicy {
        ClaimsPolicy {
            name: Some(name),
            ..self
        }
    }

    /// Encoding writes this claim's single declared value, for types that declare
    /// `iss`, `aud` or `sub` but have no field for it. For an `iss` or `aud` configured
    /// at run time, [`encode_with`](crate::encode_with) writes the one value its
    /// [`Validation`](crate::Validation) names, and [`encode`](crate::encode) refuses.
    ///
    /// # Panics
    ///
    /// When `claim` is not `iss`, `aud` or `sub`, or the policy neither declares exactly
    /// one value for it nor takes it at run time. In a `const` this is a compile error.
    #[must_use]
    // Built in the derive's `const POLICY`, where the panic is a compile error; no token
    // reaches it.
    #[allow(clippy::panic)]
    pub const fn write_on_encode(self, claim: RegisteredClaim) -> ClaimsPolicy {
        let single = match claim {
            RegisteredClaim::Iss => self.issuers.len() == 1 || self.takes_issuer_at_runtime(),
            RegisteredClaim::Aud => self.audiences.len() == 1 || self.takes_audience_at_runtime(),
            RegisteredClaim::Sub => self.subject.is_some(),
            _ => panic!("only `iss`, `aud` and `sub` can be written on encode"),
        };
        assert!(
            single,
            "a claim written on encode needs exactly one declared value"
        );
        ClaimsPolicy {
            written: self.written.with(claim),
            ..self
        }
    }

    /// The accepted issuers; empty when any (or none) is accepted.
    pub const fn issuer_list(&self) -> &'static [&'static str] {
        self.issuers
    }

    /// The accepted audiences; empty when the type declares none.
    pub const fn audience_list(&self) -> &'static [&'static str] {
        self.audiences
    }

    /// The required subject, if any.
    pub const fn required_subject(&self) -> Option<&'static str> {
        self.subject
    }

    /// The required header `typ`, if any.
    pub const fn required_typ(&self) -> Option<&'static str> {
        self.typ
    }

    /// The declared leeway in seconds, if any.
    pub const fn declared_leeway(&self) -> Option<u64> {
        self.leeway
    }

    /// The declared maximum age in seconds, if any.
    pub const fn declared_max_age(&self) -> Option<u64> {
        self.max_age
    }

    /// The claims that must be present, besides those implied by other rules.
    pub const fn required(&self) -> ClaimSet {
        self.required
    }

    /// The claims encoding writes from the declared values.
    pub const fn written_on_encode(&self) -> ClaimSet {
        self.written
    }

    /// What a missing `exp` means.
    pub const fn missing_exp(&self) -> MissingExp {
        self.missing_exp
    }

    /// Whether the accepted issuers are configured at run time
    /// ([`issuer_at_runtime`](ClaimsPolicy::issuer_at_runtime)).
    pub const fn takes_issuer_at_runtime(&self) -> bool {
        self.at_runtime.contains(RegisteredClaim::Iss)
    }

    /// Whether the accepted audiences are configured at run time
    /// ([`audience_at_runtime`](ClaimsPolicy::audience_at_runtime)).
    pub const fn takes_audience_at_runtime(&self) -> bool {
        self.at_runtime.contains(RegisteredClaim::Aud)
    }

    /// The name error messages give the claims type, if it has one
    /// ([`named`](ClaimsPolicy::named)).
    pub const fn type_name(&self) -> Option<&'static str> {
        self.name
    }
}

impl Default for ClaimsPolicy {
    fn default() -> Self {
        ClaimsPolicy::new()
    }
}

/// A claims type: the payload of a token together with the rules that make a token
/// acceptable.
///
/// Derive it with `#[derive(Claims)]` and `#[jwt(...)]` attributes (see the crate docs);
/// [`serde_json::Map`] and [`serde_json::Value`] implement it as *untyped claims*, which
/// get the registered-claim checks and whatever the [`Validation`](crate::Validation)
/// adds. Encoding also needs `serde::Serialize`, decoding `serde::de::DeserializeOwned`.
pub trait Claims {
    /// The rules this type declares.
    const POLICY: ClaimsPolicy;

    /// Checks run on the decoded value after every other rule has passed: the derive's
    /// `#[jwt(validate = path)]` field validators. An error here should be of kind
    /// [`ErrorKind::Custom`](crate::ErrorKind::Custom).
    ///
    /// # Errors
    ///
    /// When a validator refuses the value.
    fn validate_fields(&self) -> Result<(), crate::Error> {
        Ok(())
    }
}

impl Claims for serde_json::Map<String, serde_json::Value> {
    const POLICY: ClaimsPolicy = ClaimsPolicy::untyped();
}

impl Claims for serde_json::Value {
    const POLICY: ClaimsPolicy = ClaimsPolicy::untyped();
}
