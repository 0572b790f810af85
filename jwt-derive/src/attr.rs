//! Syntax: reads `#[jwt(...)]` into a raw model, and the few `#[serde(...)]` keys that decide
//! a field's JSON name.
//!
//! Only the form of each attribute is checked here (known key, set once, literal of the
//! right kind and range); what the values mean together is `valid.rs`'s business. Every
//! mistake is recorded in the [`Ctxt`] and parsing goes on with the next key.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Ident, Lit, LitStr, Macro, Meta, Path, Token};

use crate::ctxt::Ctxt;
use crate::symbol::{
    ALIAS, ALLOW_MISSING_EXP, AUD, CONTAINER_KEYS, CRATE, Claim, DEFAULT, DENY_UNKNOWN_FIELDS,
    DESERIALIZE, FIELD_KEYS, FLATTEN, ISS, JWT, LEEWAY, MAX_AGE, RENAME, RENAME_ALL, REQUIRED,
    RUNTIME, SERDE, SERIALIZE, SKIP, SKIP_DESERIALIZING, SKIP_SERIALIZING, SUB, Symbol, TYP,
    VALIDATE, one_of,
};

/// A string value as written in an attribute.
pub enum Text {
    /// A string literal, which the derive checks itself.
    Literal(LitStr),
    /// A path to a `&'static str` const, `env!(...)` or `concat!(...)`, as written: rustc
    /// evaluates it in the `POLICY` const, where const assertions check it.
    Expr(TokenStream),
    /// `runtime` (for `iss` and `aud` only): the values come from the `Validation`.
    Runtime(Ident),
}

/// `key = value` or `key = [value, ...]`.
pub struct Texts {
    pub values: Vec<Text>,
    /// The value as written, to span errors about it as a whole.
    pub tokens: TokenStream,
}

/// A claim named in `required = [...]`.
pub struct RequiredClaim {
    pub claim: Claim,
    pub ident: Ident,
}

/// The struct's `#[jwt(...)]` attributes, each set at most once.
#[derive(Default)]
pub struct Container {
    pub iss: Option<Texts>,
    pub aud: Option<Texts>,
    pub sub: Option<Text>,
    pub typ: Option<Text>,
    pub leeway: Option<u64>,
    pub max_age: Option<u64>,
    pub required: Vec<RequiredClaim>,
    /// The flag as written, when present.
    pub allow_missing_exp: Option<Ident>,
    /// `crate = "path"`: where the generated code finds jwt-core.
    pub krate: Option<Path>,
}

/// A field's `#[jwt(...)]` attributes.
#[derive(Default)]
pub struct FieldAttrs {
    pub validate: Option<Path>,
}

/// What follows a key inside `#[jwt(...)]`, up to the next top-level comma.
enum Value {
    /// The key alone, as for a flag.
    Absent,
    /// `key = tokens`; `tokens` may be empty when nothing follows the `=`.
    Assigned(TokenStream),
    /// Anything else, such as `key("a")`.
    Malformed(TokenStream),
}

/// The keys met so far among all `#[jwt(...)]` attributes of one item, to report a key
/// given twice.
struct Seen {
    keys: Vec<Symbol>,
}

impl Seen {
    fn new() -> Self {
        Seen { keys: Vec::new() }
    }

    /// Whether `key` is new; a repeated key is reported on its second occurrence.
    fn first(&mut self, cx: &Ctxt, key: Symbol, written: &Path) -> bool {
        if self.keys.contains(&key) {
            cx.error_spanned_by(written, format!("duplicate jwt attribute `{key}`"));
            false
        } else {
            self.keys.push(key);
            true
        }
    }
}

impl Container {
    /// Reads every `#[jwt(...)]` among the struct's attributes.
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Container {
        let mut container = Container::default();
        let mut seen = Seen::new();
        for attr in attrs.iter().filter(|attr| attr.path() == JWT) {
            each_key(cx, attr, |key, value| {
                container.parse_key(cx, &mut seen, key, value);
            });
        }
        container
    }

