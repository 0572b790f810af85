//! The `login_server` example's app on a real TCP listener (`127.0.0.1:0`), driven by
//! `reqwest`: the seed's flow from login to `/db/update`, and every refusal on the way.

#[allow(dead_code, reason = "the example's module; the test uses part of it")]
#[path = "../examples/login_server/app.rs"]
mod app;

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jwt_core::{HmacKey, Validation, Verifier};
use reqwest::{Client, StatusCode, header};
use serde_json::json;

struct Server {
    url: String,
    client: Client,
    _dir: tempfile::TempDir,
}

async fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("users.sqlite3");
    let (state, created) =
        tokio::task::spawn_blocking(move || app::AppState::open(&db_path, app::SEED_SECRET))
            .await
            .unwrap()
            .unwrap();
    assert!(created, "an empty database gets the demo user");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app::app(state)).await.unwrap() });
    let client = Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    Server {
        url,
        client,
        _dir: dir,
    }
}

impl Server {
    async fn login(&self, username: &str, password: &str) -> reqwest::Response {
        self.client
            .post(format!("{}/login", self.url))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .unwrap()
    }

    async fn update(&self, token: Option<&str>) -> reqwest::Response {
        let mut request = self.client.post(format!("{}/db/update", self.url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }
}

fn challenge(response: &reqwest::Response) -> String {
    response.headers()[header::WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_flow_runs_over_loopback() {
    let server = start().await;

    // Login: the seed's claims, signed with the seed's key.
    let response = server.login(app::DEMO_USER, app::DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let issued: app::Issued = response.json().await.unwrap();
    assert_eq!(issued.expires_in, 600);
    let verifier = Verifier::new(HmacKey::hs256(app::SEED_SECRET).unwrap(), Validation::new());
    let claims: app::DbUpdate = verifier.decode(&issued.token).unwrap();
    assert_eq!(claims.sub, "demo");
    assert_eq!(claims.exp.as_secs() - claims.timestamp, 600);
    let audience = Validation::new().audience("db-server");
    let untyped: serde_json::Value =
        Verifier::new(HmacKey::hs256(app::SEED_SECRET).unwrap(), audience)
            .decode(&issued.token)
            .unwrap();
    assert_eq!(untyped["iss"], "jiankaiwang");
    assert_eq!(untyped["aud"], "db-server");

    // The token opens /db/update.
    let response = server.update(Some(&issued.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let updated: app::Updated = response.json().await.unwrap();
    assert_eq!(updated.subject, "demo");

    // The same token with its payload changed to another subject: refused.
    let mut segments: Vec<String> = issued.token.split('.').map(str::to_owned).collect();
    let payload = URL_SAFE_NO_PAD.decode(&segments[1]).unwrap();
    let payload = String::from_utf8(payload)
        .unwrap()
        .replace("\"demo\"", "\"root\"");
    segments[1] = URL_SAFE_NO_PAD.encode(payload);
    let tampered = segments.join(".");
    let response = server.update(Some(&tampered)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        challenge(&response),
        r#"Bearer realm="db-server", error="invalid_token", error_description="invalid signature""#
    );

    // No token.
    let response = server.update(None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(challenge(&response), r#"Bearer realm="db-server""#);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_and_unknown_users_are_refused_alike() {
    let server = start().await;

    let started = Instant::now();
    let wrong = server.login(app::DEMO_USER, "not-the-password").await;
    let wrong_time = started.elapsed();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let wrong_body: serde_json::Value = wrong.json().await.unwrap();

    let started = Instant::now();
    let unknown = server.login("nobody", app::DEMO_PASSWORD).await;
    let unknown_time = started.elapsed();
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let unknown_body: serde_json::Value = unknown.json().await.unwrap();

    assert_eq!(wrong_body, unknown_body);
    assert_eq!(wrong_body["error"], "invalid username or password");
    // An unknown user is checked against a dummy hash: without it, the answer would come
    // thousands of times sooner than an Argon2 verification.
    assert!(
        unknown_time * 4 > wrong_time,
        "unknown user {unknown_time:?}, wrong password {wrong_time:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_body_that_is_not_credentials_is_refused() {
    let server = start().await;
    let response = server
        .client
        .post(format!("{}/login", server.url))
        .json(&json!({ "username": "demo" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let huge = "x".repeat(8192);
    let response = server.login(app::DEMO_USER, &huge).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[test]
fn the_demo_user_is_created_once_and_its_password_is_hashed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("users.sqlite3");
    let (_, created) = app::AppState::open(&path, app::SEED_SECRET).unwrap();
    assert!(created);
    let (_, created) = app::AppState::open(&path, app::SEED_SECRET).unwrap();
    assert!(!created, "a second start keeps the existing user");

    let stored: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT password_hash FROM users WHERE username = 'demo'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    assert!(!stored.contains(app::DEMO_PASSWORD));
}

#[test]
fn a_short_secret_is_refused_at_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("users.sqlite3");
    let Err(error) = app::AppState::open(&path, b"short") else {
        panic!("a 5-byte HS256 secret was accepted");
    };
    assert!(
        matches!(error, app::AppError::Token(ref e) if e.kind() == jwt_core::ErrorKind::InvalidKey)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_are_400_over_the_wire() {
    let server = start().await;
    let url = format!("{}/db/update", server.url);
    let issued: app::Issued = server
        .login(app::DEMO_USER, app::DEMO_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let bearer = format!("Bearer {}", issued.token);

    let twice = server
        .client
        .post(&url)
        .header(header::AUTHORIZATION, &bearer)
        .header(header::AUTHORIZATION, &bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(twice.status(), StatusCode::BAD_REQUEST);
    assert!(challenge(&twice).contains(r#"error="invalid_request""#));

    // One byte over the default 64 KiB limit: refused before decoding.
    let long = format!("Bearer {}", "a".repeat(jwt_core::DEFAULT_MAX_TOKEN_LEN + 1));
    let response = server
        .client
        .post(&url)
        .header(header::AUTHORIZATION, long)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        challenge(&response),
        r#"Bearer realm="db-server", error="invalid_request", error_description="credentials longer than the token length limit""#
    );
}
