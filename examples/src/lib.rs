//! What the example programs share: the claims type of the seed demo, its secret and the
//! token it issued.
//!
//! - `cargo run --example requests` issues a token as the demo's `requests.py` does.
//! - `cargo run --example verify -- TOKEN` verifies one as its `verify.py` does.

use jwt_core::{Claims, NumericDate};
use serde::{Deserialize, Serialize};

/// The claims of the seed demo: a request to update the database.
///
/// The type is the policy: tokens must come from `jiankaiwang`, be meant for
/// `db-server`, carry an unexpired `exp` (30 s of clock skew allowed), and `encode`
/// writes `iss` and `aud` itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Claims)]
#[jwt(iss = "jiankaiwang", aud = "db-server", leeway = 30)]
pub struct DbUpdate {
    /// What the token allows: `updating-db`.
    pub sub: String,
    /// When the token expires.
    pub exp: NumericDate,
    /// When the request was made, in seconds since the epoch.
    pub timestamp: i64,
}

/// The demo's HS256 secret (UTF-8).
pub const SEED_SECRET: &str = "-----BEGIN PRIVATE KEY----------END PRIVATE KEY-----";

/// The token the demo issued at [`SEED_ISSUED_AT`], expiring 600 s later.
pub const SEED_TOKEN: &str = "eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJpc3MiOiAiamlhbmthaXdhbmciLCAic3ViIjogInVwZGF0aW5nLWRiIiwgImF1ZCI6ICJkYi1zZXJ2ZXIiLCAiZXhwIjogMTY1MTc2MDUyNywgInRpbWVzdGFtcCI6IDE2NTE3NTk5Mjd9.aMXv8unaaUfL2NMxQduVYJ-nsHlLpLX4GsK0f6gE_5M";

/// When the demo issued [`SEED_TOKEN`].
pub const SEED_ISSUED_AT: NumericDate = NumericDate::from_secs(1_651_759_927);

/// How long the demo's tokens live, in seconds.
pub const LIFETIME_SECS: i64 = 600;
