//! `mutate`: structure-aware. The input describes a claims set (`jwt_fuzz::Typed`) and a
//! list of mutations. The harness encodes the claims with `jwt_core::encode` and the seed
//! token's key, applies the mutations, and decodes the result as `Typed` and as untyped
//! claims (with the same rules given at run time). It checks:
//!
//! - nothing panics;
//! - a token is accepted only if it is one the key signed: the encoded token, or one the
//!   harness re-signed; bytes changed without re-signing are never accepted;
//! - an accepted token passes the checks of `jwt_fuzz::check_accepted` and its
//!   registered claims obey the rules; what `Typed` accepts, the untyped decode accepts;
//! - the untouched token (no mutation, or mutations that left its bytes as they were) is
//!   accepted exactly when its claims obey `Typed`'s rules, and then decodes to the claims
//!   that were encoded.
//!
//! Mutations act on the token's text (flip, insert or delete bytes, splice, duplicate or
//! pad segments; never re-signed), on the JSON of the header or payload (set a member to a
//! value of any kind, `alg` to another name, add header members such as `crit` or `jwk`,
//! remove or duplicate members, deepen nesting, insert whitespace, a byte-order mark or
//! broken bytes; re-signed or not, as the input says), or re-sign the current text as it
//! is. JSON edits start from the last JSON the harness built, so they drop text edits made
//! before them.
#![no_main]
#![forbid(unsafe_code)]

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

use arbitrary::Arbitrary;
use jwt_core::{Audience, DEFAULT_MAX_TOKEN_LEN, NumericDate, Validation};
use jwt_fuzz::{
    AUDIENCES, ISSUER, LEEWAY, MAX_SAFE, NOW, Rules, Session, TYPED_RULES, Typed, Untyped, b64,
    check_accepted, check_registered_claims, check_subject, exercise_error, now, resign, unb64,
    untyped_claims,
};
use libfuzzer_sys::fuzz_target;

/// At most this many mutations are applied.
const MAX_MUTATIONS: usize = 16;

#[derive(Arbitrary, Debug)]
struct Input {
    claims: ClaimsSpec,
    mutations: Vec<Mutation>,
}

#[derive(Arbitrary, Debug)]
struct ClaimsSpec {
    sub: String,
    aud: AudSpec,
    exp: TimeSpec,
    nbf: Option<TimeSpec>,
    iat: Option<TimeSpec>,
    jti: Option<String>,
    roles: Vec<String>,
    session_id: u64,
    device: Option<String>,
    flags: BTreeMap<String, bool>,
    timestamp: i64,
}

#[derive(Arbitrary, Debug)]
enum AudSpec {
    Expected(bool),
    Other(String),
    Many(Vec<String>),
}

/// A time near the clock (to reach the leeway's edges), anywhere, or at the range's ends.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum TimeSpec {
    Near(i8),
    Far(i32),
    Latest,
    Earliest,
}

impl TimeSpec {
    fn date(self) -> NumericDate {
        NumericDate::from_secs(match self {
            TimeSpec::Near(secs) => NOW + i64::from(secs),
            TimeSpec::Far(secs) => NOW + i64::from(secs),
            TimeSpec::Latest => MAX_SAFE,
            TimeSpec::Earliest => -MAX_SAFE,
        })
    }
}

impl ClaimsSpec {
    fn build(self) -> Typed {
        Typed {
            sub: self.sub,
            aud: match self.aud {
                AudSpec::Expected(first) => {
                    Audience::from(if first { AUDIENCES[0] } else { AUDIENCES[1] })
                }
                AudSpec::Other(one) => Audience::Single(one),
                AudSpec::Many(many) => Audience::Many(many),
            },
            exp: self.exp.date(),
            nbf: self.nbf.map(TimeSpec::date),
            iat: self.iat.map(TimeSpec::date),
            jti: self.jti,
            roles: self.roles,
            session: Session {
                id: self.session_id,
                device: self.device,
                flags: self.flags,
                tags: None,
            },
            timestamp: self.timestamp,
            score: None,
        }
    }
}

