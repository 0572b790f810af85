//! Semantics: checks what the attributes and fields mean together and produces the checked
//! model that `expand.rs` turns into code without further checks.

use syn::{DeriveInput, GenericArgument, Ident, Path, PathArguments, Type};

use crate::ast::{Field, Input};
use crate::attr::{Text, Texts};
use crate::ctxt::Ctxt;
use crate::symbol::{AUD, Claim, ClaimType, ISS, SUB, Symbol, TYP};

/// The input, checked: everything the generated impl needs.
pub struct Checked<'a> {
    pub input: &'a DeriveInput,
    pub policy: Policy,
    pub type_checks: Vec<TypeCheck<'a>>,
    pub validators: Vec<Validator<'a>>,
}

/// The values of the `ClaimsPolicy` to build.
pub struct Policy {
    pub issuers: Vec<String>,
    pub audiences: Vec<String>,
    pub subject: Option<String>,
    pub typ: Option<String>,
    pub leeway: Option<u64>,
    pub max_age: Option<u64>,
    /// Without repetitions, in the order of [`Claim::ALL`].
    pub required: Vec<Claim>,
    pub allow_missing_exp: bool,
    /// The claims `encode` writes from the single declared value, in the order of
    /// [`Claim::ALL`].
    pub written_on_encode: Vec<Claim>,
}

/// A registered claim's field, whose type must belong to `expected`.
pub struct TypeCheck<'a> {
    pub ty: &'a Type,
    pub expected: ClaimType,
}

/// A `#[jwt(validate = function)]` field.
pub struct Validator<'a> {
    pub member: &'a Ident,
    pub function: &'a Path,
    pub json_name: &'a str,
}

pub fn check<'a>(cx: &Ctxt, input: &'a Input<'_>) -> Checked<'a> {
    check_aliases(cx, input);
    let attrs = &input.attrs;
    let issuers = declared_list(cx, ISS, attrs.iss.as_ref());
    let audiences = declared_list(cx, AUD, attrs.aud.as_ref());
    let subject = declared_text(cx, SUB, attrs.sub.as_ref());
    let typ = declared_text(cx, TYP, attrs.typ.as_ref());
    let written_on_encode = written_on_encode(
        cx,
        input,
        issuers.as_deref(),
        audiences.as_deref(),
        subject.is_some(),
    );
    Checked {
        input: input.original,
        policy: Policy {
            issuers: issuers.unwrap_or_default(),
            audiences: audiences.unwrap_or_default(),
            subject,
            typ,
            leeway: attrs.leeway,
            max_age: attrs.max_age,
            required: required_claims(cx, input),
            allow_missing_exp: attrs.allow_missing_exp.is_some(),
            written_on_encode,
        },
        type_checks: type_checks(input),
        validators: validators(input),
    }
}

/// The claims `encode` writes from the single declared value, in the order of
/// [`Claim::ALL`], after reporting lists of several values that `encode` would have to
/// choose from.
fn written_on_encode(
    cx: &Ctxt,
    input: &Input,
    issuers: Option<&[String]>,
    audiences: Option<&[String]>,
    has_subject: bool,
) -> Vec<Claim> {
    let attrs = &input.attrs;
    let mut written_on_encode = Vec::new();
    for (claim, key, texts, values, field_type) in [
        (Claim::Iss, ISS, attrs.iss.as_ref(), issuers, "String"),
        (
            Claim::Aud,
            AUD,
            attrs.aud.as_ref(),
            audiences,
            "jwt_core::Audience",
        ),
    ] {
        let (Some(texts), Some(values)) = (texts, values) else {
            continue;
        };
        if writes(&input.fields, claim) {
            continue;
        }
        match values {
            [] => {}
            [_] if input.denies_unknown_fields => {
                cx.error_spanned_by(&texts.tokens, written_but_unknown(key, field_type));
            }
            [_] => written_on_encode.push(claim),
            [first, ..] => cx.error_spanned_by(
                &texts.tokens,
                format!(
                    "`{key}` lists several values but the struct has no `{key}` field, so `encode` cannot \
                     choose which one to write; add a field `{key}: {field_type}` or declare a single value, \
                     e.g. `{key} = {}`",
                    quoted(first),
                ),
            ),
        }
    }
    if let Some(sub) = attrs.sub.as_ref().filter(|_| has_subject)
        && !writes(&input.fields, Claim::Sub)
    {
        if input.denies_unknown_fields {
            cx.error_at(sub.span, written_but_unknown(SUB, "String"));
        } else {
            written_on_encode.push(Claim::Sub);
        }
    }
    written_on_encode.sort_unstable();
    written_on_encode
}

