//! `RedisStore` against a real `redis-server` that each test starts on a free loopback
//! port (nothing kept on disk unless the test says so) and stops at its end.
//!
//! Without `redis-server` on `PATH` each test prints "skipped: redis-server not found"
//! and passes; CI sets `JWT_REQUIRE_REDIS=1`, which makes that a failure.

use std::time::{Duration, Instant};

use jwt_core::{ErrorKind, NumericDate};
use jwt_replay::testing::{self, RedisServer};
use jwt_replay::{RedisStore, ReplayGuard, ReplayStore, Use};

const PREFIX: &str = "test:jwt:";

async fn connect(server: &RedisServer) -> RedisStore {
    RedisStore::connect(&server.url(), PREFIX).await.unwrap()
}

/// A plain connection, to look at what the store wrote.
async fn raw(server: &RedisServer) -> redis::aio::MultiplexedConnection {
    redis::Client::open(server.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

async fn query<T: redis::FromRedisValue>(
    connection: &mut redis::aio::MultiplexedConnection,
    command: &mut redis::Cmd,
) -> T {
    command.query_async(connection).await.unwrap()
}

fn in_a_minute() -> NumericDate {
    NumericDate::now() + 60
}

/// Retries `first_use` of fresh `jti`s until one succeeds, within `limit`.
async fn wait_until_answering(store: &RedisStore, limit: Duration) -> Duration {
    let start = Instant::now();
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        match store
            .first_use(&format!("probe-{attempt}"), in_a_minute())
            .await
        {
            Ok(first) => {
                assert!(first);
                return start.elapsed();
            }
            Err(err) => {
                assert_eq!(err.kind(), ErrorKind::Unavailable, "{err}");
                assert!(
                    start.elapsed() < limit,
                    "no recovery within {limit:?}: {err}"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
}

#[tokio::test]
async fn jti_is_accepted_once_across_two_servers() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let one = ReplayGuard::once(connect(&server).await);
    let two = ReplayGuard::once(connect(&server).await);
    let exp = Some(in_a_minute());
    one.check(Some("a1"), exp).await.unwrap();
    let err = two.check(Some("a1"), exp).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Replayed);
    assert_eq!(
        err.to_string(),
        "token replayed: `jti` \"a1\" was used before"
    );
    let err = one.check(Some("a1"), exp).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Replayed);
    two.check(Some("a2"), exp).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_first_uses_on_separate_connections_have_one_winner() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let mut stores = Vec::new();
    for _ in 0..4 {
        stores.push(connect(&server).await);
    }
    let exp = in_a_minute();
    for round in 0..20 {
        let jti = format!("race-{round}");
        let tasks: Vec<_> = (0..32)
            .map(|i| {
                let store = stores[i % stores.len()].clone();
                let jti = jti.clone();
                tokio::spawn(async move { store.first_use(&jti, exp).await.unwrap() })
            })
            .collect();
        let mut winners = 0;
        for task in tasks {
            winners += usize::from(task.await.unwrap());
        }
        assert_eq!(winners, 1, "{jti}");
    }
}

#[tokio::test]
async fn use_once_is_one_step_that_records_nothing_for_a_revoked_jti() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let one = connect(&server).await;
    let two = connect(&server).await;
    let exp = in_a_minute();
    two.revoke("r", exp).await.unwrap();
    assert_eq!(one.use_once("r", exp).await.unwrap(), Use::Revoked);
    assert_eq!(one.use_once("a", exp).await.unwrap(), Use::First);
    assert_eq!(two.use_once("a", exp).await.unwrap(), Use::Replayed);
    let mut raw = raw(&server).await;
    let mut keys: Vec<String> = query(&mut raw, redis::cmd("KEYS").arg("*")).await;
    keys.sort();
    assert_eq!(keys, ["test:jwt:revoked:r", "test:jwt:used:a"]);
    let expires: i64 = query(&mut raw, redis::cmd("EXPIRETIME").arg("test:jwt:used:a")).await;
    assert_eq!(expires, exp.as_secs());
    let err = one.use_once("old", NumericDate::now()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Expired);
}

#[tokio::test]
async fn revocation_is_seen_from_another_connection() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let admin = connect(&server).await;
    let once = ReplayGuard::once(connect(&server).await);
    let revocation = ReplayGuard::revocation_only(connect(&server).await);
    let exp = in_a_minute();

    assert!(!once.store().is_revoked("r1").await.unwrap());
    admin.revoke("r1", exp).await.unwrap();
    assert!(once.store().is_revoked("r1").await.unwrap());
    let err = once.check(Some("r1"), Some(exp)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Revoked);
    assert_eq!(err.to_string(), "token revoked: `jti` \"r1\" is revoked");
    let err = revocation.check(Some("r1"), Some(exp)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Revoked);

    // Refused before its use was recorded: nothing under `used:`.
    let mut raw = raw(&server).await;
    let used: i64 = query(&mut raw, redis::cmd("EXISTS").arg(admin.used_key("r1"))).await;
    assert_eq!(used, 0);

    // Another jti passes both guards; revocation-only lets it through again.
    once.check(Some("r2"), Some(exp)).await.unwrap();
    revocation.check(Some("r2"), Some(exp)).await.unwrap();
    revocation.check(Some("r2"), Some(exp)).await.unwrap();
}

