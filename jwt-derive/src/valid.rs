//! Semantics: checks what the attributes and fields mean together and produces the checked
//! model that `expand.rs` turns into code without further checks.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::{DeriveInput, GenericArgument, Ident, Path, PathArguments, Type};

use crate::ast::{Field, Input};
use crate::attr::{Text, Texts};
use crate::ctxt::Ctxt;
use crate::symbol::{AUD, Claim, ISS, SUB, Symbol, TYP};

/// The input, checked: everything the generated impl needs.
pub struct Checked<'a> {
    pub input: &'a DeriveInput,
    /// The path of jwt-core in the generated code: `#[jwt(crate = "...")]`, or
    /// `::jwt_core`.
    pub krate: TokenStream,
    pub policy: Policy,
    pub type_checks: Vec<TypeCheck<'a>>,
    pub validators: Vec<Validator<'a>>,
}

/// The values of the `ClaimsPolicy` to build.
pub struct Policy {
    pub issuers: Vec<Declared>,
    pub audiences: Vec<Declared>,
    /// `iss = runtime`: the issuers come from the `Validation`.
    pub issuer_at_runtime: bool,
    /// `aud = runtime`: the audiences come from the `Validation`.
    pub audience_at_runtime: bool,
    /// The struct's name, which messages about a missing configuration give.
    pub name: String,
    pub subject: Option<Declared>,
    pub typ: Option<Declared>,
    pub leeway: Option<u64>,
    pub max_age: Option<u64>,
    /// Without repetitions, in the order of [`Claim::ALL`].
    pub required: Vec<Claim>,
    pub allow_missing_exp: bool,
    /// The claims `encode` writes from the single declared value, in the order of
    /// [`Claim::ALL`].
    pub written_on_encode: Vec<Claim>,
    /// What the derive cannot check in values rustc evaluates, checked in the `POLICY`
    /// const instead.
    pub assertions: Vec<Assertion>,
}

/// A declared string value.
pub enum Declared {
    /// A literal, checked by the derive.
    Literal(String),
    /// A const path, `env!(...)` or `concat!(...)`, as written; rustc evaluates it.
    Expr(TokenStream),
}

/// A check of values that only rustc can evaluate, made when the `POLICY` const is
/// evaluated; a failure is a compile error with `message`, spanning the value as written.
pub struct Assertion {
    pub kind: AssertionKind,
    pub message: String,
    /// The first and last token of the value as written.
    pub span: (Span, Span),
}

/// What an [`Assertion`] checks, read back from the built policy so that each value is
/// written once in the expansion (and a value of the wrong type reported once).
pub enum AssertionKind {
    /// The value of `key` (at `index` when `key` declares a list) is not empty.
    NotEmpty { key: Symbol, index: usize },
    /// No two values of the list `key` declares are equal.
    Distinct { key: Symbol },
}

/// A registered claim's field, whose type must fit the claim.
pub struct TypeCheck<'a> {
    pub ty: &'a Type,
    pub claim: Claim,
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
    let mut assertions = Vec::new();
    let issuer_at_runtime = at_runtime(cx, ISS, attrs.iss.as_ref());
    let audience_at_runtime = at_runtime(cx, AUD, attrs.aud.as_ref());
    let issuers = declared_list(cx, &mut assertions, ISS, attrs.iss.as_ref());
    let audiences = declared_list(cx, &mut assertions, AUD, attrs.aud.as_ref());
    let subject = declared_text(cx, &mut assertions, SUB, attrs.sub.as_ref());
    let typ = declared_text(cx, &mut assertions, TYP, attrs.typ.as_ref());
    let written_on_encode = written_on_encode(
        cx,
        input,
        [
            (issuers.as_deref(), issuer_at_runtime),
            (audiences.as_deref(), audience_at_runtime),
        ],
        subject.is_some(),
    );
    Checked {
        input: input.original,
        krate: attrs
            .krate
            .as_ref()
            .map_or_else(default_crate_path, ToTokens::to_token_stream),
        policy: Policy {
            issuers: issuers.unwrap_or_default(),
            audiences: audiences.unwrap_or_default(),
            issuer_at_runtime,
            audience_at_runtime,
            name: input.original.ident.to_string(),
            subject,
            typ,
            leeway: attrs.leeway,
            max_age: attrs.max_age,
            required: required_claims(cx, input),
            allow_missing_exp: attrs.allow_missing_exp.is_some(),
            written_on_encode,
            assertions,
        },
        type_checks: type_checks(input),
        validators: validators(input),
    }
}

