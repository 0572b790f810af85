//! The names the derive recognises: attribute keys and registered claims.

use std::fmt::{self, Display};

use syn::{Ident, Path};

/// An attribute key, compared against idents and paths without allocating.
#[derive(Copy, Clone, PartialEq, Eq)]
pub struct Symbol(&'static str);

pub const JWT: Symbol = Symbol("jwt");
pub const SERDE: Symbol = Symbol("serde");

// Keys of `#[jwt(...)]` on the struct.
pub const ISS: Symbol = Symbol("iss");
pub const AUD: Symbol = Symbol("aud");
pub const SUB: Symbol = Symbol("sub");
pub const TYP: Symbol = Symbol("typ");
pub const LEEWAY: Symbol = Symbol("leeway");
pub const MAX_AGE: Symbol = Symbol("max_age");
pub const REQUIRED: Symbol = Symbol("required");
pub const ALLOW_MISSING_EXP: Symbol = Symbol("allow_missing_exp");
pub const CRATE: Symbol = Symbol("crate");

/// The value of `iss` or `aud` that takes them from the `Validation` at run time.
pub const RUNTIME: Symbol = Symbol("runtime");

/// The struct keys, in the order error messages list them.
pub const CONTAINER_KEYS: &[Symbol] = &[
    ISS,
    AUD,
    SUB,
    TYP,
    LEEWAY,
    MAX_AGE,
    REQUIRED,
    ALLOW_MISSING_EXP,
    CRATE,
];

// Keys of `#[jwt(...)]` on a field.
pub const VALIDATE: Symbol = Symbol("validate");

/// The field keys, in the order error messages list them.
pub const FIELD_KEYS: &[Symbol] = &[VALIDATE];

// Keys of `#[serde(...)]` that decide a field's JSON name and whether it is read.
pub const RENAME: Symbol = Symbol("rename");
pub const ALIAS: Symbol = Symbol("alias");
pub const RENAME_ALL: Symbol = Symbol("rename_all");
pub const SERIALIZE: Symbol = Symbol("serialize");
pub const DESERIALIZE: Symbol = Symbol("deserialize");
pub const SKIP: Symbol = Symbol("skip");
pub const SKIP_SERIALIZING: Symbol = Symbol("skip_serializing");
pub const SKIP_DESERIALIZING: Symbol = Symbol("skip_deserializing");
pub const FLATTEN: Symbol = Symbol("flatten");
pub const DEFAULT: Symbol = Symbol("default");
pub const DENY_UNKNOWN_FIELDS: Symbol = Symbol("deny_unknown_fields");

/// ``one of `a`, `b`, `c` `` for error messages.
pub fn one_of(symbols: &[Symbol]) -> String {
    let quoted: Vec<String> = symbols.iter().map(|symbol| format!("`{symbol}`")).collect();
    match quoted.as_slice() {
        [single] => single.clone(),
        _ => format!("one of {}", quoted.join(", ")),
    }
}

impl PartialEq<Symbol> for Ident {
    fn eq(&self, word: &Symbol) -> bool {
        self == word.0
    }
}

impl PartialEq<Symbol> for &Ident {
    fn eq(&self, word: &Symbol) -> bool {
        *self == word.0
    }
}

impl PartialEq<Symbol> for Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl PartialEq<Symbol> for &Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl Display for Symbol {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.0)
    }
}

/// A registered claim of RFC 7519, section 4.1, mirroring `jwt_core::RegisteredClaim`.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Claim {
    Iss,
    Sub,
    Aud,
    Exp,
    Nbf,
    Iat,
    Jti,
}

impl Claim {
    /// Every registered claim, in the order of RFC 7519 (and of `RegisteredClaim::ALL`).
    pub const ALL: [Claim; 7] = [
        Claim::Iss,
        Claim::Sub,
        Claim::Aud,
        Claim::Exp,
        Claim::Nbf,
        Claim::Iat,
        Claim::Jti,
    ];

    /// The claim's JSON member name.
    pub const fn name(self) -> &'static str {
        match self {
            Claim::Iss => "iss",
            Claim::Sub => "sub",
            Claim::Aud => "aud",
            Claim::Exp => "exp",
            Claim::Nbf => "nbf",
            Claim::Iat => "iat",
            Claim::Jti => "jti",
        }
    }

    /// The name of the matching `jwt_core::RegisteredClaim` variant.
    pub const fn variant(self) -> &'static str {
        match self {
            Claim::Iss => "Iss",
            Claim::Sub => "Sub",
            Claim::Aud => "Aud",
            Claim::Exp => "Exp",
            Claim::Nbf => "Nbf",
            Claim::Iat => "Iat",
            Claim::Jti => "Jti",
        }
    }

    /// The claim whose JSON member name is `name`, if it is a registered one.
    pub fn from_name(name: &str) -> Option<Claim> {
        Claim::ALL.into_iter().find(|claim| claim.name() == name)
    }

    /// `` `iss`, `sub`, ... `` for error messages.
    pub fn list() -> String {
        let quoted: Vec<String> = Claim::ALL
            .iter()
            .map(|claim| format!("`{}`", claim.name()))
            .collect();
        quoted.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::{CONTAINER_KEYS, Claim, FIELD_KEYS, one_of};

    #[test]
    fn claim_names_round_trip() {
        for claim in Claim::ALL {
            assert!(Claim::from_name(claim.name()) == Some(claim));
        }
        assert!(Claim::from_name("EXP").is_none());
    }

    #[test]
    fn key_lists_read_as_prose() {
        assert_eq!(
            one_of(CONTAINER_KEYS),
            "one of `iss`, `aud`, `sub`, `typ`, `leeway`, `max_age`, `required`, `allow_missing_exp`, `crate`"
        );
        assert_eq!(one_of(FIELD_KEYS), "`validate`");
    }
}
