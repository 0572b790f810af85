//! Every refusal is one `tracing` event at debug level that names the kind and nothing
//! from the token.

use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, HeaderValue, header};
use jwt_axum::JwtAuth;
use jwt_core::{HmacKey, NumericDate, Validation, Verifier};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// An event's level and its fields, as text.
type Recorded = (Level, Vec<(String, String)>);

/// Keeps each event.
#[derive(Clone, Default)]
struct Recorder {
    events: Arc<Mutex<Vec<Recorded>>>,
}

struct Fields(Vec<(String, String)>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(Vec::new());
        event.record(&mut fields);
        let mut events = self.events.lock().unwrap();
        events.push((*event.metadata().level(), fields.0));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

const SECRET: &[u8] = b"a secret of at least thirty-two bytes!";

use std::future::Future as _;

fn events_of(headers: &HeaderMap) -> Vec<Recorded> {
    let recorder = Recorder::default();
    let auth = JwtAuth::new(Verifier::new(
        HmacKey::hs256(SECRET).unwrap(),
        Validation::new(),
    ));
    tracing::subscriber::with_default(recorder.clone(), || {
        // Local keys decide without waiting: one poll completes the future.
        let mut context = std::task::Context::from_waker(std::task::Waker::noop());
        let verified = std::pin::pin!(auth.verify::<serde_json::Value>(headers)).poll(&mut context);
        let std::task::Poll::Ready(verified) = verified else {
            panic!("local keys decide without waiting");
        };
        verified.unwrap_err();
    });
    recorder.events.lock().unwrap().clone()
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

#[test]
fn a_refused_token_is_one_debug_event_with_its_kind_only() {
    let claims = serde_json::json!({
        "sub": "carol-the-subject",
        "exp": (NumericDate::now() - 60).as_secs(),
    });
    let token = jwt_core::encode(&claims, &HmacKey::hs256(SECRET).unwrap()).unwrap();
    let mut headers = HeaderMap::new();
    let bearer = HeaderValue::from_str(&format!("Bearer {token}")).unwrap();
    headers.insert(header::AUTHORIZATION, bearer);

    let events = events_of(&headers);
    assert_eq!(
        events,
        vec![(
            Level::DEBUG,
            fields(&[
                ("message", "bearer token refused"),
                ("kind", "token expired")
            ])
        )]
    );
}

#[test]
fn a_missing_token_is_one_debug_event() {
    let events = events_of(&HeaderMap::new());
    assert_eq!(
        events,
        vec![(
            Level::DEBUG,
            fields(&[
                ("message", "bearer token refused"),
                ("kind", "missing bearer token")
            ])
        )]
    );
}