    fn parse_key(&mut self, cx: &Ctxt, seen: &mut Seen, key: &Path, value: Value) {
        let Some(symbol) = CONTAINER_KEYS.iter().copied().find(|symbol| key == *symbol) else {
            let hint = if key == VALIDATE {
                " (`validate` belongs on a field)"
            } else {
                ""
            };
            cx.error_spanned_by(
                key,
                format!(
                    "unknown jwt attribute `{}`; expected {}{hint}",
                    path_to_string(key),
                    one_of(CONTAINER_KEYS)
                ),
            );
            return;
        };
        let first = seen.first(cx, symbol, key);
        // The value is read even after a duplicate key, so that its own mistakes show too.
        match symbol {
            ISS => set(&mut self.iss, first, texts(cx, ISS, key, value)),
            AUD => set(&mut self.aud, first, texts(cx, AUD, key, value)),
            SUB => set(&mut self.sub, first, text(cx, SUB, key, value)),
            TYP => set(&mut self.typ, first, text(cx, TYP, key, value)),
            LEEWAY => set(
                &mut self.leeway,
                first,
                non_negative_integer(cx, LEEWAY, key, value),
            ),
            MAX_AGE => set(
                &mut self.max_age,
                first,
                non_negative_integer(cx, MAX_AGE, key, value),
            ),
            REQUIRED => {
                if let Some(claims) = required(cx, key, value)
                    && first
                {
                    self.required = claims;
                }
            }
            CRATE => set(&mut self.krate, first, crate_path(cx, key, value)),
            _ => {
                if flag(cx, ALLOW_MISSING_EXP, value) && first {
                    self.allow_missing_exp = key.get_ident().cloned();
                }
            }
        }
    }
}

impl FieldAttrs {
    /// Reads every `#[jwt(...)]` among a field's attributes.
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> FieldAttrs {
        let mut field = FieldAttrs::default();
        let mut seen = Seen::new();
        for attr in attrs.iter().filter(|attr| attr.path() == JWT) {
            each_key(cx, attr, |key, value| {
                if key == VALIDATE {
                    let first = seen.first(cx, VALIDATE, key);
                    set(&mut field.validate, first, function_path(cx, key, value));
                } else {
                    let hint = if CONTAINER_KEYS.iter().any(|symbol| key == *symbol) {
                        format!(" (`{}` belongs on the struct)", path_to_string(key))
                    } else {
                        String::new()
                    };
                    cx.error_spanned_by(
                        key,
                        format!(
                            "unknown jwt field attribute `{}`; expected {}{hint}",
                            path_to_string(key),
                            one_of(FIELD_KEYS)
                        ),
                    );
                }
            });
        }
        field
    }
}

fn set<T>(slot: &mut Option<T>, first: bool, value: Option<T>) {
    if first && value.is_some() {
        *slot = value;
    }
}

/// Calls `handle` with each key of `#[jwt(...)]` and what follows it. Syntax errors that
/// leave no way to find the next key end the attribute; everything else is up to `handle`.
fn each_key(cx: &Ctxt, attr: &Attribute, mut handle: impl FnMut(&Path, Value)) {
    if !matches!(attr.meta, Meta::List(_)) {
        cx.error_spanned_by(
            &attr.meta,
            "expected a list of jwt attributes in parentheses, e.g. `#[jwt(leeway = 30)]`",
        );
        return;
    }
    let parsed = attr.parse_nested_meta(|meta| {
        let value = if meta.input.peek(Token![=]) {
            meta.input.parse::<Token![=]>()?;
            Value::Assigned(rest_of_item(meta.input)?)
        } else {
            let rest = rest_of_item(meta.input)?;
            if rest.is_empty() {
                Value::Absent
            } else {
                Value::Malformed(rest)
            }
        };
        handle(&meta.path, value);
        Ok(())
    });
    if let Err(error) = parsed {
        cx.syn_error(error);
    }
}

