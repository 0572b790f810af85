//! The seed's flow, served: a login server and a resource server in one process.
//!
//! ```sh
//! cargo run -p jwt-axum --example login_server
//! ```
//!
//! - Listens on `127.0.0.1:3000`; `PORT` overrides the port.
//! - Users live in `SQLite` at `DB_PATH`, by default `jwt-axum-login.sqlite3` in the
//!   system's temporary directory; an empty database gets the user `demo` with the
//!   password `demo-password`.
//! - Tokens are HS256 with the seed demo's key, or with the UTF-8 bytes of `JWT_SECRET`
//!   (at least 32 bytes) when it is set.
//!
//! `POST /login` with `{"username": "demo", "password": "demo-password"}` answers
//! `{"token": "...", "expires_in": 600}`; `POST /db/update` with `Authorization: Bearer
//! <token>` answers `{"subject": "demo"}`.

mod app;

use std::error::Error;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn Error>> {
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port
            .parse()
            .map_err(|_| format!("PORT={port:?} is not a port"))?,
        Err(_) => 3000,
    };
    let db_path = std::env::var_os("DB_PATH").map_or_else(
        || std::env::temp_dir().join("jwt-axum-login.sqlite3"),
        PathBuf::from,
    );
    let (secret, secret_source) = match std::env::var("JWT_SECRET") {
        Ok(secret) => (secret.into_bytes(), "JWT_SECRET"),
        Err(_) => (app::SEED_SECRET.to_vec(), "the seed demo's key"),
    };

    // Opening the database and hashing the demo user's password block: do it before the
    // runtime serves anything.
    let (state, created) = app::AppState::open(&db_path, &secret)?;
    println!("users database: {}", db_path.display());
    if created {
        println!(
            "created demo user: {} / {}",
            app::DEMO_USER,
            app::DEMO_PASSWORD
        );
    } else {
        println!(
            "demo user: {} (password {} unless changed)",
            app::DEMO_USER,
            app::DEMO_PASSWORD
        );
    }
    println!(
        "tokens: HS256 with {secret_source}, valid {} s",
        app::TOKEN_LIFETIME
    );

    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(async {
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
            let url = format!("http://{}", listener.local_addr()?);
            println!("listening on {url}");
            println!(
                "try: curl -s -X POST {url}/login -H 'content-type: application/json' \
                 -d '{{\"username\":\"demo\",\"password\":\"demo-password\"}}'"
            );
            axum::serve(listener, app::app(state)).await?;
            Ok::<(), Box<dyn Error>>(())
        })
}