/// Whether `Typed`'s rules accept `claims` at the fixed clock (DESIGN.md, rule 5).
fn obeys_typed_rules(claims: &Typed) -> bool {
    NOW < claims.exp.as_secs() + LEEWAY
        && claims.nbf.is_none_or(|nbf| nbf.as_secs() - LEEWAY <= NOW)
        && claims.iat.is_none_or(|iat| NOW >= iat.as_secs() - LEEWAY)
        && claims
            .aud
            .iter()
            .any(|one| AUDIENCES.contains(&one.as_str()))
        && check_subject(&claims.sub).is_ok()
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Segment {
    Header,
    Payload,
    Signature,
}

impl Segment {
    fn index(self) -> usize {
        self as usize
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Part {
    Header,
    Payload,
}

#[derive(Arbitrary, Debug)]
enum Mutation {
    /// Text edits of the token, never re-signed.
    FlipByte {
        at: u16,
        mask: u8,
    },
    InsertChar {
        at: u16,
        ch: TokenChar,
    },
    Delete {
        at: u16,
        len: u8,
    },
    Truncate {
        len: u16,
    },
    /// Replaces segment `into` with a copy of segment `from`.
    SpliceSegment {
        from: Segment,
        into: Segment,
    },
    /// Inserts a copy of a segment after it: four segments.
    DuplicateSegment(Segment),
    /// Appends `=` padding to a segment.
    PadSegment {
        segment: Segment,
        twice: bool,
    },
    /// An edit of the header's or payload's JSON, re-signed or not.
    Json {
        part: Part,
        edit: JsonEdit,
        resign: bool,
    },
    /// Signs the current text as it is, whatever it has become.
    Resign,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum TokenChar {
    Dot,
    Space,
    Newline,
    Tab,
    Equals,
    Plus,
    Slash,
    Percent,
    Nul,
    Other(char),
}

impl TokenChar {
    fn char(self) -> char {
        match self {
            TokenChar::Dot => '.',
            TokenChar::Space => ' ',
            TokenChar::Newline => '\n',
            TokenChar::Tab => '\t',
            TokenChar::Equals => '=',
            TokenChar::Plus => '+',
            TokenChar::Slash => '/',
            TokenChar::Percent => '%',
            TokenChar::Nul => '\0',
            TokenChar::Other(ch) => ch,
        }
    }
}

#[derive(Arbitrary, Debug)]
enum JsonEdit {
    /// Sets a member, replacing it where the JSON is an object that has it.
    Set {
        name: Name,
        value: JsonValue,
    },
    /// Adds a member in front of the others, even when it is already there.
    Add {
        name: Name,
        value: JsonValue,
    },
    /// Removes a member, where the JSON is an object.
    Remove(Name),
    /// Repeats the first member.
    DuplicateFirst,
    /// Adds a member nested `depth` levels deep (arrays or objects).
    Deepen {
        depth: u16,
        objects: bool,
    },
    Insert {
        at: u16,
        text: JsonText,
    },
    FlipByte {
        at: u16,
        mask: u8,
    },
    Truncate {
        len: u16,
    },
}

#[derive(Arbitrary, Debug)]
enum Name {
    Alg,
    Typ,
    Kid,
    Cty,
    Crit,
    Jwk,
    Jku,
    X5u,
    X5c,
    B64,
    Iss,
    Sub,
    Aud,
    Exp,
    Nbf,
    Iat,
    Jti,
    Roles,
    Session,
    Timestamp,
    Other(String),
}

impl Name {
    fn as_str(&self) -> &str {
        match self {
            Name::Alg => "alg",
            Name::Typ => "typ",
            Name::Kid => "kid",
            Name::Cty => "cty",
            Name::Crit => "crit",
            Name::Jwk => "jwk",
            Name::Jku => "jku",
            Name::X5u => "x5u",
            Name::X5c => "x5c",
            Name::B64 => "b64",
            Name::Iss => "iss",
            Name::Sub => "sub",
            Name::Aud => "aud",
            Name::Exp => "exp",
            Name::Nbf => "nbf",
            Name::Iat => "iat",
            Name::Jti => "jti",
            Name::Roles => "roles",
            Name::Session => "session",
            Name::Timestamp => "timestamp",
            Name::Other(name) => name,
        }
    }
}

#[derive(Arbitrary, Debug)]
enum JsonValue {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Time(TimeSpec),
    Number(NumberText),
    Alg(AlgName),
    Str(String),
    Expected(bool),
    Strings(Vec<String>),
    Ints(Vec<i32>),
    Object(BTreeMap<String, i32>),
    /// Any text, valid JSON or not.
    Raw(String),
}

/// Number texts at and beyond the edges of what a time may be.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum NumberText {
    MaxSafe,
    AboveMaxSafe,
    MinSafe,
    BelowMinSafe,
    U64Max,
    AboveU64,
    BeyondF64,
    NegativeBeyondF64,
    Half,
    NegativeHalf,
    NegativeZero,
    Exponent,
    Tiny,
}

impl NumberText {
    fn text(self) -> &'static str {
        match self {
            NumberText::MaxSafe => "9007199254740991",
            NumberText::AboveMaxSafe => "9007199254740992",
            NumberText::MinSafe => "-9007199254740991",
            NumberText::BelowMinSafe => "-9007199254740992",
            NumberText::U64Max => "18446744073709551615",
            NumberText::AboveU64 => "18446744073709551616",
            NumberText::BeyondF64 => "1e400",
            NumberText::NegativeBeyondF64 => "-1e400",
            NumberText::Half => "1651760000.5",
            NumberText::NegativeHalf => "-0.5",
            NumberText::NegativeZero => "-0",
            NumberText::Exponent => "1.65176e9",
            NumberText::Tiny => "1e-400",
        }
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum AlgName {
    Hs256,
    Lowercase,
    Hs384,
    Hs512,
    Rs256,
    Es256,
    EdDsa,
    None,
    NoneUppercase,
    Empty,
    Spaced,
    WithNul,
}

impl AlgName {
    fn as_str(self) -> &'static str {
        match self {
            AlgName::Hs256 => "HS256",
            AlgName::Lowercase => "hs256",
            AlgName::Hs384 => "HS384",
            AlgName::Hs512 => "HS512",
            AlgName::Rs256 => "RS256",
            AlgName::Es256 => "ES256",
            AlgName::EdDsa => "EdDSA",
            AlgName::None => "none",
            AlgName::NoneUppercase => "NONE",
            AlgName::Empty => "",
            AlgName::Spaced => "HS256 ",
            AlgName::WithNul => "HS256\0",
        }
    }
}

impl JsonValue {
    fn text(&self) -> Vec<u8> {
        match self {
            JsonValue::Null => b"null".to_vec(),
            JsonValue::Bool(b) => json(b),
            JsonValue::Int(n) => json(n),
            JsonValue::Uint(n) => json(n),
            JsonValue::Float(n) => json(n),
            JsonValue::Time(time) => json(&time.date().as_secs()),
            JsonValue::Number(number) => number.text().as_bytes().to_vec(),
            JsonValue::Alg(alg) => json(alg.as_str()),
            JsonValue::Str(s) => json(s),
            JsonValue::Expected(first) => json(&AUDIENCES[usize::from(*first)]),
            JsonValue::Strings(list) => json(list),
            JsonValue::Ints(list) => json(list),
            JsonValue::Object(map) => json(map),
            JsonValue::Raw(text) => text.as_bytes().to_vec(),
        }
    }
}

/// The JSON text of `value`. NaN and infinities are written as `null`; nothing else
/// here can fail to serialize.
fn json<T: serde::Serialize + ?Sized>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_else(|_| b"null".to_vec())
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum JsonText {
    Space,
    Newline,
    ByteOrderMark,
    TrailingObject,
    TrailingLetter,
    Comma,
    LoneSurrogate,
    Nul,
    InvalidUtf8,
    OverlongUtf8,
    Byte(u8),
}

impl JsonText {
    fn bytes(self) -> Vec<u8> {
        match self {
            JsonText::Space => b" ".to_vec(),
            JsonText::Newline => b"\r\n".to_vec(),
            JsonText::ByteOrderMark => b"\xEF\xBB\xBF".to_vec(),
            JsonText::TrailingObject => b"{}".to_vec(),
            JsonText::TrailingLetter => b"x".to_vec(),
            JsonText::Comma => b",".to_vec(),
            JsonText::LoneSurrogate => br#""\ud800""#.to_vec(),
            JsonText::Nul => b"\0".to_vec(),
            JsonText::InvalidUtf8 => b"\xFF".to_vec(),
            JsonText::OverlongUtf8 => b"\xC0\xAF".to_vec(),
            JsonText::Byte(byte) => vec![byte],
        }
    }
}

/// Inserts `"name":value` as the first member of the object in `json` (or in front of
/// everything when there is no `{`).
fn add_member(json: &mut Vec<u8>, name: &str, value: &[u8]) {
    let mut member = serde_json::to_vec(name).expect("a string serializes");
    member.push(b':');
    member.extend_from_slice(value);
    match json.iter().position(|&b| b == b'{') {
        Some(open) => {
            let rest = json[open + 1..].trim_ascii_start();
            if !rest.starts_with(b"}") {
                member.push(b',');
            }
            json.splice(open + 1..open + 1, member);
        }
        None => {
            json.splice(0..0, member);
        }
    }
}

/// Removes member `name` when `json` is an object; leaves it as it is otherwise.
fn remove_member(json: &mut Vec<u8>, name: &str) {
    if let Ok(mut object) = serde_json::from_slice::<Untyped>(json)
        && object.remove(name).is_some()
    {
        *json = serde_json::to_vec(&object).expect("a map serializes");
    }
}

/// The text of the first member of the object in `json`, when it is an object with one.
fn first_member(json: &[u8]) -> Option<(String, Vec<u8>)> {
    let object = serde_json::from_slice::<Untyped>(json).ok()?;
    let (name, value) = object.into_iter().next()?;
    Some((name, serde_json::to_vec(&value).ok()?))
}

fn clamp(at: u16, len: usize) -> usize {
    usize::from(at).min(len)
}

fn apply_json_edit(json: &mut Vec<u8>, edit: &JsonEdit) {
    match edit {
        JsonEdit::Set { name, value } => {
            remove_member(json, name.as_str());
            add_member(json, name.as_str(), &value.text());
        }
        JsonEdit::Add { name, value } => add_member(json, name.as_str(), &value.text()),
        JsonEdit::Remove(name) => remove_member(json, name.as_str()),
        JsonEdit::DuplicateFirst => {
            if let Some((name, value)) = first_member(json) {
                add_member(json, &name, &value);
            }
        }
        JsonEdit::Deepen { depth, objects } => {
            let depth = usize::from(*depth % 4096);
            let value = if *objects {
                format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth))
            } else {
                format!("{}{}", "[".repeat(depth), "]".repeat(depth))
            };
            add_member(json, "deep", value.as_bytes());
        }
        JsonEdit::Insert { at, text } => {
            let at = clamp(*at, json.len());
            json.splice(at..at, text.bytes());
        }
        JsonEdit::FlipByte { at, mask } => {
            if let Some(byte) = json.get_mut(usize::from(*at)) {
                *byte ^= (*mask).max(1);
            }
        }
        JsonEdit::Truncate { len } => json.truncate(usize::from(*len)),
    }
}

/// The token being mutated, with the JSON it was last built from.
struct State {
    token: String,
    header: Vec<u8>,
    payload: Vec<u8>,
    /// Every token the key signed: the encoded one and each re-signed one.
    signed: HashSet<String>,
}

impl State {
    fn segments(&self) -> Vec<String> {
        self.token.split('.').map(str::to_owned).collect()
    }

    fn set_segments(&mut self, segments: &[String]) {
        self.token = segments.join(".");
    }

    fn resign_text(&mut self) {
        let signing_input = match self.token.rsplit_once('.') {
            Some((signing_input, _)) => signing_input.to_owned(),
            None => self.token.clone(),
        };
        self.token = resign(&signing_input);
        self.signed.insert(self.token.clone());
    }

    fn rebuild(&mut self, resign_it: bool) {
        let signing_input = format!("{}.{}", b64(&self.header), b64(&self.payload));
        if resign_it {
            self.token = resign(&signing_input);
            self.signed.insert(self.token.clone());
        } else {
            let signature = self.token.rsplit_once('.').map_or("", |(_, sig)| sig);
            self.token = format!("{signing_input}.{signature}");
        }
    }

    fn apply(&mut self, mutation: &Mutation) {
        match mutation {
            Mutation::FlipByte { at, mask } => {
                let mut bytes = std::mem::take(&mut self.token).into_bytes();
                if let Some(byte) = bytes.get_mut(usize::from(*at)) {
                    *byte ^= (*mask).max(1);
                }
                self.token = String::from_utf8_lossy(&bytes).into_owned();
            }
            Mutation::InsertChar { at, ch } => {
                let mut at = clamp(*at, self.token.len());
                while !self.token.is_char_boundary(at) {
                    at -= 1;
                }
                self.token.insert(at, ch.char());
            }
            Mutation::Delete { at, len } => {
                let bytes = self.token.as_bytes();
                let start = clamp(*at, bytes.len());
                let end = (start + usize::from(*len)).min(bytes.len());
                let mut kept = bytes[..start].to_vec();
                kept.extend_from_slice(&bytes[end..]);
                self.token = String::from_utf8_lossy(&kept).into_owned();
            }
            Mutation::Truncate { len } => {
                let bytes = self.token.as_bytes();
                let end = clamp(*len, bytes.len());
                self.token = String::from_utf8_lossy(&bytes[..end]).into_owned();
            }
            Mutation::SpliceSegment { from, into } => {
                let mut segments = self.segments();
                if let Some(copy) = segments.get(from.index()).cloned()
                    && let Some(slot) = segments.get_mut(into.index())
                {
                    *slot = copy;
                    self.set_segments(&segments);
                }
            }
            Mutation::DuplicateSegment(segment) => {
                let mut segments = self.segments();
                if let Some(copy) = segments.get(segment.index()).cloned() {
                    segments.insert(segment.index() + 1, copy);
                    self.set_segments(&segments);
                }
            }
            Mutation::PadSegment { segment, twice } => {
                let mut segments = self.segments();
                if let Some(slot) = segments.get_mut(segment.index()) {
                    slot.push_str(if *twice { "==" } else { "=" });
                    self.set_segments(&segments);
                }
            }
            Mutation::Json { part, edit, resign } => {
                let json = match part {
                    Part::Header => &mut self.header,
                    Part::Payload => &mut self.payload,
                };
                apply_json_edit(json, edit);
                self.rebuild(*resign);
            }
            Mutation::Resign => self.resign_text(),
        }
    }
}

/// The runtime rules that make the untyped decode as strict as `Typed`'s own.
static UNTYPED_VALIDATION: LazyLock<Validation> = LazyLock::new(|| {
    Validation::new()
        .at(now())
        .issuer(ISSUER)
        .audience(AUDIENCES[0])
        .audience(AUDIENCES[1])
        .leeway(30)
});

static TYPED_VALIDATION: LazyLock<Validation> = LazyLock::new(|| Validation::new().at(now()));

const UNTYPED_RULES: Rules = TYPED_RULES;

fuzz_target!(|input: Input| {
    let claims = input.claims.build();
    let original =
        jwt_core::encode(&claims, &*jwt_fuzz::KEY).expect("claims with times in range encode");
    let (header_segment, rest) = original.split_once('.').expect("three segments");
    let (payload_segment, _) = rest.split_once('.').expect("three segments");
    let mut state = State {
        header: unb64(header_segment).expect("encode writes base64url"),
        payload: unb64(payload_segment).expect("encode writes base64url"),
        token: original.clone(),
        signed: HashSet::from([original.clone()]),
    };
    for mutation in input.mutations.iter().take(MAX_MUTATIONS) {
        state.apply(mutation);
    }
    let token = &state.token;

    let typed = jwt_core::decode_with::<Typed>(token, &*jwt_fuzz::KEY, &TYPED_VALIDATION);
    let untyped = jwt_core::decode_with::<Untyped>(token, &*jwt_fuzz::KEY, &UNTYPED_VALIDATION);

    if let Ok(accepted) = &typed {
        assert!(
            state.signed.contains(token),
            "accepted a token changed without re-signing: {token}"
        );
        check_accepted(token, accepted);
        check_registered_claims(&untyped_claims(token), &TYPED_RULES);
        assert!(check_subject(&accepted.claims().sub).is_ok());
        assert!(
            untyped.is_ok(),
            "the untyped decode with the same rules refused what `Typed` accepted: {untyped:?}"
        );
    }
    if let Ok(accepted) = &untyped {
        assert!(
            state.signed.contains(token),
            "accepted a token changed without re-signing: {token}"
        );
        check_accepted(token, accepted);
        check_registered_claims(accepted.claims(), &UNTYPED_RULES);
    }

    if *token == original {
        let expected = obeys_typed_rules(&claims) && original.len() <= DEFAULT_MAX_TOKEN_LEN;
        match &typed {
            Ok(accepted) => {
                assert!(expected, "accepted claims that break the rules: {claims:?}");
                assert_eq!(accepted.claims(), &claims, "decoded claims differ");
            }
            Err(error) => assert!(
                !expected,
                "refused an untouched token whose claims obey the rules: {error}\n{claims:?}"
            ),
        }
    }

    for error in [typed.err(), untyped.err()].iter().flatten() {
        exercise_error(error);
    }
});
