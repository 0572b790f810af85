//! The raw model of the input: the struct and its fields with their parsed attributes,
//! borrowing the original syn nodes for spans.

use syn::ext::IdentExt;
use syn::{Data, DataStruct, DeriveInput, Fields, Ident, Type};

use crate::attr::{self, SerdeContainer, SerdeField};
use crate::ctxt::Ctxt;

pub struct Input<'a> {
    pub original: &'a DeriveInput,
    pub attrs: attr::Container,
    pub fields: Vec<Field<'a>>,
    /// `#[serde(deny_unknown_fields)]`: decoding refuses a member the struct has no field for.
    pub denies_unknown_fields: bool,
}

pub struct Field<'a> {
    pub member: &'a Ident,
    pub ty: &'a Type,
    pub attrs: attr::FieldAttrs,
    /// The JSON member serde reads the field from; `None` when serde does not read it by
    /// name (`skip`, `skip_deserializing`, `flatten`).
    pub read_as: Option<String>,
    /// The JSON member serde writes the field to; `None` when serde does not write it by
    /// name (`skip`, `skip_serializing`, `flatten`).
    pub written_as: Option<String>,
    /// The name a validator's error gives the field: the one it is read from when it is read.
    pub json_name: String,
    /// serde fills the field in when the member is absent (`#[serde(default)]`).
    pub has_default: bool,
    /// The other names serde reads the field from (`#[serde(alias = "...")]`).
    pub aliases: Vec<syn::LitStr>,
}

const SHAPE_ERROR: &str = "`Claims` can only be derived for structs with named fields";

impl<'a> Input<'a> {
    /// Reads the input, recording every mistake; `None` when it is not a struct with named
    /// fields, since nothing more can be said about it then.
    pub fn from_syn(cx: &Ctxt, node: &'a DeriveInput) -> Option<Input<'a>> {
        // Read even when the shape is wrong, so its mistakes are reported in the same build.
        let attrs = attr::Container::from_attrs(cx, &node.attrs);
        let named = match &node.data {
            Data::Struct(DataStruct {
                fields: Fields::Named(named),
                ..
            }) => named,
            Data::Struct(DataStruct {
                fields: Fields::Unnamed(unnamed),
                ..
            }) => {
                cx.error_spanned_by(unnamed, SHAPE_ERROR);
                return None;
            }
            Data::Struct(DataStruct {
                fields: Fields::Unit,
                ..
            }) => {
                cx.error_spanned_by(&node.ident, SHAPE_ERROR);
                return None;
            }
            Data::Enum(data) => {
                cx.error_at(data.enum_token.span, SHAPE_ERROR);
                return None;
            }
            Data::Union(data) => {
                cx.error_at(data.union_token.span, SHAPE_ERROR);
                return None;
            }
        };
        let serde = SerdeContainer::from_attrs(&node.attrs);
        let fields = named
            .named
            .iter()
            .filter_map(|field| {
                if let Err(error) = field.modifiers.require_empty() {
                    cx.syn_error(error);
                }
                // Named fields always have an ident; `filter_map` keeps this total.
                let member = field.ident.as_ref()?;
                Some(Field::from_syn(cx, member, field, &serde))
            })
            .collect();
        Some(Input {
            original: node,
            attrs,
            fields,
            denies_unknown_fields: serde.deny_unknown_fields,
        })
    }
}

impl<'a> Field<'a> {
    fn from_syn(
        cx: &Ctxt,
        member: &'a Ident,
        node: &'a syn::Field,
        container: &SerdeContainer,
    ) -> Field<'a> {
        let serde = SerdeField::from_attrs(&node.attrs);
        // serde names fields by their unraw ident: `r#type` is `"type"`.
        let rust_name = member.unraw().to_string();
        let deserialized_name = serde
            .rename
            .deserialize
            .clone()
            .unwrap_or_else(|| container.rename_all.deserialize.apply_to_field(&rust_name));
        let serialized_name = serde
            .rename
            .serialize
            .clone()
            .unwrap_or_else(|| container.rename_all.serialize.apply_to_field(&rust_name));
        let read = !serde.skip.deserialize && !serde.flatten;
        let written = !serde.skip.serialize && !serde.flatten;
        Field {
            member,
            ty: &node.ty,
            attrs: attr::FieldAttrs::from_attrs(cx, &node.attrs),
            read_as: read.then(|| deserialized_name.clone()),
            written_as: written.then_some(serialized_name),
            json_name: deserialized_name,
            has_default: serde.default || container.default,
            aliases: if read { serde.aliases } else { Vec::new() },
        }
    }
}
