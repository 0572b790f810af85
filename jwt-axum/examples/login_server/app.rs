//! The seed's flow as a service, for `main.rs`, the integration test and the load
//! benchmark: `POST /login` checks a username and password against Argon2id hashes in
//! `SQLite` and answers with a token for the `db-server` audience; `POST /db/update` needs
//! that token.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{DefaultBodyLimit, FromRef, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use jwt_axum::{Jwt, JwtAuth};
use jwt_core::{Claims, HmacKey, NumericDate, Validation, Verifier};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

/// The seed demo's HS256 key, used when `JWT_SECRET` is not set.
pub const SEED_SECRET: &[u8] = b"-----BEGIN PRIVATE KEY----------END PRIVATE KEY-----";
/// The user created in an empty database.
pub const DEMO_USER: &str = "demo";
/// Its password.
pub const DEMO_PASSWORD: &str = "demo-password";
/// Seconds a token is valid.
pub const TOKEN_LIFETIME: i64 = 600;
/// The realm in `WWW-Authenticate` challenges.
pub const REALM: &str = "db-server";

/// The seed's claims: issued by `jiankaiwang` for `db-server`, 30 s of clock skew.
#[derive(Clone, Debug, Serialize, Deserialize, Claims)]
#[jwt(iss = "jiankaiwang", aud = "db-server", leeway = 30)]
pub struct DbUpdate {
    /// The user the token was issued to.
    pub sub: String,
    /// When it expires.
    pub exp: NumericDate,
    /// When it was issued, in seconds (the seed's custom claim).
    pub timestamp: i64,
}

/// What went wrong inside the server; the client sees only `500`.
#[derive(Debug)]
pub enum AppError {
    /// `SQLite` refused.
    Database(rusqlite::Error),
    /// Argon2 refused (a stored hash that is not a PHC string, ...).
    Hash(argon2::password_hash::Error),
    /// Signing the token failed.
    Token(jwt_core::Error),
    /// A blocking task panicked or was cancelled.
    Task(tokio::task::JoinError),
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Database(error) => write!(f, "database: {error}"),
            AppError::Hash(error) => write!(f, "password hash: {error}"),
            AppError::Token(error) => write!(f, "token: {error}"),
            AppError::Task(error) => write!(f, "blocking task: {error}"),
        }
    }
}

impl std::error::Error for AppError {}

impl From<rusqlite::Error> for AppError {
    fn from(error: rusqlite::Error) -> Self {
        AppError::Database(error)
    }
}

impl From<argon2::password_hash::Error> for AppError {
    fn from(error: argon2::password_hash::Error) -> Self {
        AppError::Hash(error)
    }
}

impl From<jwt_core::Error> for AppError {
    fn from(error: jwt_core::Error) -> Self {
        AppError::Token(error)
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(error: tokio::task::JoinError) -> Self {
        AppError::Task(error)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        eprintln!("internal error: {self}");
        let body = Json(serde_json::json!({ "error": "internal error" }));
        (StatusCode::INTERNAL_SERVER_ERROR, body).into_response()
    }
}

/// Users and their Argon2id password hashes (PHC strings) in `SQLite`. Every method
/// blocks: call them from `spawn_blocking`.
pub struct Users {
    connection: Mutex<Connection>,
    /// Checked for unknown users, so that they take as long as a wrong password.
    dummy_hash: String,
}

impl Users {
    /// Opens (or creates) the database at `path` and its `users` table.
    ///
    /// # Errors
    ///
    /// When `SQLite` cannot open or create it.
    pub fn open(path: &Path) -> Result<Users, AppError> {
        let connection = Connection::open(path)?;
        connection.execute_batch(
            "CREATE TABLE IF NOT EXISTS users (
                 username TEXT PRIMARY KEY NOT NULL,
                 password_hash TEXT NOT NULL
             )",
        )?;
        let mut random = [0; 32];
        OsRng.fill_bytes(&mut random);
        Ok(Users {
            connection: Mutex::new(connection),
            dummy_hash: hash_password(&random)?,
        })
    }

    /// Adds `username` with `password` unless the user exists; says whether it did.
    ///
    /// # Errors
    ///
    /// When `SQLite` or Argon2 fails.
    pub fn add_if_absent(&self, username: &str, password: &str) -> Result<bool, AppError> {
        if self.stored_hash(username)?.is_some() {
            return Ok(false);
        }
        let hash = hash_password(password.as_bytes())?;
        let connection = self
            .connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let added = connection.execute(
            "INSERT OR IGNORE INTO users (username, password_hash) VALUES (?1, ?2)",
            (username, &hash),
        )?;
        Ok(added == 1)
    }