/// Why a declared claim with no field cannot go with `#[serde(deny_unknown_fields)]`:
/// `encode` would write it and decoding then refuse it.
fn written_but_unknown(key: Symbol, field_type: &str) -> String {
    format!(
        "`{key}` has no field, so `encode` writes it, but `#[serde(deny_unknown_fields)]` \
         refuses it when decoding; add a field `{key}: {field_type}`"
    )
}

/// The claims of `required = [...]` and those whose field cannot be absent, without
/// repetitions and in the order of [`Claim::ALL`], after reporting contradictions.
fn required_claims(cx: &Ctxt, input: &Input) -> Vec<Claim> {
    let attrs = &input.attrs;
    let mut required = Vec::new();
    for (index, entry) in attrs.required.iter().enumerate() {
        if attrs.required[..index]
            .iter()
            .any(|earlier| earlier.claim == entry.claim)
        {
            cx.error_spanned_by(
                &entry.ident,
                format!("`{}` is listed twice in `required`", entry.ident),
            );
        }
        required.push(entry.claim);
        if entry.claim == Claim::Exp
            && let Some(flag) = &attrs.allow_missing_exp
        {
            cx.error_spanned_by(
                flag,
                "`allow_missing_exp` contradicts `required = [exp]`; keep one of them",
            );
        }
    }
    for field in &input.fields {
        let Some(claim) = registered_claim(field) else {
            continue;
        };
        if is_option(field.ty) || field.has_default {
            continue;
        }
        // A field that cannot be absent makes its claim required.
        required.push(claim);
        if claim == Claim::Exp && attrs.allow_missing_exp.is_some() {
            cx.error_spanned_by(
                field.ty,
                format!(
                    "`allow_missing_exp` accepts tokens without `exp`, but the field `{}` cannot be absent; \
                     make it `Option<jwt_core::NumericDate>`",
                    field.member
                ),
            );
        }
    }
    required.sort_unstable();
    required.dedup();
    required
}

/// `#[serde(alias)]` may not bring a member into a registered claim's field, nor a
/// registered claim's name into another field: the member would fill the field without
/// being checked as the claim it is, or the claim without the checks of its type.
fn check_aliases(cx: &Ctxt, input: &Input) {
    for field in &input.fields {
        let claim = registered_claim(field).map(Claim::name);
        for alias in &field.aliases {
            if let Some(claim) = claim {
                cx.error_spanned_by(
                    alias,
                    format!(
                        "`#[serde(alias)]` cannot be used on the registered claim `{claim}`: a \
                         member read under another name would fill `{claim}` without being \
                         checked as `{claim}`; give the field one name"
                    ),
                );
            } else if let Some(named) = Claim::from_name(&alias.value()).map(Claim::name) {
                cx.error_spanned_by(
                    alias,
                    format!(
                        "`#[serde(alias = \"{named}\")]` names the registered claim `{named}`: \
                         the field would hold `{named}` without the checks of its type; name \
                         the field `{named}` or `#[serde(rename = \"{named}\")]` it instead"
                    ),
                );
            }
        }
    }
}

/// The registered claim a field holds: the one serde reads it as, if any.
fn registered_claim(field: &Field) -> Option<Claim> {
    field.read_as.as_deref().and_then(Claim::from_name)
}

fn type_checks<'a>(input: &'a Input) -> Vec<TypeCheck<'a>> {
    input
        .fields
        .iter()
        .filter_map(|field| {
            let claim = registered_claim(field)?;
            Some(TypeCheck {
                ty: field.ty,
                expected: claim.ty(),
            })
        })
        .collect()
}