/// The tokens up to the next comma that is not nested in a group.
fn rest_of_item(input: ParseStream) -> syn::Result<TokenStream> {
    input.step(|cursor| {
        let mut rest = *cursor;
        let mut tokens = TokenStream::new();
        while let Some((tree, next)) = rest.token_tree() {
            if let TokenTree::Punct(punct) = &tree
                && punct.as_char() == ','
            {
                break;
            }
            tokens.extend([tree]);
            rest = next;
        }
        Ok((tokens, rest))
    })
}

/// The one token tree of `tokens`, seen through the invisible groups that `macro_rules!`
/// puts around a substituted fragment.
fn single_tree(tokens: &TokenStream) -> Option<TokenTree> {
    let mut trees = tokens.clone().into_iter();
    let tree = trees.next()?;
    if trees.next().is_some() {
        return None;
    }
    match tree {
        TokenTree::Group(group) if group.delimiter() == Delimiter::None => {
            single_tree(&group.stream())
        }
        tree => Some(tree),
    }
}

fn literal(tokens: &TokenStream) -> Option<Lit> {
    match single_tree(tokens)? {
        TokenTree::Literal(literal) => Some(Lit::new(literal)),
        _ => None,
    }
}

/// The items of `[a, b, ...]` (a trailing comma is allowed), or `None` when `tokens` is not
/// one bracketed list.
fn list_items(tokens: &TokenStream) -> Option<Vec<TokenStream>> {
    let TokenTree::Group(group) = single_tree(tokens)? else {
        return None;
    };
    if group.delimiter() != Delimiter::Bracket {
        return None;
    }
    let mut items = Vec::new();
    let mut item = TokenStream::new();
    for tree in group.stream() {
        match &tree {
            TokenTree::Punct(punct) if punct.as_char() == ',' => {
                items.push(std::mem::take(&mut item));
            }
            _ => item.extend([tree]),
        }
    }
    if !item.is_empty() {
        items.push(item);
    }
    Some(items)
}

/// A string literal without suffix.
fn plain_str(tokens: &TokenStream) -> Option<LitStr> {
    match literal(tokens)? {
        Lit::Str(string) if string.suffix().is_empty() => Some(string),
        _ => None,
    }
}

/// What a key expects, as the error messages say it.
fn usage(key: Symbol) -> &'static str {
    match key {
        ISS => {
            "`iss` expects a string or a list of strings, each a literal, a path to a `&'static str` const, `env!(\"VAR\")` or `concat!(...)`, e.g. `iss = \"https://auth.example.com\"`, `iss = ISSUER` or `iss = [ISSUER, \"b\"]`; or `iss = runtime` to take the issuers from the `Validation`"
        }
        AUD => {
            "`aud` expects a string or a list of strings, each a literal, a path to a `&'static str` const, `env!(\"VAR\")` or `concat!(...)`, e.g. `aud = \"api\"`, `aud = AUDIENCE` or `aud = [AUDIENCE, \"admin\"]`; or `aud = runtime` to take the audiences from the `Validation`"
        }
        SUB => {
            "`sub` expects a string: a literal, a path to a `&'static str` const, `env!(\"VAR\")` or `concat!(...)`, e.g. `sub = \"updating-db\"` or `sub = SUBJECT`"
        }
        TYP => {
            "`typ` expects a string: a literal, a path to a `&'static str` const, `env!(\"VAR\")` or `concat!(...)`, e.g. `typ = \"at+jwt\"` or `typ = TOKEN_TYPE`"
        }
        LEEWAY => "`leeway` expects a non-negative integer, e.g. `leeway = 30`",
        MAX_AGE => "`max_age` expects a non-negative integer, e.g. `max_age = 3600`",
        REQUIRED => "`required` expects a list of registered claims, e.g. `required = [jti, nbf]`",
        ALLOW_MISSING_EXP => {
            "`allow_missing_exp` is a flag and takes no value; write `#[jwt(allow_missing_exp)]`"
        }
        CRATE => {
            "`crate` expects the path of jwt-core as a string, e.g. `crate = \"my_jwt\"` or `crate = \"reexports::jwt\"`"
        }
        _ => "`validate` expects a path to a function, e.g. `validate = checks::not_empty`",
    }
}