#[tokio::test]
async fn keys_live_under_the_prefix_and_expire_at_exp() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let store = connect(&server).await;
    let mut raw = raw(&server).await;
    let exp = NumericDate::now() + 100;

    assert!(store.first_use("k1", exp).await.unwrap());
    store.revoke("k2", exp).await.unwrap();

    let mut keys: Vec<String> = query(&mut raw, redis::cmd("KEYS").arg("*")).await;
    keys.sort();
    assert_eq!(keys, ["test:jwt:revoked:k2", "test:jwt:used:k1"]);
    for key in &keys {
        let expires: i64 = query(&mut raw, redis::cmd("EXPIRETIME").arg(key)).await;
        assert_eq!(expires, exp.as_secs(), "{key}");
        let ttl: i64 = query(&mut raw, redis::cmd("PTTL").arg(key)).await;
        assert!(0 < ttl && ttl <= 100_000, "{key}: {ttl}");
    }

    // A second revocation keeps the later time, never the earlier.
    store.revoke("k2", exp + 50).await.unwrap();
    store.revoke("k2", exp - 50).await.unwrap();
    let expires: i64 = query(
        &mut raw,
        redis::cmd("EXPIRETIME").arg("test:jwt:revoked:k2"),
    )
    .await;
    assert_eq!(expires, exp.as_secs() + 50);
    // A replayed use does not move the first use's expiry.
    assert!(!store.first_use("k1", exp + 50).await.unwrap());
    let expires: i64 = query(&mut raw, redis::cmd("EXPIRETIME").arg("test:jwt:used:k1")).await;
    assert_eq!(expires, exp.as_secs());

    // Another prefix is another namespace.
    let other = RedisStore::connect(&server.url(), "other:").await.unwrap();
    assert!(other.first_use("k1", exp).await.unwrap());
    assert!(!other.is_revoked("k2").await.unwrap());
}

#[tokio::test]
async fn entries_are_forgotten_at_exp() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let store = connect(&server).await;
    let exp = NumericDate::now() + 2;
    assert!(store.first_use("short", exp).await.unwrap());
    store.revoke("short", exp).await.unwrap();
    assert!(!store.first_use("short", exp).await.unwrap());
    assert!(store.is_revoked("short").await.unwrap());
    let wait = exp.as_secs() - NumericDate::now().as_secs() + 1;
    tokio::time::sleep(Duration::from_secs(wait.unsigned_abs())).await;
    assert!(!store.is_revoked("short").await.unwrap());
    assert!(
        store
            .first_use("short", NumericDate::now() + 60)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn past_exp_and_bad_jti_are_refused_without_a_key() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let store = connect(&server).await;
    let err = store
        .first_use("old", NumericDate::now())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Expired);
    store.revoke("old", NumericDate::now() - 1).await.unwrap();
    let long = "x".repeat(jwt_replay::MAX_JTI_LEN + 1);
    for jti in ["", long.as_str()] {
        let kinds = [
            store
                .first_use(jti, in_a_minute())
                .await
                .unwrap_err()
                .kind(),
            store.revoke(jti, in_a_minute()).await.unwrap_err().kind(),
            store.is_revoked(jti).await.unwrap_err().kind(),
        ];
        assert_eq!(kinds, [ErrorKind::InvalidClaim; 3]);
    }
    // A jti of exactly the bound, with bytes that are not text in most encodings.
    let edge = "é".repeat(jwt_replay::MAX_JTI_LEN / 2);
    assert!(store.first_use(&edge, in_a_minute()).await.unwrap());
    let mut raw = raw(&server).await;
    let size: i64 = query(&mut raw, &mut redis::cmd("DBSIZE")).await;
    assert_eq!(size, 1);
}

