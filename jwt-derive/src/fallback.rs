//! The impl emitted next to the errors when the input is wrong.
//!
//! Without it, every use of the type as `Claims` (`jwt_core::decode::<T>`, a `T: Claims`
//! bound) would add an error of its own and bury the one that names the mistake.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

/// `errors` as `compile_error!`s, and an impl of `Claims` with the default policy.
pub fn expand(input: &DeriveInput, errors: &syn::Error) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let errors = errors.to_compile_error();
    quote! {
        #errors

        #[automatically_derived]
        impl #impl_generics ::jwt_core::Claims for #ident #ty_generics #where_clause {
            const POLICY: ::jwt_core::ClaimsPolicy = ::jwt_core::ClaimsPolicy::new();
        }
    }
}