/// The tokens of a `key = value` pair, or `None` after reporting a value of the wrong form.
fn assigned(cx: &Ctxt, key_symbol: Symbol, key: &Path, value: Value) -> Option<TokenStream> {
    match value {
        Value::Assigned(tokens) if !tokens.is_empty() => Some(tokens),
        Value::Assigned(_) | Value::Absent => {
            cx.error_spanned_by(key, usage(key_symbol));
            None
        }
        Value::Malformed(tokens) => {
            cx.error_spanned_by(tokens, usage(key_symbol));
            None
        }
    }
}

/// `key = value` or `key = [value, ...]`, each value a string as [`text_value`] reads it.
fn texts(cx: &Ctxt, symbol: Symbol, key: &Path, value: Value) -> Option<Texts> {
    let tokens = assigned(cx, symbol, key, value)?;
    let Some(items) = list_items(&tokens) else {
        let value = text_value(cx, symbol, tokens.clone())?;
        return Some(Texts {
            values: vec![value],
            tokens,
        });
    };
    let mut values = Vec::new();
    let mut complete = true;
    for item in items {
        match text_value(cx, symbol, item) {
            Some(value) => values.push(value),
            None => complete = false,
        }
    }
    complete.then_some(Texts { values, tokens })
}

/// `key = value`, a single string as [`text_value`] reads it.
fn text(cx: &Ctxt, symbol: Symbol, key: &Path, value: Value) -> Option<Text> {
    let tokens = assigned(cx, symbol, key, value)?;
    if list_items(&tokens).is_some() {
        cx.error_spanned_by(tokens, usage(symbol));
        return None;
    }
    text_value(cx, symbol, tokens)
}

/// A string literal, a path (to a `&'static str` const, which rustc checks), or `env!(...)`
/// or `concat!(...)`; anything else is reported.
fn text_value(cx: &Ctxt, symbol: Symbol, tokens: TokenStream) -> Option<Text> {
    if let Some(string) = plain_str(&tokens) {
        return Some(Text::Literal(string));
    }
    if let Some(TokenTree::Ident(ident)) = single_tree(&tokens)
        && ident == RUNTIME
    {
        if symbol == ISS || symbol == AUD {
            return Some(Text::Runtime(ident));
        }
        let instead = if symbol == SUB {
            "a `Validation` can require a subject with `Validation::subject`"
        } else {
            "declare the value, e.g. `typ = \"at+jwt\"`"
        };
        cx.error_spanned_by(
            &ident,
            format!(
                "`{symbol} = runtime` is not supported: only `iss` and `aud` can be configured \
                 at run time; {instead}"
            ),
        );
        return None;
    }
    let inner = without_invisible_groups(&tokens);
    if let Ok(mac) = syn::parse2::<Macro>(inner.clone()) {
        if STRING_MACROS
            .iter()
            .any(|name| is_std_macro(&mac.path, name))
        {
            return Some(Text::Expr(tokens));
        }
        cx.error_spanned_by(
            &mac.path,
            format!(
                "`{symbol}` accepts the macros `env!` and `concat!`, not `{}!`; other values \
                 are string literals or paths to `&'static str` consts",
                path_to_string(&mac.path),
            ),
        );
        return None;
    }
    match syn::parse2::<Path>(inner) {
        Ok(path) if !is_bool(&path) => Some(Text::Expr(tokens)),
        _ => {
            cx.error_spanned_by(tokens, usage(symbol));
            None
        }
    }
}

