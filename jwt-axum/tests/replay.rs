//! `JwtAuth::replay`: each `jti` once, revocation and failing closed, through the extractor
//! and the layer, with one request each through `tower::ServiceExt::oneshot`.
#![cfg(feature = "replay")]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use jwt_axum::{Jwt, JwtAuth, JwtLayer};
use jwt_core::{Error, ErrorKind, HmacKey, NumericDate, Validation, Verifier};
use jwt_replay::{MemoryStore, ReplayGuard, ReplayStore};
use serde_json::{Value, json};
use tower::ServiceExt;

const SECRET: &[u8] = b"a secret of at least thirty-two bytes!";

fn key() -> HmacKey {
    HmacKey::hs256(SECRET).unwrap()
}

fn token(claims: &Value) -> String {
    jwt_core::encode(claims, &key()).unwrap()
}

fn fresh(jti: &str) -> String {
    token(&json!({"sub": "ann", "jti": jti, "exp": NumericDate::now() + 600}))
}

async fn me(Jwt(claims): Jwt<Value>) -> String {
    claims["sub"].as_str().unwrap_or_default().to_owned()
}

/// A route that takes the token through the extractor, and one behind the layer.
fn router(auth: JwtAuth) -> Router {
    let layered = Router::new()
        .route("/layered", get(me))
        .route_layer(JwtLayer::<Value>::new(auth.clone()));
    Router::new()
        .route("/extracted", get(me))
        .merge(layered)
        .with_state(auth)
}

fn auth_with<S: ReplayStore + 'static>(guard: ReplayGuard<S>) -> JwtAuth {
    JwtAuth::new(Verifier::new(key(), Validation::new())).replay(guard)
}

async fn send(router: &Router, path: &str, token: &str) -> Response {
    let request = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    router.clone().oneshot(request).await.unwrap()
}

async fn body(response: Response) -> String {
    String::from_utf8(
        to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap()
}

fn challenge(response: &Response) -> &str {
    response.headers()[header::WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
}

#[tokio::test]
async fn a_jti_is_accepted_once_then_refused_as_replayed() {
    for path in ["/extracted", "/layered"] {
        let router = router(auth_with(ReplayGuard::once(MemoryStore::new(100))));
        let token = fresh("once-1");
        let first = send(&router, path, &token).await;
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        assert_eq!(body(first).await, "ann");
        let again = send(&router, path, &token).await;
        assert_eq!(again.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(
            challenge(&again),
            r#"Bearer error="invalid_token", error_description="token replayed""#
        );
        // Another jti is another token.
        let other = send(&router, path, &fresh("once-2")).await;
        assert_eq!(other.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn the_extractor_and_the_layer_share_the_store() {
    let router = router(auth_with(ReplayGuard::once(MemoryStore::new(100))));
    let token = fresh("shared");
    assert_eq!(
        send(&router, "/layered", &token).await.status(),
        StatusCode::OK
    );
    let replayed = send(&router, "/extracted", &token).await;
    assert_eq!(replayed.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_token_without_jti_or_exp_is_refused_when_each_jti_counts_once() {
    let router = router(
        JwtAuth::new(Verifier::new(key(), Validation::new().allow_missing_exp()))
            .replay(ReplayGuard::once(MemoryStore::new(100))),
    );
    let no_jti = token(&json!({"sub": "ann", "exp": NumericDate::now() + 600}));
    let response = send(&router, "/extracted", &no_jti).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        challenge(&response),
        r#"Bearer error="invalid_token", error_description="missing claim""#
    );
    let no_exp = token(&json!({"sub": "ann", "jti": "forever"}));
    let response = send(&router, "/extracted", &no_exp).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        challenge(&response),
        r#"Bearer error="invalid_token", error_description="missing claim""#
    );
}

#[tokio::test]
async fn a_revoked_jti_is_refused_as_revoked() {
    for guard in [
        ReplayGuard::once(MemoryStore::new(100)),
        ReplayGuard::revocation_only(MemoryStore::new(100)),
    ] {
        let exp = NumericDate::now() + 600;
        guard.store().revoke("stolen", exp).await.unwrap();
        let router = router(auth_with(guard));
        let stolen = token(&json!({"sub": "ann", "jti": "stolen", "exp": exp}));
        for path in ["/extracted", "/layered"] {
            let response = send(&router, path, &stolen).await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
            assert_eq!(
                challenge(&response),
                r#"Bearer error="invalid_token", error_description="token revoked""#
            );
        }
    }
}

#[tokio::test]
async fn revocation_only_accepts_a_jti_many_times() {
    let router = router(auth_with(ReplayGuard::revocation_only(MemoryStore::new(
        100,
    ))));
    let token = fresh("reused");
    for _ in 0..3 {
        assert_eq!(
            send(&router, "/extracted", &token).await.status(),
            StatusCode::OK
        );
    }
}

/// A store that cannot answer while `down` is set, and otherwise remembers nothing.
#[derive(Default)]
struct Flaky {
    down: Arc<AtomicBool>,
    used: std::sync::Mutex<Vec<String>>,
}

impl Flaky {
    fn answer(&self) -> Result<(), Error> {
        if self.down.load(Ordering::SeqCst) {
            Err(Error::new(ErrorKind::Unavailable, "the store is down"))
        } else {
            Ok(())
        }
    }
}

impl ReplayStore for Flaky {
    async fn first_use(&self, jti: &str, _exp: NumericDate) -> Result<bool, Error> {
        self.answer()?;
        let mut used = self.used.lock().unwrap();
        if used.iter().any(|seen| seen == jti) {
            return Ok(false);
        }
        used.push(jti.to_owned());
        Ok(true)
    }

    async fn revoke(&self, _jti: &str, _exp: NumericDate) -> Result<(), Error> {
        self.answer()
    }

    async fn is_revoked(&self, _jti: &str) -> Result<bool, Error> {
        self.answer().map(|()| false)
    }
}

#[tokio::test]
async fn a_store_that_cannot_answer_refuses_with_503_and_service_resumes() {
    let store = Flaky::default();
    let down = Arc::clone(&store.down);
    let router = router(auth_with(ReplayGuard::once(store)));
    down.store(true, Ordering::SeqCst);
    for path in ["/extracted", "/layered"] {
        let response = send(&router, path, &fresh(&format!("outage{path}"))).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
        assert!(!response.headers().contains_key(header::WWW_AUTHENTICATE));
        assert_eq!(body(response).await, "service unavailable");
    }
    down.store(false, Ordering::SeqCst);
    for path in ["/extracted", "/layered"] {
        // The token refused during the outage was never recorded: it passes now, once.
        let token = fresh(&format!("outage{path}"));
        assert_eq!(
            send(&router, path, &token).await.status(),
            StatusCode::OK,
            "{path}"
        );
        let replayed = send(&router, path, &token).await;
        assert_eq!(replayed.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
}

#[tokio::test]
async fn a_bad_signature_is_refused_before_the_store_is_asked() {
    let store = Flaky::default();
    store.down.store(true, Ordering::SeqCst);
    let router = router(auth_with(ReplayGuard::once(store)));
    let forged = jwt_core::encode(
        &json!({"sub": "ann", "jti": "x", "exp": NumericDate::now() + 600}),
        &HmacKey::hs256(b"another secret of thirty-two bytes..").unwrap(),
    )
    .unwrap();
    let response = send(&router, "/extracted", &forged).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        challenge(&response),
        r#"Bearer error="invalid_token", error_description="invalid signature""#
    );
}
