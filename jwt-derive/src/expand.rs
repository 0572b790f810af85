//! Code generation: parse, check, then emit the impl, or the errors and the fallback impl.
//!
//! The emitting half never fails: by the time it runs, `valid.rs` has accepted the input.

use proc_macro2::{Delimiter, Group, Ident, Literal, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::DeriveInput;
use syn::spanned::Spanned;

use crate::ast::Input;
use crate::ctxt::Ctxt;
use crate::fallback;
use crate::symbol::{AUD, Claim, ISS, SUB, Symbol};
use crate::valid::{
    self, Assertion, AssertionKind, Checked, Declared, Policy, TypeCheck, Validator,
};

/// The expansion of `#[derive(Claims)]` on `input`.
pub fn derive(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let ast = Input::from_syn(&cx, input);
    let checked = ast.as_ref().map(|ast| valid::check(&cx, ast));
    match (cx.check(), checked) {
        (Ok(()), Some(checked)) => impl_claims(&checked),
        (Err(errors), checked) => fallback::expand(input, checked.as_ref(), &errors),
        // `from_syn` records an error whenever it returns `None`.
        (Ok(()), None) => fallback::expand(
            input,
            None,
            &syn::Error::new(Span::call_site(), "invalid input"),
        ),
    }
}

fn impl_claims(checked: &Checked) -> TokenStream {
    let input = checked.input;
    let krate = &checked.krate;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    // The type checks live in the body of `POLICY`, which is type-checked with the impl, so
    // they work for generic structs too.
    let type_checks = checked
        .type_checks
        .iter()
        .map(|check| type_check(krate, check));
    let mut policy = policy(krate, &checked.policy);
    if !checked.policy.assertions.is_empty() {
        let assertions = checked
            .policy
            .assertions
            .iter()
            .map(|each| assertion(krate, each));
        policy = quote! {
            let __jwt_policy = #policy;
            #(#assertions)*
            __jwt_policy
        };
    }
    let validate_fields = validate_fields(krate, &checked.validators);
    // An associated const is evaluated only where it is used; a non-generic type's is
    // evaluated here, so that a failed assertion shows in the build that defines it.
    let evaluate = (!checked.policy.assertions.is_empty() && input.generics.params.is_empty())
        .then(|| {
            quote! {
                const _: #krate::ClaimsPolicy = <#ident as #krate::Claims>::POLICY;
            }
        });
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::Claims for #ident #ty_generics #where_clause {
            const POLICY: #krate::ClaimsPolicy = {
                #(#type_checks)*
                #policy
            };
            #validate_fields
        }
        #evaluate
    }
}

