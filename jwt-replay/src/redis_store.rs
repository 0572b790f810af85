//! [`RedisStore`]: used and revoked `jti`s shared by every server through Redis.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use jwt_core::{Error, ErrorKind, NumericDate};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{RedisResult, Value};

use crate::{ReplayStore, Use, jti};

/// How long a [`RedisStore`] waits for a connection or an answer before it reports
/// [`ErrorKind::Unavailable`], unless [`RedisStore::connect_with_timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);

/// Used and revoked `jti`s in Redis (7.0 or later), shared by every server that connects
/// to it with the same prefix.
///
/// A use is `SET {prefix}used:{jti} 1 NX EXAT {exp}`: atomic, so of any number of
/// servers sending the same `jti` at once exactly one is told it is the first, and Redis
/// forgets the key at the token's `exp`. [`use_once`](ReplayStore::use_once), the
/// guard's check in [`Mode::Once`](crate::Mode::Once), runs a short Lua script that
/// looks up the revocation and then sets the use, atomically and in one round trip.
///
/// A revocation is `SET {prefix}revoked:{jti} 1 NX EXAT {exp}` followed by `EXPIREAT ...
/// GT` in one transaction, which keeps the later of two revocation times;
/// [`is_revoked`](ReplayStore::is_revoked) is `EXISTS`. Keys are binary: the prefix's
/// bytes, then `used:` or `revoked:`, then the `jti`'s bytes (at most
/// [`MAX_JTI_LEN`](crate::MAX_JTI_LEN)). Both keys of a `jti` are used by one script, so
/// a Redis Cluster is not supported.
///
/// Every operation fails closed: an unreachable or slow Redis, an error reply, or no
/// answer within the timeout ([`DEFAULT_TIMEOUT`] by default) is
/// [`ErrorKind::Unavailable`], never a pass. The connection is re-established in the
/// background after Redis comes back, and operations succeed again without a restart.
/// See the [crate docs](crate#what-the-guarantee-rests-on) for the Redis settings the
/// guarantee needs (`noeviction`; `appendfsync always` to survive a restart).
///
/// Cloning is cheap and shares the connection.
#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: Box<[u8]>,
    timeout: Duration,
}

impl RedisStore {
    /// Connects to the Redis at `url` (`redis://host:port/db`, with
    /// `redis://user:password@host/` for a password) and keeps every key under `prefix`
    /// (`"myapi:jwt:"`; the prefix is used as given, so end it with a separator).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Unavailable`] when `url` is not a Redis URL, or no connection is made
    /// within [`DEFAULT_TIMEOUT`].
    pub async fn connect(url: &str, prefix: impl Into<String>) -> Result<RedisStore, Error> {
        RedisStore::connect_with_timeout(url, prefix, DEFAULT_TIMEOUT).await
    }

    /// As [`connect`](RedisStore::connect), waiting at most `timeout` for a connection
    /// and, afterwards, for each answer.
    ///
    /// # Errors
    ///
    /// As [`connect`](RedisStore::connect).
    pub async fn connect_with_timeout(
        url: &str,
        prefix: impl Into<String>,
        timeout: Duration,
    ) -> Result<RedisStore, Error> {
        // The message never quotes the URL: it may hold a password.
        let client = redis::Client::open(url).map_err(|error| {
            Error::new(ErrorKind::Unavailable, "the redis url is invalid").with_source(error)
        })?;
        // One quick retry, then the next operation starts a new attempt: during an outage
        // each operation fails fast instead of queueing behind a long backoff.
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout))
            .set_number_of_retries(1)
            .set_min_delay(Duration::from_millis(10))
            .set_max_delay(Duration::from_millis(100));
        let connection = within(
            timeout,
            "connect",
            ConnectionManager::new_with_config(client, config),
        )
        .await?;
        Ok(RedisStore {
            connection,
            prefix: prefix.into().into_bytes().into_boxed_slice(),
            timeout,
        })
    }

    /// The prefix of every key.
    pub fn prefix(&self) -> &[u8] {
        &self.prefix
    }

    /// How long an operation waits for Redis.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The key under which a use (`used`) or revocation (`revoked`) of `jti` is kept.
    fn key(&self, kind: &str, jti: &str) -> Vec<u8> {
        let mut key = Vec::with_capacity(self.prefix.len() + kind.len() + 1 + jti.len());
        key.extend_from_slice(&self.prefix);
        key.extend_from_slice(kind.as_bytes());
        key.push(b':');
        key.extend_from_slice(jti.as_bytes());
        key
    }

    /// The key for a use of `jti`, e.g. to inspect it with `TTL`.
    pub fn used_key(&self, jti: &str) -> Vec<u8> {
        self.key("used", jti)
    }

    /// The key for a revocation of `jti`.
    pub fn revoked_key(&self, jti: &str) -> Vec<u8> {
        self.key("revoked", jti)
    }
}

