//! `JwtAuth::remote`: keys from a JWK Set served over loopback HTTP, through the extractor
//! and the layer; `503` while no set can be fetched.
#![cfg(feature = "jwks")]

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use jwt_axum::{Jwt, JwtAuth, JwtLayer};
use jwt_core::{Algorithm, JwkSet, KeyPair, NumericDate, Validation};
use jwt_jwks::RemoteJwkSet;
use serde_json::{Value, json};
use tower::ServiceExt;

async fn me(Jwt(claims): Jwt<Value>) -> String {
    claims["sub"].as_str().unwrap_or_default().to_owned()
}

fn router(auth: JwtAuth) -> Router {
    let layered = Router::new()
        .route("/layered", get(me))
        .route_layer(JwtLayer::<Value>::new(auth.clone()));
    Router::new()
        .route("/extracted", get(me))
        .merge(layered)
        .with_state(auth)
}

/// Serves `set` at `http://127.0.0.1:<port>/jwks` until the test ends.
async fn serve(set: String) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = Router::new().route("/jwks", get(move || async move { set }));
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}/jwks")
}

fn remote(url: String) -> RemoteJwkSet {
    RemoteJwkSet::from_url(url)
        .allow_insecure_loopback()
        .cooldown(Duration::from_millis(100))
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap()
}

fn token(key: &KeyPair, sub: &str) -> String {
    jwt_core::encode(&json!({"sub": sub, "exp": NumericDate::now() + 600}), key).unwrap()
}

async fn send(router: &Router, path: &str, token: &str) -> Response {
    let request = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    router.clone().oneshot(request).await.unwrap()
}

#[tokio::test]
async fn tokens_signed_by_a_key_of_the_remote_set_pass() {
    let key = KeyPair::generate(Algorithm::EdDSA).unwrap().with_kid("k1");
    let set = JwkSet::from_keys([key.public_key()]).unwrap().to_json();
    let router = router(JwtAuth::remote(remote(serve(set).await), Validation::new()));
    for path in ["/extracted", "/layered"] {
        let response = send(&router, path, &token(&key, "ann")).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    // A key the set does not hold: refused, however often it is tried.
    let stranger = KeyPair::generate(Algorithm::EdDSA).unwrap().with_kid("k2");
    let response = send(&router, "/extracted", &token(&stranger, "eve")).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        response.headers()[header::WWW_AUTHENTICATE],
        r#"Bearer error="invalid_token", error_description="unknown key""#
    );
}

#[tokio::test]
async fn no_set_ever_fetched_is_503_not_401() {
    // A port that was free a moment ago: nothing answers there.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/jwks", listener.local_addr().unwrap());
    drop(listener);
    let router = router(JwtAuth::remote(remote(url), Validation::new()));
    let key = KeyPair::generate(Algorithm::EdDSA).unwrap().with_kid("k1");
    for path in ["/extracted", "/layered"] {
        let response = send(&router, path, &token(&key, "ann")).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert!(!response.headers().contains_key(header::WWW_AUTHENTICATE));
    }
}
