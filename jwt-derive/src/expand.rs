//! Code generation: parse, check, then emit the impl, or the errors and the fallback impl.
//!
//! The emitting half never fails: by the time it runs, `valid.rs` has accepted the input.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::DeriveInput;
use syn::spanned::Spanned;

use crate::ast::Input;
use crate::ctxt::Ctxt;
use crate::fallback;
use crate::symbol::{Claim, ClaimType};
use crate::valid::{self, Checked, Policy, TypeCheck, Validator};

/// The expansion of `#[derive(Claims)]` on `input`.
pub fn derive(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let ast = Input::from_syn(&cx, input);
    let checked = ast.as_ref().map(|ast| valid::check(&cx, ast));
    match (cx.check(), checked) {
        (Ok(()), Some(checked)) => impl_claims(&checked),
        (Err(errors), _) => fallback::expand(input, &errors),
        // `from_syn` records an error whenever it returns `None`.
        (Ok(()), None) => {
            fallback::expand(input, &syn::Error::new(Span::call_site(), "invalid input"))
        }
    }
}

fn impl_claims(checked: &Checked) -> TokenStream {
    let input = checked.input;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    // The type checks live in the body of `POLICY`, which is type-checked with the impl, so
    // they work for generic structs too.
    let type_checks = checked.type_checks.iter().map(type_check);
    let policy = policy(&checked.policy);
    let validate_fields = validate_fields(&checked.validators);
    quote! {
        #[automatically_derived]
        impl #impl_generics ::jwt_core::Claims for #ident #ty_generics #where_clause {
            const POLICY: ::jwt_core::ClaimsPolicy = {
                #(#type_checks)*
                #policy
            };
            #validate_fields
        }
    }
}

/// An assertion spanned at the field's type, so that a wrong type is reported there.
fn type_check(check: &TypeCheck) -> TokenStream {
    let ty = check.ty;
    let span = ty.span();
    match check.expected {
        ClaimType::NumericDate => {
            quote_spanned!(span=> ::jwt_core::__private::assert_numeric_date_claim::<#ty>();)
        }
        ClaimType::String => {
            quote_spanned!(span=> ::jwt_core::__private::assert_string_claim::<#ty>();)
        }
        ClaimType::Audience => {
            quote_spanned!(span=> ::jwt_core::__private::assert_audience_claim::<#ty>();)
        }
    }
}

fn policy(policy: &Policy) -> TokenStream {
    let mut tokens = quote!(::jwt_core::ClaimsPolicy::new());
    if !policy.issuers.is_empty() {
        let issuers = policy.issuers.iter().map(|issuer| Literal::string(issuer));
        tokens.extend(quote!(.issuers(&[#(#issuers),*])));
    }
    if !policy.audiences.is_empty() {
        let audiences = policy
            .audiences
            .iter()
            .map(|audience| Literal::string(audience));
        tokens.extend(quote!(.audiences(&[#(#audiences),*])));
    }
    if let Some(subject) = &policy.subject {
        let subject = Literal::string(subject);
        tokens.extend(quote!(.subject(#subject)));
    }
    if let Some(typ) = &policy.typ {
        let typ = Literal::string(typ);
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
        let claim = registered_claim(*claim);
        tokens.extend(quote!(.require(#claim)));
    }
    if policy.allow_missing_exp {
        tokens.extend(quote!(.allow_missing_exp()));
    }
    // Last: `write_on_encode` checks that the value it writes has been declared.
    for claim in &policy.written_on_encode {
        let claim = registered_claim(*claim);
        tokens.extend(quote!(.write_on_encode(#claim)));
    }
    tokens
}

fn registered_claim(claim: Claim) -> TokenStream {
    let variant = Ident::new(claim.variant(), Span::call_site());
    quote!(::jwt_core::RegisteredClaim::#variant)
}

/// `validate_fields`, calling each validator in field order; nothing when there is none, so
/// the trait's default applies.
fn validate_fields(validators: &[Validator]) -> TokenStream {
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
        // the wrong signature is reported there and nowhere else.
        let span = function.span();
        let mut member = (*member).clone();
        member.set_span(span);
        quote_spanned! {span=>
            if let ::core::result::Result::Err(__jwt_error) = #function(&self.#member) {
                return ::core::result::Result::Err(
                    ::jwt_core::__private::validator_failed(#json_name, &__jwt_error),
                );
            }
        }
    });
    quote! {
        fn validate_fields(&self) -> ::core::result::Result<(), ::jwt_core::Error> {
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
            expanded.contains("assert_string_claim :: < String >"),
            "{expanded}"
        );
        assert!(
            expanded.contains("assert_numeric_date_claim :: < NumericDate >"),
            "{expanded}"
        );
        assert!(!expanded.contains("fn validate_fields"), "{expanded}");
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
        assert!(expand(&input).contains(
            "const POLICY : :: jwt_core :: ClaimsPolicy = :: jwt_core :: ClaimsPolicy :: new () ;"
        ));
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
            expanded.contains("assert_numeric_date_claim :: < Option < NumericDate > >"),
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