/// `operation` within `timeout`, any failure as [`ErrorKind::Unavailable`].
async fn within<T>(
    timeout: Duration,
    what: &str,
    operation: impl Future<Output = RedisResult<T>>,
) -> Result<T, Error> {
    match tokio::time::timeout(timeout, operation).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(Error::new(
            ErrorKind::Unavailable,
            format!("redis could not {what}: {error}"),
        )
        .with_source(error)),
        Err(_) => Err(Error::new(
            ErrorKind::Unavailable,
            format!("redis did not {what} within {} ms", timeout.as_millis()),
        )),
    }
}

fn unexpected(what: &str, value: &Value) -> Error {
    Error::new(
        ErrorKind::Unavailable,
        format!("redis answered {what} with an unexpected {value:?}"),
    )
}

impl ReplayStore for RedisStore {
    async fn first_use(&self, jti: &str, exp: NumericDate) -> Result<bool, Error> {
        jti::check(jti)?;
        if exp <= NumericDate::now() {
            return Err(past_exp(exp));
        }
        let mut command = redis::cmd("SET");
        command
            .arg(self.used_key(jti))
            .arg(1)
            .arg("NX")
            .arg("EXAT")
            .arg(exp.as_secs());
        let mut connection = self.connection.clone();
        let reply: Value = within(
            self.timeout,
            "record a use",
            command.query_async(&mut connection),
        )
        .await?;
        match reply {
            Value::Okay => Ok(true),
            Value::Nil => Ok(false),
            other => Err(unexpected("a use", &other)),
        }
    }

    async fn revoke(&self, jti: &str, exp: NumericDate) -> Result<(), Error> {
        jti::check(jti)?;
        if exp <= NumericDate::now() {
            return Ok(());
        }
        let key = self.revoked_key(jti);
        let mut transaction = redis::pipe();
        transaction
            .atomic()
            .cmd("SET")
            .arg(&key)
            .arg(1)
            .arg("NX")
            .arg("EXAT")
            .arg(exp.as_secs())
            .ignore()
            .cmd("EXPIREAT")
            .arg(&key)
            .arg(exp.as_secs())
            .arg("GT")
            .ignore();
        let mut connection = self.connection.clone();
        within(
            self.timeout,
            "record a revocation",
            transaction.query_async::<()>(&mut connection),
        )
        .await
    }

    async fn is_revoked(&self, jti: &str) -> Result<bool, Error> {
        jti::check(jti)?;
        let mut command = redis::cmd("EXISTS");
        command.arg(self.revoked_key(jti));
        let mut connection = self.connection.clone();
        let reply: Value = within(
            self.timeout,
            "look up a revocation",
            command.query_async(&mut connection),
        )
        .await?;
        match reply {
            Value::Int(0) => Ok(false),
            Value::Int(1) => Ok(true),
            other => Err(unexpected("a revocation lookup", &other)),
        }
    }

    async fn use_once(&self, jti: &str, exp: NumericDate) -> Result<Use, Error> {
        jti::check(jti)?;
        if exp <= NumericDate::now() {
            return Err(past_exp(exp));
        }
        let mut command = redis::cmd("EVAL");
        command
            .arg(USE_ONCE)
            .arg(2)
            .arg(self.revoked_key(jti))
            .arg(self.used_key(jti))
            .arg(exp.as_secs());
        let mut connection = self.connection.clone();
        let reply: Value = within(
            self.timeout,
            "check and record a use",
            command.query_async(&mut connection),
        )
        .await?;
        match reply {
            Value::Int(1) => Ok(Use::First),
            Value::Int(0) => Ok(Use::Replayed),
            Value::Int(2) => Ok(Use::Revoked),
            other => Err(unexpected("a use", &other)),
        }
    }
}

/// The check of `Mode::Once` in one atomic step: 2 when `KEYS[1]` (the revocation)
/// exists, else 1 when `KEYS[2]` (the use) was set, 0 when it was there already.
const USE_ONCE: &str = "if redis.call('EXISTS', KEYS[1]) == 1 then return 2 end \
if redis.call('SET', KEYS[2], '1', 'NX', 'EXAT', ARGV[1]) then return 1 end \
return 0";

fn past_exp(exp: NumericDate) -> Error {
    Error::new(
        ErrorKind::Expired,
        format!("`exp` {exp} has passed; its `jti` cannot be remembered"),
    )
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &String::from_utf8_lossy(&self.prefix))
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}