/// The macros a string value may be written with: both expand to a string literal.
const STRING_MACROS: &[&str] = &["env", "concat"];

/// Whether `path` names the standard macro `name`: `name`, or `core::name` or `std::name`
/// with or without a leading `::`.
fn is_std_macro(path: &Path, name: &str) -> bool {
    let segments: Vec<String> = path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    match segments.as_slice() {
        [single] => path.leading_colon.is_none() && single == name,
        [krate, single] => matches!(krate.as_str(), "core" | "std") && single == name,
        _ => false,
    }
}

/// `true` and `false` parse as paths, but are never the constant a user means.
fn is_bool(path: &Path) -> bool {
    path.is_ident("true") || path.is_ident("false")
}

/// `tokens` without the invisible groups that `macro_rules!` puts around a substituted
/// fragment, when they wrap all of it.
fn without_invisible_groups(tokens: &TokenStream) -> TokenStream {
    let mut trees = tokens.clone().into_iter();
    match (trees.next(), trees.next()) {
        (Some(TokenTree::Group(group)), None) if group.delimiter() == Delimiter::None => {
            without_invisible_groups(&group.stream())
        }
        _ => tokens.clone(),
    }
}

/// `key = N` with `N` fitting a `u64`.
fn non_negative_integer(cx: &Ctxt, symbol: Symbol, key: &Path, value: Value) -> Option<u64> {
    let tokens = assigned(cx, symbol, key, value)?;
    if let Some(Lit::Int(int)) = literal(&tokens) {
        if !matches!(int.suffix(), "" | "u64") {
            cx.error_spanned_by(&int, usage(symbol));
            return None;
        }
        let number = int.base10_parse::<u64>().ok();
        if number.is_none() {
            cx.error_spanned_by(
                &int,
                format!(
                    "`{symbol} = {}` is out of range; expected a non-negative integer up to {}",
                    int.base10_digits(),
                    u64::MAX
                ),
            );
        }
        return number;
    }
    if let Some(number) = negative_number(&tokens) {
        let example = if symbol == LEEWAY { 30 } else { 3600 };
        cx.error_spanned_by(
            tokens,
            format!(
                "`{symbol} = {number}` is negative; expected a non-negative integer, e.g. `{symbol} = {example}`"
            ),
        );
    } else {
        cx.error_spanned_by(tokens, usage(symbol));
    }
    None
}

/// `-N` or `-N.M`, as written.
fn negative_number(tokens: &TokenStream) -> Option<String> {
    let mut trees = tokens.clone().into_iter();
    let Some(TokenTree::Punct(minus)) = trees.next() else {
        return None;
    };
    let rest: TokenStream = trees.collect();
    match literal(&rest)? {
        Lit::Int(int) if minus.as_char() == '-' => Some(format!("-{int}", int = int.token())),
        Lit::Float(float) if minus.as_char() == '-' => {
            Some(format!("-{float}", float = float.token()))
        }
        _ => None,
    }
}

/// `required = [claim, ...]`.
fn required(cx: &Ctxt, key: &Path, value: Value) -> Option<Vec<RequiredClaim>> {
    let tokens = assigned(cx, REQUIRED, key, value)?;
    let Some(items) = list_items(&tokens) else {
        cx.error_spanned_by(tokens, usage(REQUIRED));
        return None;
    };
    let mut claims = Vec::new();
    for item in items {
        match single_tree(&item) {
            Some(TokenTree::Ident(ident)) => {
                if let Some(claim) = Claim::from_name(&ident.to_string()) {
                    claims.push(RequiredClaim { claim, ident });
                } else {
                    cx.error_spanned_by(
                        &ident,
                        format!(
                            "unknown claim `{ident}` in `required`; expected one of {}",
                            Claim::list()
                        ),
                    );
                }
            }
            _ => match plain_str(&item) {
                Some(string) => cx.error_spanned_by(
                    &string,
                    format!(
                        "`required` lists claims as bare names: write `{0}`, not `\"{0}\"`",
                        string.value()
                    ),
                ),
                None => cx.error_spanned_by(item, usage(REQUIRED)),
            },
        }
    }
    Some(claims)
}

