//! Derives of `yeweihui::json::FromJson`, `ToJson` and `ToJsonFields`: the
//! JSON shape of every wire type, written as small non-generic code over
//! the library's own reader and writer (a few calls per field), so the
//! WebAssembly module carries one JSON mechanism instead of one visitor
//! state machine per type.
//!
//! Attributes, under `#[json(...)]`:
//! - on a type: `deny_unknown_fields` (an unknown key is an error),
//!   `rename_all = "snake_case"` (variant names), `untagged` (an enum written
//!   as its variant's content; `ToJson` only);
//! - on a field: `default` (absent means `Default::default()`; an `Option`
//!   field is always optional), `rename = "name"`, `skip_if = "path"` (not
//!   written when `path(&field)` is true), `flatten` (the field's own fields
//!   are written, or read, at this level).
//!
//! Objects are externally tagged enums as serde writes them: a unit variant
//! is its name, `"estate"`; a variant with data is `{"name": data}`.

// No `unwrap`, `expect` or `panic!` in library code (a bad input is an error); tests may.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::{format_ident, quote};
use syn::{parse_macro_input, Data, DeriveInput, Fields, Ident, LitStr, Path, Type};

/// Derives `FromJson`: reads the type from a JSON value.
#[proc_macro_derive(FromJson, attributes(json))]
pub fn derive_from_json(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    from_json(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// Derives `ToJson` (and, for a struct, `ToJsonFields`): writes the type as JSON.
#[proc_macro_derive(ToJson, attributes(json))]
pub fn derive_to_json(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    to_json(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// The options of a type.
#[derive(Default)]
struct TypeOptions {
    deny_unknown_fields: bool,
    snake_case: bool,
    untagged: bool,
}

/// A field and its options.
struct Field {
    /// The Rust name (`None` for the field of a tuple variant).
    ident: Option<Ident>,
    /// The JSON key.
    name: String,
    ty: Type,
    default: bool,
    flatten: bool,
    skip_if: Option<Path>,
}

/// Calls `option` on each option of the `#[json(...)]` attributes in `attrs`.
fn json_options(
    attrs: &[syn::Attribute],
    mut option: impl FnMut(syn::meta::ParseNestedMeta<'_>) -> syn::Result<()>,
) -> syn::Result<()> {
    for attr in attrs.iter().filter(|a| a.path().is_ident("json")) {
        attr.parse_nested_meta(&mut option)?;
    }
    Ok(())
}

fn type_options(input: &DeriveInput) -> syn::Result<TypeOptions> {
    let mut options = TypeOptions::default();
    json_options(&input.attrs, |meta| {
        if meta.path.is_ident("deny_unknown_fields") {
            options.deny_unknown_fields = true;
        } else if meta.path.is_ident("untagged") {
            options.untagged = true;
        } else if meta.path.is_ident("rename_all") {
            let rule: LitStr = meta.value()?.parse()?;
            if rule.value() != "snake_case" {
                return Err(meta.error("only rename_all = \"snake_case\" is supported"));
            }
            options.snake_case = true;
        } else {
            return Err(meta.error("unknown json option"));
        }
        Ok(())
    })?;
    Ok(options)
}

fn fields_of(fields: &Fields) -> syn::Result<Vec<Field>> {
    let mut out = Vec::new();
    for field in fields {
        let mut f = Field {
            ident: field.ident.clone(),
            name: field.ident.as_ref().map(ToString::to_string).unwrap_or_default(),
            ty: field.ty.clone(),
            default: false,
            flatten: false,
            skip_if: None,
        };
        json_options(&field.attrs, |meta| {
            if meta.path.is_ident("default") {
                f.default = true;
            } else if meta.path.is_ident("flatten") {
                f.flatten = true;
            } else if meta.path.is_ident("rename") {
                f.name = meta.value()?.parse::<LitStr>()?.value();
            } else if meta.path.is_ident("skip_if") {
                f.skip_if = Some(meta.value()?.parse::<LitStr>()?.parse()?);
            } else {
                return Err(meta.error("unknown json field option"));
            }
            Ok(())
        })?;
        out.push(f);
    }
    Ok(out)
}

/// `DeveloperUnsold` -> `developer_unsold`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `"name":`, the key as the writer puts it (names are checked to need no escaping).
fn quoted_key(name: &str, span: proc_macro2::Span) -> syn::Result<LitStr> {
    if name.chars().any(|c| c == '"' || c == '\\' || c.is_control()) {
        return Err(syn::Error::new(span, "a JSON name here must need no escaping"));
    }
    Ok(LitStr::new(&format!("\"{name}\":"), span))
}

/// The JSON names of an enum's variants.
fn variant_names(variants: &[&syn::Variant], options: &TypeOptions) -> Vec<String> {
    variants
        .iter()
        .map(|v| {
            let name = v.ident.to_string();
            if options.snake_case {
                snake_case(&name)
            } else {
                name
            }
        })
        .collect()
}

/// Generics with `bound` added to every type parameter.
fn bounded(input: &DeriveInput, bound: Tokens) -> syn::Generics {
    let mut generics = input.generics.clone();
    for param in generics.type_params_mut() {
        param.bounds.push(syn::parse_quote!(#bound));
    }
    generics
}

/// `Self { a: fields.get(0)?, ... }` or `Self::V { ... }`: a struct read from
/// `value`, its fields looked up in `fields`.
fn read_struct(path: Tokens, fields: &[Field], deny_unknown_fields: bool) -> syn::Result<Tokens> {
    let keyed: Vec<&Field> = fields.iter().filter(|f| !f.flatten).collect();
    let names: Vec<&str> = keyed.iter().map(|f| f.name.as_str()).collect();
    let count = keyed.len();
    let mut index = 0usize;
    let mut inits = Vec::new();
    for f in fields {
        let ident = &f.ident;
        let init = if f.flatten {
            if deny_unknown_fields {
                return Err(syn::Error::new_spanned(
                    &f.ty,
                    "flatten cannot be combined with deny_unknown_fields",
                ));
            }
            quote!(::yeweihui::json::FromJson::from_json(value)?)
        } else {
            let i = index;
            index += 1;
            if f.default {
                quote!(fields.get_or_default(#i)?)
            } else {
                quote!(fields.get(#i)?)
            }
        };
        inits.push(quote!(#ident: #init));
    }
    Ok(quote! {{
        let mut slots = [::core::option::Option::None; #count];
        let fields = value.fields(&[#(#names),*], #deny_unknown_fields, &mut slots)?;
        ::core::result::Result::Ok(#path { #(#inits),* })
    }})
}

fn from_json(input: &DeriveInput) -> syn::Result<Tokens> {
    let options = type_options(input)?;
    let name = &input.ident;
    let generics = bounded(input, quote!(::yeweihui::json::FromJson));
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let body = match &input.data {
        Data::Struct(s) => {
            let Fields::Named(_) = s.fields else {
                return Err(syn::Error::new_spanned(
                    name,
                    "FromJson is derived for structs with named fields",
                ));
            };
            read_struct(quote!(Self), &fields_of(&s.fields)?, options.deny_unknown_fields)?
        }
        Data::Enum(e) => {
            if options.untagged {
                return Err(syn::Error::new_spanned(
                    name,
                    "FromJson of an untagged enum is written by hand",
                ));
            }
            let variants: Vec<&syn::Variant> = e.variants.iter().collect();
            let names = variant_names(&variants, &options);
            let mut arms = Vec::new();
            for (i, v) in variants.iter().enumerate() {
                let ident = &v.ident;
                let read = match &v.fields {
                    Fields::Unit => quote!({ variant.unit()?; ::core::result::Result::Ok(Self::#ident) }),
                    Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                        quote!(::core::result::Result::Ok(Self::#ident(variant.newtype()?)))
                    }
                    Fields::Named(_) => {
                        let read = read_struct(
                            quote!(Self::#ident),
                            &fields_of(&v.fields)?,
                            options.deny_unknown_fields,
                        )?;
                        quote!(variant.content(|value| #read))
                    }
                    Fields::Unnamed(_) => {
                        return Err(syn::Error::new_spanned(v, "a tuple variant has exactly one field here"))
                    }
                };
                let pattern = if i + 1 == variants.len() { quote!(_) } else { quote!(#i) };
                arms.push(quote!(#pattern => #read));
            }
            quote! {{
                let variant = value.variant(&[#(#names),*])?;
                match variant.index() { #(#arms,)* }
            }}
        }
        Data::Union(_) => return Err(syn::Error::new_spanned(name, "FromJson is not derived for unions")),
    };
    Ok(quote! {
        impl #impl_generics ::yeweihui::json::FromJson for #name #ty_generics #where_clause {
            fn from_json(value: ::yeweihui::json::Value<'_>) -> ::core::result::Result<Self, ::yeweihui::json::Error> {
                #body
            }
        }
    })
}

/// Statements writing `fields` (reached through `access(field)`) into `object`.
fn write_fields(fields: &[Field], access: impl Fn(&Field, usize) -> Tokens) -> syn::Result<Tokens> {
    let mut writes = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        let value = access(f, i);
        let write = if f.flatten {
            quote!(::yeweihui::json::ToJsonFields::to_json_fields(#value, object);)
        } else {
            let key = quoted_key(&f.name, proc_macro2::Span::call_site())?;
            quote!(object.field(#key, #value);)
        };
        writes.push(match &f.skip_if {
            Some(skip) => quote!(if !#skip(#value) { #write }),
            None => write,
        });
    }
    Ok(quote!(#(#writes)*))
}

fn to_json(input: &DeriveInput) -> syn::Result<Tokens> {
    let options = type_options(input)?;
    let name = &input.ident;
    let generics = bounded(input, quote!(::yeweihui::json::ToJson));
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    match &input.data {
        Data::Struct(s) => {
            let Fields::Named(_) = s.fields else {
                return Err(syn::Error::new_spanned(
                    name,
                    "ToJson is derived for structs with named fields",
                ));
            };
            let fields = fields_of(&s.fields)?;
            let writes = write_fields(&fields, |f, _| {
                let ident = &f.ident;
                quote!(&self.#ident)
            })?;
            Ok(quote! {
                impl #impl_generics ::yeweihui::json::ToJsonFields for #name #ty_generics #where_clause {
                    fn to_json_fields(&self, object: &mut ::yeweihui::json::Object<'_>) {
                        #writes
                    }
                }
                impl #impl_generics ::yeweihui::json::ToJson for #name #ty_generics #where_clause {
                    fn to_json(&self, out: &mut ::yeweihui::json::Writer) {
                        let mut object = out.object();
                        ::yeweihui::json::ToJsonFields::to_json_fields(self, &mut object);
                        object.end();
                    }
                }
            })
        }
        Data::Enum(e) => {
            let variants: Vec<&syn::Variant> = e.variants.iter().collect();
            let names = variant_names(&variants, &options);
            let mut arms = Vec::new();
            for (v, vname) in variants.iter().zip(&names) {
                let ident = &v.ident;
                let key = quoted_key(vname, ident.span())?;
                let arm = match &v.fields {
                    Fields::Unit if options.untagged => {
                        return Err(syn::Error::new_spanned(
                            v,
                            "an untagged unit variant has no JSON form here",
                        ))
                    }
                    Fields::Unit => {
                        let text = LitStr::new(&format!("\"{vname}\""), ident.span());
                        quote!(Self::#ident => out.raw(#text))
                    }
                    Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                        if options.untagged {
                            quote!(Self::#ident(inner) => ::yeweihui::json::ToJson::to_json(inner, out))
                        } else {
                            quote!(Self::#ident(inner) => {
                                let mut object = out.object();
                                object.field(#key, inner);
                                object.end();
                            })
                        }
                    }
                    Fields::Named(_) => {
                        let fields = fields_of(&v.fields)?;
                        let bindings: Vec<Ident> = (0..fields.len()).map(|i| format_ident!("field{}", i)).collect();
                        let idents: Vec<&Option<Ident>> = fields.iter().map(|f| &f.ident).collect();
                        let writes = write_fields(&fields, |_, i| {
                            let b = &bindings[i];
                            quote!(#b)
                        })?;
                        let content = quote!({
                            let mut object = out.object();
                            #writes
                            object.end();
                        });
                        let body = if options.untagged {
                            content
                        } else {
                            quote!({
                                let mut tagged = out.object();
                                let out = tagged.key(#key);
                                #content
                                tagged.end();
                            })
                        };
                        quote!(Self::#ident { #(#idents: #bindings),* } => #body)
                    }
                    Fields::Unnamed(_) => {
                        return Err(syn::Error::new_spanned(v, "a tuple variant has exactly one field here"))
                    }
                };
                arms.push(arm);
            }
            Ok(quote! {
                impl #impl_generics ::yeweihui::json::ToJson for #name #ty_generics #where_clause {
                    fn to_json(&self, out: &mut ::yeweihui::json::Writer) {
                        match self { #(#arms,)* }
                    }
                }
            })
        }
        Data::Union(_) => Err(syn::Error::new_spanned(name, "ToJson is not derived for unions")),
    }
}