/// A const assertion on values that rustc evaluates, made on the built policy and spanned
/// at the values as written.
fn assertion(krate: &TokenStream, assertion: &Assertion) -> TokenStream {
    let Assertion {
        kind,
        message,
        span: (first, last),
    } = assertion;
    let (function, values, index) = match kind {
        AssertionKind::NotEmpty { key, index } if *key == ISS || *key == AUD => (
            "assert_listed_not_empty",
            policy_values(*key),
            Some(Literal::usize_unsuffixed(*index)),
        ),
        AssertionKind::NotEmpty { key, .. } => ("assert_not_empty", policy_values(*key), None),
        AssertionKind::Distinct { key } => ("assert_distinct", policy_values(*key), None),
    };
    let function = Ident::new(function, *first);
    let krate = respanned(krate, *first);
    let index = index.map(|index| quote!(#index,));
    // The call spans from its path, at the first token, to its parentheses, at the last.
    let mut arguments = Group::new(
        Delimiter::Parenthesis,
        quote!(__jwt_policy.#values, #index #message),
    );
    arguments.set_span(*last);
    quote_spanned! {*first=>
        #krate::__private::#function #arguments;
    }
}

/// The crate path with every token at `span`, for code spanned at a user's tokens: a path
/// at the macro's call site would stretch the generated expression, and the error on it,
/// over the whole derive.
fn respanned(krate: &TokenStream, span: Span) -> TokenStream {
    krate
        .clone()
        .into_iter()
        .map(|mut tree| {
            if let TokenTree::Group(group) = &tree {
                let mut inner = Group::new(group.delimiter(), respanned(&group.stream(), span));
                inner.set_span(span);
                tree = TokenTree::Group(inner);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}

/// The accessor of the built policy that reads back what `key` declares.
fn policy_values(key: Symbol) -> TokenStream {
    match key {
        ISS => quote!(issuer_list()),
        AUD => quote!(audience_list()),
        SUB => quote!(required_subject()),
        _ => quote!(required_typ()),
    }
}

/// An assertion spanned at the field's type, so that a wrong type is reported there, by a
/// function of the claim's own, so that the message names the claim.
pub fn type_check(krate: &TokenStream, check: &TypeCheck) -> TokenStream {
    let ty = check.ty;
    let span = ty.span();
    let assert = Ident::new(&format!("assert_{}_claim", check.claim.name()), span);
    let krate = respanned(krate, span);
    quote_spanned!(span=> #krate::__private::#assert::<#ty>();)
}

fn policy(krate: &TokenStream, policy: &Policy) -> TokenStream {
    let mut tokens = quote!(#krate::ClaimsPolicy::new());
    if !policy.issuers.is_empty() {
        let issuers = policy.issuers.iter().map(declared);
        tokens.extend(quote!(.issuers(&[#(#issuers),*])));
    }
    if !policy.audiences.is_empty() {
        let audiences = policy.audiences.iter().map(declared);
        tokens.extend(quote!(.audiences(&[#(#audiences),*])));
    }
    if policy.issuer_at_runtime {
        tokens.extend(quote!(.issuer_at_runtime()));
    }
    if policy.audience_at_runtime {
        tokens.extend(quote!(.audience_at_runtime()));
    }
    if policy.issuer_at_runtime || policy.audience_at_runtime {
        let name = Literal::string(&policy.name);
        tokens.extend(quote!(.named(#name)));
    }
    if let Some(subject) = &policy.subject {
        let subject = declared(subject);
        tokens.extend(quote!(.subject(#subject)));
    }
    if let Some(typ) = &policy.typ {
        let typ = declared(typ);
        tokens.extend(quote!(.typ(#typ)));
    }
    if let Some(leeway) = policy.leeway {
        let leeway = Literal::u64_unsuffixed(leeway);
        tokens.extend(quote!(.leeway(#leeway)));
    }
    if let Some(max_age) = policy.max_age {
        let max_age = Literal::u64_unsuffixed(max_age);
        tokens.extend(quote!(.max_age(#max_age)));
    }
    for claim in &policy.required {
        let claim = registered_claim(krate, *claim);
        tokens.extend(quote!(.require(#claim)));
    }
    if policy.allow_missing_exp {
        tokens.extend(quote!(.allow_missing_exp()));
    }
    // Last: `write_on_encode` checks that the value it writes has been declared.
    for claim in &policy.written_on_encode {
        let claim = registered_claim(krate, *claim);
        tokens.extend(quote!(.write_on_encode(#claim)));
    }
    tokens
}

/// A declared value as an expression: a literal, or the user's tokens, which resolve where
/// the struct is defined.
fn declared(value: &Declared) -> TokenStream {
    match value {
        Declared::Literal(value) => Literal::string(value).into_token_stream(),
        Declared::Expr(tokens) => tokens.clone(),
    }
}

fn registered_claim(krate: &TokenStream, claim: Claim) -> TokenStream {
    let variant = Ident::new(claim.variant(), Span::call_site());
    quote!(#krate::RegisteredClaim::#variant)
}

/// `validate_fields`, calling each validator in field order; nothing when there is none, so
/// the trait's default applies.
pub fn validate_fields(krate: &TokenStream, validators: &[Validator]) -> TokenStream {
    if validators.is_empty() {
        return TokenStream::new();
    }
    let calls = validators.iter().map(|validator| {
        let Validator {
            member,
            function,
            json_name,
        } = validator;
        // Everything, the argument included, is spanned at the path, so that a function of
        // the wrong signature is reported there and nowhere else. Which of the traits in
        // scope the call resolves to decides how the function is called (see `__private`).
        let span = function.span();
        let mut member = (*member).clone();
        member.set_span(span);
        let krate = respanned(krate, span);
        quote_spanned! {span=>
            if let ::core::result::Result::Err(__jwt_error) = (&&&#krate::__private::FieldValidator::new(
                #function,
                &self.#member,
                #json_name,
            ))
            .validate_field()
            {
                return ::core::result::Result::Err(__jwt_error);
            }
        }
    });
    quote! {
        fn validate_fields(&self) -> ::core::result::Result<(), #krate::Error> {
            use #krate::__private::{
                NotAValidator as _, ValidateDerefField as _, ValidateField as _,
            };
            #(#calls)*
            ::core::result::Result::Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::derive;
    use syn::{DeriveInput, parse_quote};

    fn expand(input: &DeriveInput) -> String {
        derive(input).to_string()
    }

    fn error_count(input: &DeriveInput) -> usize {
        expand(input).matches("compile_error").count()
    }

    #[test]
    fn attributes_become_the_policy() {
        let input: DeriveInput = parse_quote! {
            #[jwt(iss = "jiankaiwang", aud = "db-server", leeway = 30)]
            struct DbUpdate { sub: String, exp: NumericDate, timestamp: i64 }
        };
        let expanded = expand(&input);
        assert!(!expanded.contains("compile_error"), "{expanded}");
        let policy = "ClaimsPolicy :: new () . issuers (& [\"jiankaiwang\"]) . audiences (& [\"db-server\"]) \
                      . leeway (30) . require (:: jwt_core :: RegisteredClaim :: Sub) \
                      . require (:: jwt_core :: RegisteredClaim :: Exp) \
                      . write_on_encode (:: jwt_core :: RegisteredClaim :: Iss) \
                      . write_on_encode (:: jwt_core :: RegisteredClaim :: Aud)";
        assert!(expanded.contains(policy), "{expanded}");
        assert!(
            expanded.contains("assert_sub_claim :: < String >"),
            "{expanded}"
        );
        assert!(
            expanded.contains("assert_exp_claim :: < NumericDate >"),
            "{expanded}"
        );
        assert!(!expanded.contains("fn validate_fields"), "{expanded}");
    }

    #[test]
    fn runtime_issuer_and_audience_become_the_policy() {
        let input: DeriveInput = parse_quote! {
            #[jwt(iss = runtime, aud = [runtime])]
            struct Session { sub: String, exp: NumericDate }
        };
        let expanded = expand(&input);
        assert!(!expanded.contains("compile_error"), "{expanded}");
        let policy = "ClaimsPolicy :: new () . issuer_at_runtime () . audience_at_runtime () \
                      . named (\"Session\") . require (:: jwt_core :: RegisteredClaim :: Sub) \
                      . require (:: jwt_core :: RegisteredClaim :: Exp) \
                      . write_on_encode (:: jwt_core :: RegisteredClaim :: Iss) \
                      . write_on_encode (:: jwt_core :: RegisteredClaim :: Aud)";
        assert!(expanded.contains(policy), "{expanded}");

        // With a field, the field is written; `runtime` in `sub` is refused.
        let input: DeriveInput = parse_quote! {
            #[jwt(aud = runtime, sub = runtime)]
            struct Api { aud: Audience, exp: NumericDate }
        };
        let expanded = expand(&input);
        assert_eq!(expanded.matches("compile_error").count(), 1, "{expanded}");
        assert!(
            expanded.contains("`sub = runtime` is not supported"),
            "{expanded}"
        );
        let input: DeriveInput = parse_quote! {
            #[jwt(aud = runtime)]
            struct Api { aud: Audience, exp: NumericDate }
        };
        let expanded = expand(&input);
        assert!(
            expanded.contains(". audience_at_runtime () . named (\"Api\")"),
            "{expanded}"
        );
        assert!(!expanded.contains("write_on_encode"), "{expanded}");
    }

    #[test]
    fn runtime_listed_with_values_is_reported_once_per_key() {
        let input: DeriveInput = parse_quote! {
            #[jwt(iss = [runtime, "a"], aud = ["api", runtime, AUDIENCE])]
            struct Session { exp: NumericDate }
        };
        let expanded = expand(&input);
        assert_eq!(expanded.matches("compile_error").count(), 2, "{expanded}");
        assert!(
            expanded.contains("`runtime` cannot be listed with other values in `iss`"),
            "{expanded}"
        );
        assert!(
            expanded.contains("`runtime` cannot be listed with other values in `aud`"),
            "{expanded}"
        );
    }

    #[test]
    fn every_mistake_is_reported_with_a_fallback_impl() {
        let input: DeriveInput = parse_quote! {
            #[jwt(isss = "a", leeway = "30")]
            #[jwt(leeway = -5, required = [jti, foo], allow_missing_exp, typ = "")]
            struct Mistakes {
                #[jwt(validate)]
                sub: String,
                #[jwt(iss = "x")]
                other: i64,
            }
        };
        // isss, "30", duplicate leeway, -5, foo, typ "", validate without value, iss on a field
        assert_eq!(error_count(&input), 8, "{}", expand(&input));
        // The fallback has the default policy, and still checks the registered claims' types.
        let expanded = expand(&input);
        assert!(
            expanded.contains(
                "const POLICY : :: jwt_core :: ClaimsPolicy = { :: jwt_core :: __private :: \
                 assert_sub_claim :: < String > () ; :: jwt_core :: ClaimsPolicy :: new () } ;"
            ),
            "{expanded}"
        );
    }

    #[test]
    fn every_generated_path_uses_the_crate_attribute() {
        let input: DeriveInput = parse_quote! {
            #[jwt(crate = "reexport::inner", iss = ISSUER, aud = ["api", API], sub = "s")]
            #[jwt(required = [jti])]
            struct Renamed {
                exp: NumericDate,
                aud: Audience,
                #[jwt(validate = check)]
                jti: String,
            }
        };
        let expanded = expand(&input);
        assert!(!expanded.contains("compile_error"), "{expanded}");
        assert!(!expanded.contains("jwt_core"), "{expanded}");
        for path in [
            "impl reexport :: inner :: Claims for Renamed",
            "reexport :: inner :: ClaimsPolicy :: new ()",
            "reexport :: inner :: RegisteredClaim :: Jti",
            "reexport :: inner :: __private :: assert_exp_claim",
            "reexport :: inner :: __private :: assert_listed_not_empty",
            "reexport :: inner :: __private :: FieldValidator",
            "reexport :: inner :: Error",
            "< Renamed as reexport :: inner :: Claims > :: POLICY",
        ] {
            assert!(expanded.contains(path), "{path}: {expanded}");
        }
        // The fallback after a mistake uses it too.
        let input: DeriveInput = parse_quote! {
            #[jwt(crate = "reexport::inner", leeway = "1")]
            struct Mistaken { exp: NumericDate }
        };
        let expanded = expand(&input);
        assert!(expanded.contains("compile_error"), "{expanded}");
        assert!(!expanded.contains("jwt_core"), "{expanded}");
    }

    #[test]
    fn crate_path_must_be_a_path_in_a_string() {
        for input in [
            parse_quote!(
                #[jwt(crate = my_jwt)]
                struct S {
                    exp: NumericDate,
                }
            ),
            parse_quote!(
                #[jwt(crate = "my jwt")]
                struct S {
                    exp: NumericDate,
                }
            ),
            parse_quote!(
                #[jwt(crate)]
                struct S {
                    exp: NumericDate,
                }
            ),
        ] {
            let expanded = expand(&input);
            assert!(
                expanded.contains("`crate` expects the path of jwt-core"),
                "{expanded}"
            );
            // The fallback falls back to the default path.
            assert!(expanded.contains(":: jwt_core :: Claims"), "{expanded}");
        }
    }

    #[test]
    fn enums_and_tuple_structs_are_refused() {
        let inputs: [DeriveInput; 3] = [
            parse_quote!(
                enum E {
                    A,
                }
            ),
            parse_quote!(
                struct T(String);
            ),
            parse_quote!(
                struct U;
            ),
        ];
        for input in &inputs {
            let expanded = expand(input);
            assert!(
                expanded.contains("can only be derived for structs with named fields"),
                "{expanded}"
            );
        }
    }

    #[test]
    fn serde_names_decide_the_registered_claims() {
        let input: DeriveInput = parse_quote! {
            #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
            #[jwt(allow_missing_exp)]
            struct Renamed {
                #[serde(rename = "exp")]
                expires: Option<NumericDate>,
                #[serde(rename(serialize = "x", deserialize = "jti"))]
                id: String,
                iat: NumericDate,
                #[serde(skip)]
                nbf: NumericDate,
            }
        };
        let expanded = expand(&input);
        assert!(!expanded.contains("compile_error"), "{expanded}");
        assert!(
            expanded.contains("assert_exp_claim :: < Option < NumericDate > >"),
            "{expanded}"
        );
        assert!(
            expanded.contains("require (:: jwt_core :: RegisteredClaim :: Jti)"),
            "{expanded}"
        );
        // `iat` is read as `IAT`, and `nbf` is not read at all.
        assert_eq!(expanded.matches("assert_").count(), 2, "{expanded}");
    }
}