/// A key without value; reports one that has a value.
fn flag(cx: &Ctxt, symbol: Symbol, value: Value) -> bool {
    match value {
        Value::Absent => true,
        Value::Assigned(tokens) | Value::Malformed(tokens) => {
            cx.error_spanned_by(tokens, usage(symbol));
            false
        }
    }
}

/// `crate = "path"`, as serde writes it: the path in a string.
fn crate_path(cx: &Ctxt, key: &Path, value: Value) -> Option<Path> {
    let tokens = assigned(cx, CRATE, key, value)?;
    let Some(string) = plain_str(&tokens) else {
        cx.error_spanned_by(tokens, usage(CRATE));
        return None;
    };
    let path = string.parse::<Path>().ok();
    if path.is_none() {
        cx.error_spanned_by(
            &string,
            format!(
                "`crate = {:?}` is not a path; {}",
                string.value(),
                usage(CRATE)
            ),
        );
    }
    path
}

/// `validate = path::to::function`.
fn function_path(cx: &Ctxt, key: &Path, value: Value) -> Option<Path> {
    let tokens = assigned(cx, VALIDATE, key, value)?;
    let path = syn::parse2::<Path>(tokens.clone()).ok();
    if path.is_none() {
        cx.error_spanned_by(tokens, usage(VALIDATE));
    }
    path
}

/// A key as written, for messages (`jwt::iss` stays `jwt::iss`).
fn path_to_string(path: &Path) -> String {
    let segments: Vec<String> = path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    let joined = segments.join("::");
    if path.leading_colon.is_some() {
        format!("::{joined}")
    } else {
        joined
    }
}

// ---------------------------------------------------------------------------------------
// serde
//
// Read leniently: `serde_derive` reports malformed `#[serde]` attributes itself, so anything
// not understood here is passed over in silence.

/// A serde case convention for `rename_all`, applied to field names exactly as
/// `serde_derive` applies it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum RenameRule {
    #[default]
    None,
    LowerCase,
    UpperCase,
    PascalCase,
    CamelCase,
    SnakeCase,
    ScreamingSnakeCase,
    KebabCase,
    ScreamingKebabCase,
}

impl RenameRule {
    /// The rule serde names `name`, if any.
    pub fn from_name(name: &str) -> Option<RenameRule> {
        Some(match name {
            "lowercase" => RenameRule::LowerCase,
            "UPPERCASE" => RenameRule::UpperCase,
            "PascalCase" => RenameRule::PascalCase,
            "camelCase" => RenameRule::CamelCase,
            "snake_case" => RenameRule::SnakeCase,
            "SCREAMING_SNAKE_CASE" => RenameRule::ScreamingSnakeCase,
            "kebab-case" => RenameRule::KebabCase,
            "SCREAMING-KEBAB-CASE" => RenameRule::ScreamingKebabCase,
            _ => return None,
        })
    }

    /// The JSON name of a field called `field` in Rust (a `snake_case` name, as fields are).
    pub fn apply_to_field(self, field: &str) -> String {
        match self {
            RenameRule::None | RenameRule::LowerCase | RenameRule::SnakeCase => field.to_owned(),
            RenameRule::UpperCase | RenameRule::ScreamingSnakeCase => field.to_ascii_uppercase(),
            RenameRule::PascalCase => {
                let mut pascal = String::with_capacity(field.len());
                let mut capitalize = true;
                for ch in field.chars() {
                    if ch == '_' {
                        capitalize = true;
                    } else if capitalize {
                        pascal.push(ch.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        pascal.push(ch);
                    }
                }
                pascal
            }
            RenameRule::CamelCase => {
                let pascal = RenameRule::PascalCase.apply_to_field(field);
                let mut chars = pascal.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_ascii_lowercase().to_string() + chars.as_str()
                })
            }
            RenameRule::KebabCase => field.replace('_', "-"),
            RenameRule::ScreamingKebabCase => field.to_ascii_uppercase().replace('_', "-"),
        }
    }
}