#[tokio::test]
async fn a_write_redis_refuses_is_unavailable_not_a_pass() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let guard = ReplayGuard::once(connect(&server).await);
    let mut raw = raw(&server).await;
    // Out of memory under `noeviction`: Redis refuses every write.
    let _: () = query(
        &mut raw,
        redis::cmd("CONFIG").arg("SET").arg("maxmemory").arg(1),
    )
    .await;
    let exp = in_a_minute();
    let err = guard.check(Some("oom"), Some(exp)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains("OOM"), "{err}");
    let err = guard.store().first_use("oom", exp).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    let err = guard.revoke("oom", exp).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);

    let _: () = query(
        &mut raw,
        redis::cmd("CONFIG").arg("SET").arg("maxmemory").arg(0),
    )
    .await;
    guard.check(Some("oom"), Some(exp)).await.unwrap();
}

#[tokio::test]
async fn connecting_to_nothing_is_unavailable_quickly() {
    let url = format!("redis://127.0.0.1:{}/", testing::unused_port());
    let start = Instant::now();
    let err = RedisStore::connect_with_timeout(&url, PREFIX, Duration::from_millis(500))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable, "{err}");
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );

    let err = RedisStore::connect("http://127.0.0.1/", PREFIX)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert_eq!(
        err.to_string(),
        "service unavailable: the redis url is invalid"
    );
}

#[tokio::test]
async fn dead_redis_refuses_quickly_and_service_resumes_after_restart() {
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    let guard = ReplayGuard::once(connect(&server).await);
    let until = in_a_minute();
    let exp = Some(until);
    guard.check(Some("before"), exp).await.unwrap();

    server.kill();
    for jti in ["during-1", "during-2", "before"] {
        let start = Instant::now();
        let err = guard.check(Some(jti), exp).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unavailable, "{err}");
        assert!(
            start.elapsed() < Duration::from_millis(1500),
            "{:?}",
            start.elapsed()
        );
    }
    let err = guard.store().revoke("during-3", until).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);

    server.restart();
    let took = wait_until_answering(guard.store(), Duration::from_secs(5)).await;
    eprintln!("answering again {took:?} after the restart");
    // Refused during the outage, so not recorded: accepted now.
    guard.check(Some("during-1"), exp).await.unwrap();
    let err = guard.check(Some("during-1"), exp).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Replayed);
}

#[tokio::test]
async fn hung_redis_is_unavailable_after_the_timeout_and_recovers() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let timeout = Duration::from_millis(300);
    let store = RedisStore::connect_with_timeout(&server.url(), PREFIX, timeout)
        .await
        .unwrap();
    assert!(store.first_use("h1", in_a_minute()).await.unwrap());

    server.signal("STOP");
    let start = Instant::now();
    let err = store.first_use("h2", in_a_minute()).await.unwrap_err();
    let took = start.elapsed();
    server.signal("CONT");
    assert_eq!(err.kind(), ErrorKind::Unavailable, "{err}");
    assert!(timeout <= took && took < timeout * 3, "{took:?}");

    wait_until_answering(&store, Duration::from_secs(5)).await;
    assert!(!store.first_use("h1", in_a_minute()).await.unwrap());
}

#[tokio::test]
async fn persistent_redis_remembers_used_jtis_across_a_crash() {
    let Some(mut server) = RedisServer::start_persistent() else {
        return;
    };
    let store = connect(&server).await;
    let exp = in_a_minute();
    assert!(store.first_use("kept", exp).await.unwrap());
    store.revoke("gone", exp).await.unwrap();

    server.kill();
    server.restart();
    wait_until_answering(&store, Duration::from_secs(5)).await;
    assert!(!store.first_use("kept", exp).await.unwrap());
    assert!(store.is_revoked("gone").await.unwrap());
}

/// The hazard the crate docs describe: a Redis that restarts without its data accepts
/// every `jti` again. If this starts failing, the docs are wrong.
#[tokio::test]
async fn redis_without_persistence_forgets_used_jtis_on_a_crash() {
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    let store = connect(&server).await;
    let exp = in_a_minute();
    assert!(store.first_use("lost", exp).await.unwrap());
    server.kill();
    server.restart();
    wait_until_answering(&store, Duration::from_secs(5)).await;
    assert!(store.first_use("lost", exp).await.unwrap());
}

/// What Redis itself does with `SET ... NX EXAT <past>`: it answers `OK` and keeps no
/// key. That is why the store refuses a past `exp` itself instead of asking.
#[tokio::test]
async fn redis_keeps_no_key_set_to_expire_in_the_past() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let mut raw = raw(&server).await;
    let past = NumericDate::now().as_secs() - 10;
    for _ in 0..2 {
        let reply: redis::Value = query(
            &mut raw,
            redis::cmd("SET")
                .arg("k")
                .arg(1)
                .arg("NX")
                .arg("EXAT")
                .arg(past),
        )
        .await;
        assert_eq!(reply, redis::Value::Okay);
    }
    let exists: i64 = query(&mut raw, redis::cmd("EXISTS").arg("k")).await;
    assert_eq!(exists, 0);
}