/// `::jwt_core`, where the generated code finds jwt-core unless told otherwise.
pub fn default_crate_path() -> TokenStream {
    quote!(::jwt_core)
}

/// The claims `encode` writes from the single declared value, in the order of
/// [`Claim::ALL`], after reporting lists of several values that `encode` would have to
/// choose from.
///
/// `iss` and `aud` come with whether they are taken at run time, when `encode_with`
/// writes the one value the `Validation` names.
fn written_on_encode(
    cx: &Ctxt,
    input: &Input,
    [
        (issuers, issuer_at_runtime),
        (audiences, audience_at_runtime),
    ]: [(Option<&[Declared]>, bool); 2],
    has_subject: bool,
) -> Vec<Claim> {
    let attrs = &input.attrs;
    let mut written_on_encode = Vec::new();
    for (claim, key, texts, values, runtime, field_type) in [
        (
            Claim::Iss,
            ISS,
            attrs.iss.as_ref(),
            issuers,
            issuer_at_runtime,
            "String",
        ),
        (
            Claim::Aud,
            AUD,
            attrs.aud.as_ref(),
            audiences,
            audience_at_runtime,
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
            _ if runtime && input.denies_unknown_fields => {
                cx.error_spanned_by(
                    &texts.tokens,
                    format!(
                        "`{key} = runtime` has no field, so `encode_with` writes the configured \
                         value, but `#[serde(deny_unknown_fields)]` refuses it when decoding; add \
                         a field `{key}: {field_type}`"
                    ),
                );
            }
            _ if runtime => written_on_encode.push(claim),
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
                    first.written(),
                ),
            ),
        }
    }
    if let Some(sub) = attrs.sub.as_ref().filter(|_| has_subject)
        && !writes(&input.fields, Claim::Sub)
    {
        if input.denies_unknown_fields {
            cx.error_spanned_by(sub, written_but_unknown(SUB, "String"));
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
                claim,
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

impl Declared {
    /// The value as a user would write it, for messages.
    pub fn written(&self) -> String {
        match self {
            Declared::Literal(value) => quoted(value),
            Declared::Expr(tokens) => format!("`{}`", written(tokens)),
        }
    }
}

impl ToTokens for Text {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Text::Literal(string) => string.to_tokens(tokens),
            Text::Expr(expr) => expr.to_tokens(tokens),
            Text::Runtime(ident) => ident.to_tokens(tokens),
        }
    }
}

/// Whether `key = runtime` takes the values from the `Validation`, after reporting
/// `runtime` listed together with declared values.
fn at_runtime(cx: &Ctxt, key: Symbol, texts: Option<&Texts>) -> bool {
    let Some(texts) = texts else {
        return false;
    };
    let Some(runtime) = texts.values.iter().find_map(|text| match text {
        Text::Runtime(ident) => Some(ident),
        _ => None,
    }) else {
        return false;
    };
    if texts.values.len() > 1 {
        let (what, method) = if key == ISS {
            ("issuers", "issuer")
        } else {
            ("audiences", "audience")
        };
        cx.error_spanned_by(
            runtime,
            format!(
                "`runtime` cannot be listed with other values in `{key}`: either the {what} \
                 are declared here, or all of them are configured at run time; write \
                 `{key} = runtime` and call `Validation::{method}` for each accepted value, \
                 or list only declared values"
            ),
        );
    }
    true
}