/// A pair of values that serde lets differ between serializing and deserializing.
#[derive(Default)]
pub struct SerDe<T> {
    pub serialize: T,
    pub deserialize: T,
}

/// What the struct's `#[serde(...)]` attributes say about its fields.
#[derive(Default)]
pub struct SerdeContainer {
    pub rename_all: SerDe<RenameRule>,
    /// `#[serde(default)]`: every field may be absent.
    pub default: bool,
    /// `#[serde(deny_unknown_fields)]`: a member with no field is refused.
    pub deny_unknown_fields: bool,
}

/// What a field's `#[serde(...)]` attributes say about its JSON name and presence.
#[derive(Default)]
pub struct SerdeField {
    pub rename: SerDe<Option<String>>,
    /// `#[serde(alias = "...")]`: other member names the field is read from.
    pub aliases: Vec<LitStr>,
    /// `skip`, `skip_serializing`, `skip_deserializing`.
    pub skip: SerDe<bool>,
    pub flatten: bool,
    /// `#[serde(default)]` or `#[serde(default = "...")]`: the field may be absent.
    pub default: bool,
}

impl SerdeContainer {
    pub fn from_attrs(attrs: &[Attribute]) -> SerdeContainer {
        let mut container = SerdeContainer::default();
        each_serde_key(attrs, |key, input| {
            if key == RENAME_ALL {
                ser_de_values(input, &mut container.rename_all, |string| {
                    RenameRule::from_name(&string.value())
                })?;
            } else if key == DEFAULT {
                container.default = true;
                rest_of_item(input)?;
            } else if key == DENY_UNKNOWN_FIELDS {
                container.deny_unknown_fields = true;
                rest_of_item(input)?;
            } else {
                rest_of_item(input)?;
            }
            Ok(())
        });
        container
    }
}

impl SerdeField {
    pub fn from_attrs(attrs: &[Attribute]) -> SerdeField {
        let mut field = SerdeField::default();
        each_serde_key(attrs, |key, input| {
            if key == RENAME {
                ser_de_values(input, &mut field.rename, |string| {
                    Some(Some(string.value()))
                })?;
            } else if key == ALIAS {
                input.parse::<Token![=]>()?;
                field.aliases.push(input.parse()?);
            } else {
                if key == SKIP {
                    field.skip = SerDe {
                        serialize: true,
                        deserialize: true,
                    };
                } else if key == SKIP_SERIALIZING {
                    field.skip.serialize = true;
                } else if key == SKIP_DESERIALIZING {
                    field.skip.deserialize = true;
                } else if key == FLATTEN {
                    field.flatten = true;
                } else if key == DEFAULT {
                    field.default = true;
                }
                rest_of_item(input)?;
            }
            Ok(())
        });
        field
    }
}

/// Calls `handle` with each key of each `#[serde(...)]`; an attribute that does not parse is
/// left for `serde_derive` to report.
fn each_serde_key(
    attrs: &[Attribute],
    mut handle: impl FnMut(&Path, ParseStream) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|attr| attr.path() == SERDE) {
        // Ignoring the error is deliberate: serde_derive reports it.
        let _ = attr.parse_nested_meta(|meta| handle(&meta.path, meta.input));
    }
}