    /// Whether `password` is `username`'s. An unknown user is checked against a dummy
    /// hash, so that the answer takes as long as for a known user.
    ///
    /// # Errors
    ///
    /// When `SQLite` fails or a stored hash is not a PHC string.
    pub fn check(&self, username: &str, password: &str) -> Result<bool, AppError> {
        let stored = self.stored_hash(username)?;
        let hash = PasswordHash::new(stored.as_deref().unwrap_or(&self.dummy_hash))?;
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok();
        Ok(matches && stored.is_some())
    }

    fn stored_hash(&self, username: &str) -> Result<Option<String>, AppError> {
        let connection = self
            .connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let hash = connection
            .query_row(
                "SELECT password_hash FROM users WHERE username = ?1",
                [username],
                |row| row.get(0),
            )
            .optional()?;
        Ok(hash)
    }
}

/// An Argon2id PHC string for `password`, with the crate's default parameters (19 MiB,
/// two passes) and a random salt.
fn hash_password(password: &[u8]) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password, &salt)?
        .to_string())
}

/// The server's state: the users, the signing key and the verifier for `Jwt`.
#[derive(Clone)]
pub struct AppState {
    users: Arc<Users>,
    /// Argon2 takes 19 MiB per hash: at most this many run at once.
    hashing: Arc<Semaphore>,
    key: HmacKey,
    auth: JwtAuth,
}

impl FromRef<AppState> for JwtAuth {
    fn from_ref(state: &AppState) -> JwtAuth {
        state.auth.clone()
    }
}

impl AppState {
    /// Opens the database at `db_path`, adds the demo user when absent (saying whether it
    /// did), and binds the HS256 key made of `secret` for signing and verifying.
    /// Blocks: call it before the server starts or from `spawn_blocking`.
    ///
    /// # Errors
    ///
    /// When `SQLite` or Argon2 fails, or `secret` is shorter than 32 bytes.
    pub fn open(db_path: &Path, secret: &[u8]) -> Result<(AppState, bool), AppError> {
        let users = Users::open(db_path)?;
        let created = users.add_if_absent(DEMO_USER, DEMO_PASSWORD)?;
        let key = HmacKey::hs256(secret)?;
        let auth = JwtAuth::new(Verifier::new(key.clone(), Validation::new())).realm(REALM);
        let parallelism = std::thread::available_parallelism().map_or(2, usize::from);
        let state = AppState {
            users: Arc::new(users),
            hashing: Arc::new(Semaphore::new(parallelism)),
            key,
            auth,
        };
        Ok((state, created))
    }
}

/// The routes, before the state is given: `POST /login`, `POST /db/update`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", post(login).layer(DefaultBodyLimit::max(4096)))
        .route("/db/update", post(db_update))
}

/// The whole service.
pub fn app(state: AppState) -> Router {
    routes().with_state(state)
}

/// `POST /login`'s body.
#[derive(Deserialize)]
pub struct Credentials {
    /// The user.
    pub username: String,
    /// The password.
    pub password: String,
}

/// `POST /login`'s answer.
#[derive(Debug, Serialize, Deserialize)]
pub struct Issued {
    /// The signed token.
    pub token: String,
    /// Its lifetime in seconds.
    pub expires_in: i64,
}

/// `POST /db/update`'s answer.
#[derive(Debug, Serialize, Deserialize)]
pub struct Updated {
    /// The user the update was done for: the token's `sub`.
    pub subject: String,
}

async fn login(
    State(state): State<AppState>,
    Json(credentials): Json<Credentials>,
) -> Result<Response, AppError> {
    let Ok(permit) = state.hashing.clone().acquire_owned().await else {
        return Ok(StatusCode::SERVICE_UNAVAILABLE.into_response());
    };
    let users = state.users.clone();
    let username = credentials.username.clone();
    let accepted = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        users.check(&credentials.username, &credentials.password)
    })
    .await??;
    if !accepted {
        let body = Json(serde_json::json!({ "error": "invalid username or password" }));
        return Ok((StatusCode::UNAUTHORIZED, body).into_response());
    }
    let now = NumericDate::now();
    let claims = DbUpdate {
        sub: username,
        exp: now + TOKEN_LIFETIME,
        timestamp: now.as_secs(),
    };
    let token = jwt_core::encode(&claims, &state.key)?;
    Ok(Json(Issued {
        token,
        expires_in: TOKEN_LIFETIME,
    })
    .into_response())
}

async fn db_update(Jwt(claims): Jwt<DbUpdate>) -> Json<Updated> {
    Json(Updated {
        subject: claims.sub,
    })
}