/// The values of `iss` or `aud`, after reporting empty and repeated ones, and with the
/// assertions for what only rustc can evaluate.
fn declared_list(
    cx: &Ctxt,
    assertions: &mut Vec<Assertion>,
    key: Symbol,
    texts: Option<&Texts>,
) -> Option<Vec<Declared>> {
    let texts = texts?;
    if texts
        .values
        .iter()
        .any(|text| matches!(text, Text::Runtime(_)))
    {
        // `at_runtime` has reported any value listed with `runtime`.
        return Some(Vec::new());
    }
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
    let values: Vec<Declared> = texts
        .values
        .iter()
        .enumerate()
        .map(|(index, text)| declared(cx, assertions, key, index, text))
        .collect();
    for (index, (text, value)) in texts.values.iter().zip(&values).enumerate() {
        // Literals compare by value, other values as written: `[A, A]` is a mistake too.
        let same = |earlier: &Declared| match (earlier, value) {
            (Declared::Literal(earlier), Declared::Literal(value)) => earlier == value,
            (Declared::Expr(earlier), Declared::Expr(value)) => {
                earlier.to_string() == value.to_string()
            }
            _ => false,
        };
        if values[..index].iter().any(same) {
            cx.error_spanned_by(
                text,
                format!("{} is listed twice in `{key}`", value.written()),
            );
        }
    }
    let evaluated = values
        .iter()
        .any(|value| matches!(value, Declared::Expr(_)));
    if evaluated && values.len() > 1 {
        assertions.push(Assertion {
            kind: AssertionKind::Distinct { key },
            message: format!(
                "`{key} = {}` lists the same value twice; each value must be different",
                written(&texts.tokens)
            ),
            span: first_and_last(&texts.tokens),
        });
    }
    Some(values)
}

fn declared_text(
    cx: &Ctxt,
    assertions: &mut Vec<Assertion>,
    key: Symbol,
    text: Option<&Text>,
) -> Option<Declared> {
    Some(declared(cx, assertions, key, 0, text?))
}

/// A declared value: a literal after checking that it is not empty, or a value that rustc
/// evaluates with an assertion that it is not empty.
fn declared(
    cx: &Ctxt,
    assertions: &mut Vec<Assertion>,
    key: Symbol,
    index: usize,
    text: &Text,
) -> Declared {
    match text {
        Text::Literal(string) => {
            let value = string.value();
            if value.is_empty() {
                cx.error_spanned_by(
                    string,
                    format!(
                        "`{key}` must not be an empty string; expected e.g. `{key} = \"{}\"`",
                        example(key)
                    ),
                );
            }
            Declared::Literal(value)
        }
        // Never met: `runtime` is read only for `iss` and `aud`, whose lists stop at it.
        Text::Runtime(ident) => Declared::Expr(ident.to_token_stream()),
        Text::Expr(tokens) => {
            assertions.push(Assertion {
                kind: AssertionKind::NotEmpty { key, index },
                message: format!(
                    "`{key}` must not be an empty string, but `{}` is empty",
                    written(tokens)
                ),
                span: first_and_last(tokens),
            });
            Declared::Expr(tokens.clone())
        }
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

/// The spans of the first and last tokens, to span a generated expression over all of
/// them (stable proc macros cannot join spans).
fn first_and_last(tokens: &TokenStream) -> (Span, Span) {
    let mut trees = tokens.clone().into_iter();
    let first = trees
        .next()
        .map_or_else(Span::call_site, |tree| tree.span());
    let last = trees.last().map_or(first, |tree| tree.span());
    (first, last)
}

/// Tokens as a user would write them: `config::ISSUER`, `env!("ISSUER")`.
fn written(tokens: &TokenStream) -> String {
    tokens
        .to_string()
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" !", "!")
        .replace("! ", "!")
        .replace(" ,", ",")
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
