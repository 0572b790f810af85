//! The impl emitted next to the errors when the input is wrong.
//!
//! Without it, every use of the type as `Claims` (`jwt_core::decode::<T>`, a `T: Claims`
//! bound) would add an error of its own and bury the one that names the mistake.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::expand::{type_check, validate_fields};
use crate::valid::{Checked, default_crate_path};

/// `errors` as `compile_error!`s, and an impl of `Claims` with the default policy.
///
/// When the fields could be read (`checked`), their types and validators are checked as in
/// the real impl, so that a wrong field type shows in the same build as a mistaken
/// attribute.
pub fn expand(input: &DeriveInput, checked: Option<&Checked>, errors: &syn::Error) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let errors = errors.to_compile_error();
    let default_krate = default_crate_path();
    let krate = checked.map_or(&default_krate, |checked| &checked.krate);
    let type_checks = checked
        .into_iter()
        .flat_map(|checked| &checked.type_checks)
        .map(|check| type_check(krate, check));
    let validate_fields = checked
        .map(|checked| validate_fields(krate, &checked.validators))
        .unwrap_or_default();
    quote! {
        #errors

        #[automatically_derived]
        impl #impl_generics #krate::Claims for #ident #ty_generics #where_clause {
            const POLICY: #krate::ClaimsPolicy = {
                #(#type_checks)*
                #krate::ClaimsPolicy::new()
            };
            #validate_fields
        }
    }
}
