//! One of many servers that share a Redis: every token's `jti` is accepted once across all
//! of them.
//!
//! ```sh
//! redis-server --port 6379 --save '' --appendonly yes --appendfsync always --dir /tmp &
//! JWT_SECRET=0123456789abcdef0123456789abcdef PORT=3001 \
//!   cargo run -p jwt-axum --features replay --example replay_server &
//! JWT_SECRET=0123456789abcdef0123456789abcdef PORT=3002 \
//!   cargo run -p jwt-axum --features replay --example replay_server &
//! ```
//!
//! Settings, from the environment: `PORT` (default 3000), `REDIS_URL` (default
//! `redis://127.0.0.1:6379`), `REDIS_PREFIX` (default `jwt:`), `JWT_SECRET` (at least 32
//! bytes; required). Route: `GET /once` (each `jti` once, across every server). With Redis
//! down it answers `503`, never an unchecked `200`.

use std::process::ExitCode;

use axum::Router;
use axum::routing::get;
use jwt_axum::{Jwt, JwtAuth};
use jwt_core::{HmacKey, Validation, Verifier};
use jwt_replay::{RedisStore, ReplayGuard};
use serde::Deserialize;

/// What a token for this server carries.
#[derive(Clone, Debug, Deserialize, jwt_core::Claims)]
struct Access {
    sub: String,
    jti: String,
    exp: jwt_core::NumericDate,
}

async fn once(Jwt(claims): Jwt<Access>) -> String {
    format!(
        "hello {}, jti {} accepted here and nowhere again (expires at {})\n",
        claims.sub,
        claims.jti,
        claims.exp.as_secs()
    )
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("replay_server: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let port: u16 = std::env::var("PORT")
        .unwrap_or_else(|_| "3000".into())
        .parse()
        .map_err(|_| "PORT is not a port number")?;
    let redis_url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let prefix = std::env::var("REDIS_PREFIX").unwrap_or_else(|_| "jwt:".into());
    let secret = std::env::var("JWT_SECRET").map_err(|_| "set JWT_SECRET (32 bytes or more)")?;
    let key = HmacKey::hs256(secret.as_bytes()).map_err(|error| error.to_string())?;

    let store = RedisStore::connect(&redis_url, prefix)
        .await
        .map_err(|error| format!("{redis_url}: {error}"))?;
    let auth = JwtAuth::new(Verifier::new(key, Validation::new())).replay(ReplayGuard::once(store));
    let app = Router::new().route("/once", get(once)).with_state(auth);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|error| format!("cannot listen on 127.0.0.1:{port}: {error}"))?;
    println!("replay_server on http://127.0.0.1:{port}, replays checked in {redis_url}");
    axum::serve(listener, app)
        .await
        .map_err(|error| error.to_string())
}