fn validators<'a>(input: &'a Input) -> Vec<Validator<'a>> {
    input
        .fields
        .iter()
        .filter_map(|field| {
            let function = field.attrs.validate.as_ref()?;
            Some(Validator {
                member: field.member,
                function,
                json_name: &field.json_name,
            })
        })
        .collect()
}

/// The values of `iss` or `aud`, after reporting empty and repeated ones.
fn declared_list(cx: &Ctxt, key: Symbol, texts: Option<&Texts>) -> Option<Vec<String>> {
    let texts = texts?;
    if texts.values.is_empty() {
        let what = if key == ISS { "issuer" } else { "audience" };
        cx.error_spanned_by(
            &texts.tokens,
            format!(
                "`{key} = []` lists no {what}; name at least one, e.g. `{key} = \"{}\"`",
                example(key)
            ),
        );
    }
    for (index, text) in texts.values.iter().enumerate() {
        check_not_empty(cx, key, text);
        if texts.values[..index]
            .iter()
            .any(|earlier| earlier.value == text.value)
        {
            cx.error_at(
                text.span,
                format!("{} is listed twice in `{key}`", quoted(&text.value)),
            );
        }
    }
    Some(texts.values.iter().map(|text| text.value.clone()).collect())
}

fn declared_text(cx: &Ctxt, key: Symbol, text: Option<&Text>) -> Option<String> {
    let text = text?;
    check_not_empty(cx, key, text);
    Some(text.value.clone())
}

fn check_not_empty(cx: &Ctxt, key: Symbol, text: &Text) {
    if text.value.is_empty() {
        cx.error_at(
            text.span,
            format!(
                "`{key}` must not be an empty string; expected e.g. `{key} = \"{}\"`",
                example(key)
            ),
        );
    }
}

fn example(key: Symbol) -> &'static str {
    match key {
        ISS => "https://auth.example.com",
        AUD => "api",
        SUB => "updating-db",
        _ => "at+jwt",
    }
}

fn quoted(value: &str) -> String {
    format!("{value:?}")
}

/// Whether some field is serialized as `claim`, so that `encode` writes the field and not a
/// declared value.
fn writes(fields: &[Field], claim: Claim) -> bool {
    fields
        .iter()
        .any(|field| field.written_as.as_deref() == Some(claim.name()))
}

/// Whether `ty` is written as an `Option`.
///
/// The test is syntactic, as a derive sees only tokens: the last path segment is `Option`
/// with one generic type argument (`Option<T>`, `std::option::Option<T>`,
/// `core::option::Option<T>`). An alias such as `type Maybe<T> = Option<T>` is not
/// recognised, so a field of that type makes its claim required; a type of one's own named
/// `Option` is taken for the standard one.
fn is_option(ty: &Type) -> bool {
    match ty {
        Type::Group(group) => is_option(&group.elem),
        Type::Paren(paren) => is_option(&paren.elem),
        Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return false;
            };
            let PathArguments::AngleBracketed(arguments) = &last.arguments else {
                return false;
            };
            last.ident == "Option"
                && arguments.args.len() == 1
                && matches!(arguments.args.first(), Some(GenericArgument::Type(_)))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_option;
    use syn::{Type, parse_quote};

    #[test]
    fn option_is_recognised_by_its_last_segment() {
        let options: [Type; 4] = [
            parse_quote!(Option<NumericDate>),
            parse_quote!(::core::option::Option<String>),
            parse_quote!(std::option::Option<jwt_core::Audience>),
            parse_quote!((Option<String>)),
        ];
        for ty in &options {
            assert!(is_option(ty));
        }
        let others: [Type; 5] = [
            parse_quote!(NumericDate),
            parse_quote!(Option),
            parse_quote!(Vec<Option<String>>),
            parse_quote!(<T as Trait>::Option<String>),
            parse_quote!(&'static Option<String>),
        ];
        for ty in &others {
            assert!(!is_option(ty));
        }
    }
}