/// `key = "x"` (both directions) or `key(serialize = "x", deserialize = "y")`, each string
/// interpreted by `read`; strings `read` refuses are left out.
fn ser_de_values<T>(
    input: ParseStream,
    slot: &mut SerDe<T>,
    read: impl Fn(&LitStr) -> Option<T>,
) -> syn::Result<()>
where
    T: Clone,
{
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        if let Some(value) = read(&input.parse()?) {
            slot.serialize = value.clone();
            slot.deserialize = value;
        }
        return Ok(());
    }
    let content;
    syn::parenthesized!(content in input);
    syn::meta::parser(|meta| {
        let value = read(&meta.value()?.parse()?);
        if meta.path == SERIALIZE {
            if let Some(value) = value {
                slot.serialize = value;
            }
        } else if meta.path == DESERIALIZE
            && let Some(value) = value
        {
            slot.deserialize = value;
        }
        Ok(())
    })
    .parse2(content.parse()?)
}

#[cfg(test)]
mod tests {
    use super::RenameRule::{
        self, CamelCase, KebabCase, LowerCase, PascalCase, ScreamingKebabCase, ScreamingSnakeCase,
        SnakeCase, UpperCase,
    };

    #[test]
    fn every_serde_rule_name_is_known() {
        for (name, rule) in [
            ("lowercase", LowerCase),
            ("UPPERCASE", UpperCase),
            ("PascalCase", PascalCase),
            ("camelCase", CamelCase),
            ("snake_case", SnakeCase),
            ("SCREAMING_SNAKE_CASE", ScreamingSnakeCase),
            ("kebab-case", KebabCase),
            ("SCREAMING-KEBAB-CASE", ScreamingKebabCase),
        ] {
            assert_eq!(RenameRule::from_name(name), Some(rule), "{name}");
        }
        assert_eq!(RenameRule::from_name("camelcase"), None);
        assert_eq!(RenameRule::from_name("Train-Case"), None);
    }

    #[test]
    fn rename_all_converts_fields_as_serde_does() {
        // (field, lowercase, UPPERCASE, PascalCase, camelCase, snake_case,
        //  SCREAMING_SNAKE_CASE, kebab-case, SCREAMING-KEBAB-CASE)
        let cases = [
            (
                "exp", "exp", "EXP", "Exp", "exp", "exp", "EXP", "exp", "EXP",
            ),
            (
                "issued_at",
                "issued_at",
                "ISSUED_AT",
                "IssuedAt",
                "issuedAt",
                "issued_at",
                "ISSUED_AT",
                "issued-at",
                "ISSUED-AT",
            ),
            (
                "token_id_v2",
                "token_id_v2",
                "TOKEN_ID_V2",
                "TokenIdV2",
                "tokenIdV2",
                "token_id_v2",
                "TOKEN_ID_V2",
                "token-id-v2",
                "TOKEN-ID-V2",
            ),
        ];
        for (field, lower, upper, pascal, camel, snake, screaming, kebab, screaming_kebab) in cases
        {
            assert_eq!(RenameRule::None.apply_to_field(field), field);
            assert_eq!(LowerCase.apply_to_field(field), lower);
            assert_eq!(UpperCase.apply_to_field(field), upper);
            assert_eq!(PascalCase.apply_to_field(field), pascal);
            assert_eq!(CamelCase.apply_to_field(field), camel);
            assert_eq!(SnakeCase.apply_to_field(field), snake);
            assert_eq!(ScreamingSnakeCase.apply_to_field(field), screaming);
            assert_eq!(KebabCase.apply_to_field(field), kebab);
            assert_eq!(ScreamingKebabCase.apply_to_field(field), screaming_kebab);
        }
    }

    #[test]
    fn rename_all_keeps_what_serde_keeps() {
        // serde leaves non-ASCII letters as they are and drops every underscore in
        // PascalCase and camelCase, including leading ones.
        assert_eq!(UpperCase.apply_to_field("été"), "éTé");
        assert_eq!(PascalCase.apply_to_field("_private"), "Private");
        assert_eq!(CamelCase.apply_to_field("_private"), "private");
        assert_eq!(CamelCase.apply_to_field("__"), "");
        assert_eq!(KebabCase.apply_to_field("_x_"), "-x-");
    }
}
