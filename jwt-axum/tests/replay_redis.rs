//! `JwtAuth::replay` with a `RedisStore`, over HTTP and under concurrency: 4 axum servers
//! on loopback, each with its own Redis connection and its own `JwtAuth` and `Router`,
//! share one `redis-server` (`appendonly yes`, `appendfsync always`). 2,000 distinct
//! `jti`s are each sent 10 times, shuffled across the servers (20,000 `GET /once` with
//! HS256 bearer tokens), by one `reqwest` client with 32 requests in flight.
//!
//! - `load`: exactly 2,000 answered `200` and 18,000 `401` with the "token replayed"
//!   challenge; prints throughput and p50/p99 latency per request with and without the
//!   replay check (4 more servers without `.replay`), in alternating batches.
//! - `fault`: Redis is killed with `SIGKILL` after a third of the responses and restarted
//!   on the same port a second later; no `jti` is answered `200` twice, the outage is
//!   answered `503` with `Retry-After` and no challenge, and `200`s resume after the
//!   restart.
//!
//! Without `redis-server` on `PATH` both tests print "skipped" and pass, unless
//! `JWT_REQUIRE_REDIS=1`. Numbers worth quoting come from an optimized build:
//! `cargo test --release -p jwt-axum --features replay --test replay_redis -- --nocapture`.
#![cfg(feature = "replay")]

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{StatusCode, header};
use axum::routing::get;
use jwt_axum::{Jwt, JwtAuth};
use jwt_core::{HmacKey, NumericDate, Validation, Verifier};
use jwt_replay::testing::RedisServer;
use jwt_replay::{RedisStore, ReplayGuard};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::task::JoinSet;

const JTIS: usize = 2_000;
const SENDS: usize = 10;
const SERVERS: usize = 4;
/// Requests in flight at once.
const IN_FLIGHT: usize = 32;
/// Requests per batch when the runs with and without the replay check alternate.
const BATCH: usize = 1_000;
const REPLAYED: &str = r#"Bearer error="invalid_token", error_description="token replayed""#;

/// The two tests measure time and kill Redis: one at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn key() -> HmacKey {
    HmacKey::hs256(b"a secret of at least thirty-two bytes!").unwrap()
}

/// One HS256 token per `jti`, valid for ten minutes.
fn tokens() -> Arc<Vec<String>> {
    let key = key();
    let exp = NumericDate::now() + 600;
    let tokens = (0..JTIS)
        .map(|i| jwt_core::encode(&json!({"jti": format!("http-{i}"), "exp": exp}), &key))
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    Arc::new(tokens)
}

/// One request: which token, to which server.
#[derive(Clone, Copy, Debug)]
struct Send {
    token: usize,
    server: usize,
}

/// Each token index `SENDS` times, in a fixed pseudo-random order (xorshift, Fisher-Yates),
/// dealt to the servers in turn.
fn plan() -> Vec<Send> {
    let mut order: Vec<usize> = (0..JTIS * SENDS).map(|i| i % JTIS).collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in (1..order.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = usize::try_from(state % (i as u64 + 1)).unwrap();
        order.swap(i, j);
    }
    order
        .into_iter()
        .enumerate()
        .map(|(n, token)| Send {
            token,
            server: n % SERVERS,
        })
        .collect()
}

async fn once(Jwt(_claims): Jwt<Value>) -> &'static str {
    "ok"
}

/// Starts `SERVERS` axum servers on `127.0.0.1:0`, each in its own task with its own
/// `JwtAuth` and `Router`, and with its own Redis connection when `redis` is given.
async fn servers(redis: Option<&str>) -> Vec<SocketAddr> {
    let mut addresses = Vec::new();
    for _ in 0..SERVERS {
        let mut auth = JwtAuth::new(Verifier::new(key(), Validation::new()));
        if let Some(url) = redis {
            let store = RedisStore::connect(url, "http:").await.unwrap();
            auth = auth.replay(ReplayGuard::once(store));
        }
        let router = Router::new().route("/once", get(once)).with_state(auth);
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        addresses.push(listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    }
    addresses
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .http1_only()
        .pool_max_idle_per_host(IN_FLIGHT)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// One answered request.
#[derive(Clone, Debug)]
struct Attempt {
    token: usize,
    status: StatusCode,
    challenge: Option<String>,
    retry_after: Option<String>,
    started: Instant,
    took: Duration,
}

impl Attempt {
    fn ends(&self) -> Instant {
        self.started + self.took
    }

    fn is_replayed(&self) -> bool {
        self.status == StatusCode::UNAUTHORIZED && self.challenge.as_deref() == Some(REPLAYED)
    }
}

/// What the requests of one run go to.
#[derive(Clone)]
struct Target {
    client: reqwest::Client,
    urls: Arc<Vec<String>>,
    tokens: Arc<Vec<String>>,
}

impl Target {
    async fn send(&self, send: Send) -> Attempt {
        let started = Instant::now();
        let response = self
            .client
            .get(&self.urls[send.server])
            .bearer_auth(&self.tokens[send.token])
            .send()
            .await
            .unwrap();
        let status = response.status();
        let text = |name| {
            response
                .headers()
                .get(name)
                .map(|value: &header::HeaderValue| value.to_str().unwrap().to_owned())
        };
        let challenge = text(header::WWW_AUTHENTICATE);
        let retry_after = text(header::RETRY_AFTER);
        // Read the body so that the connection goes back to the pool.
        response.bytes().await.unwrap();
        Attempt {
            token: send.token,
            status,
            challenge,
            retry_after,
            started,
            took: started.elapsed(),
        }
    }
}

/// Sends `sends` with `IN_FLIGHT` workers over one client; a request answered `503` is
/// sent again after `retry` (a client honouring `Retry-After`, shortened) when `retry` is
/// set. `answered` counts responses. Returns every attempt and the wall time.
async fn run(
    target: &Target,
    sends: &[Send],
    retry: Option<Duration>,
    answered: &Arc<AtomicUsize>,
) -> (Vec<Attempt>, Duration) {
    let sends: Arc<[Send]> = sends.into();
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut workers = JoinSet::new();
    for _ in 0..IN_FLIGHT {
        let target = target.clone();
        let sends = Arc::clone(&sends);
        let next = Arc::clone(&next);
        let answered = Arc::clone(answered);
        workers.spawn(async move {
            let mut attempts = Vec::new();
            while let Some(&send) = sends.get(next.fetch_add(1, Ordering::Relaxed)) {
                loop {
                    let attempt = target.send(send).await;
                    answered.fetch_add(1, Ordering::Relaxed);
                    let unavailable = attempt.status == StatusCode::SERVICE_UNAVAILABLE;
                    attempts.push(attempt);
                    match retry {
                        Some(retry) if unavailable => tokio::time::sleep(retry).await,
                        _ => break,
                    }
                }
            }
            attempts
        });
    }
    let mut attempts = Vec::with_capacity(sends.len());
    while let Some(done) = workers.join_next().await {
        attempts.extend(done.unwrap());
    }
    (attempts, start.elapsed())
}

fn urls(addresses: &[SocketAddr]) -> Arc<Vec<String>> {
    Arc::new(
        addresses
            .iter()
            .map(|address| format!("http://{address}/once"))
            .collect(),
    )
}

/// Throughput in requests per second and the p50 and p99 latencies.
fn measure(attempts: &[Attempt], wall: Duration) -> (f64, Duration, Duration) {
    let mut latencies: Vec<Duration> = attempts.iter().map(|attempt| attempt.took).collect();
    latencies.sort_unstable();
    let percentile = |percent: usize| latencies[(latencies.len() * percent).div_ceil(100) - 1];
    let count = f64::from(u32::try_from(attempts.len()).unwrap());
    (count / wall.as_secs_f64(), percentile(50), percentile(99))
}

/// How many times each token was answered `200`.
fn accepted_per_token(attempts: &[Attempt]) -> Vec<usize> {
    let mut accepted = vec![0; JTIS];
    for attempt in attempts {
        if attempt.status == StatusCode::OK {
            accepted[attempt.token] += 1;
        }
    }
    accepted
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn load() {
    let _serial = SERIAL.lock().await;
    let Some(redis) = RedisServer::start_persistent() else {
        return;
    };
    let client = client();
    let tokens = tokens();
    let checked = Target {
        client: client.clone(),
        urls: urls(&servers(Some(&redis.url())).await),
        tokens: Arc::clone(&tokens),
    };
    let unchecked = Target {
        client,
        urls: urls(&servers(None).await),
        tokens,
    };
    let plan = plan();
    assert_eq!(plan.len(), JTIS * SENDS);
    let answered = Arc::new(AtomicUsize::new(0));

    // Alternating batches, so that both runs see the same machine.
    let (mut with_check, mut with_check_wall) = (Vec::new(), Duration::ZERO);
    let (mut without, mut without_wall) = (Vec::new(), Duration::ZERO);
    for batch in plan.chunks(BATCH) {
        let (attempts, wall) = run(&checked, batch, None, &answered).await;
        with_check.extend(attempts);
        with_check_wall += wall;
        let (attempts, wall) = run(&unchecked, batch, None, &answered).await;
        without.extend(attempts);
        without_wall += wall;
    }

    assert_eq!(without.len(), JTIS * SENDS);
    assert!(
        without
            .iter()
            .all(|attempt| attempt.status == StatusCode::OK && attempt.challenge.is_none())
    );

    assert_eq!(with_check.len(), JTIS * SENDS);
    let accepted = accepted_per_token(&with_check);
    assert!(accepted.iter().all(|&count| count == 1), "{accepted:?}");
    let ok = with_check
        .iter()
        .filter(|attempt| attempt.status == StatusCode::OK)
        .count();
    let replayed = with_check
        .iter()
        .filter(|attempt| attempt.is_replayed())
        .count();
    assert_eq!(ok, JTIS);
    assert_eq!(replayed, JTIS * (SENDS - 1));
    assert_eq!(
        ok + replayed,
        with_check.len(),
        "answers other than 200 or 401"
    );

    let profile = if cfg!(debug_assertions) {
        "debug build: run with --release for numbers"
    } else {
        "release build"
    };
    eprintln!(
        "load: {} requests per run over HTTP/1 keep-alive, {JTIS} jtis x {SENDS}, \
         {SERVERS} axum servers, {IN_FLIGHT} in flight, batches of {BATCH} alternating ({profile})",
        JTIS * SENDS
    );
    for (name, attempts, wall) in [
        ("jwt only", &without, without_wall),
        ("jwt + redis replay check", &with_check, with_check_wall),
    ] {
        let (throughput, p50, p99) = measure(attempts, wall);
        eprintln!(
            "  {name:<25} {throughput:>8.0} requests/s  p50 {:>7.1} us  p99 {:>7.1} us  wall {:.2} s",
            p50.as_secs_f64() * 1e6,
            p99.as_secs_f64() * 1e6,
            wall.as_secs_f64()
        );
    }
    eprintln!("  with the check: {ok} answered 200, {replayed} answered 401 token replayed");
}

/// When Redis was killed and restarted.
struct Outage {
    /// Just before `SIGKILL` was sent.
    killing: Instant,
    /// Once the process had exited.
    dead: Instant,
    /// Just before the new process was started.
    restarting: Instant,
    /// Once the new process answered `PING`.
    restarted: Instant,
}

/// No jti answered `200` twice; every request finally answered `200` or `401` replayed.
/// Returns how many were accepted and how many jtis were never accepted.
fn check_each_jti_at_most_once(outage: &Outage, attempts: &[Attempt]) -> (usize, usize) {
    let accepted = accepted_per_token(attempts);
    assert!(accepted.iter().all(|&count| count <= 1), "{accepted:?}");
    // A jti whose use Redis recorded but whose answer was lost in the crash is refused
    // from then on: at most one per request in flight, each answered 503 by a request
    // sent before Redis was dead.
    let never_accepted = accepted.iter().filter(|&&count| count == 0).count();
    assert!(never_accepted <= IN_FLIGHT, "{never_accepted}");
    for (token, _) in accepted
        .iter()
        .enumerate()
        .filter(|&(_, &count)| count == 0)
    {
        assert!(
            attempts.iter().any(|attempt| attempt.token == token
                && attempt.status == StatusCode::SERVICE_UNAVAILABLE
                && attempt.started < outage.dead),
            "jti {token} never accepted, yet not in flight when Redis was killed"
        );
    }
    let total = accepted.iter().sum::<usize>();
    assert_eq!(total + never_accepted, JTIS);

    let answers: Vec<&Attempt> = attempts
        .iter()
        .filter(|attempt| attempt.status != StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    assert_eq!(answers.len(), JTIS * SENDS);
    assert!(
        answers
            .iter()
            .all(|attempt| attempt.status == StatusCode::OK || attempt.is_replayed()),
        "answers other than 200, 401 token replayed or 503"
    );
    (total, never_accepted)
}

/// Every request during the outage answered `503` with `Retry-After` and no challenge,
/// and no `503` outside it. Returns the number of `503`s.
fn check_unavailable_during(outage: &Outage, attempts: &[Attempt]) -> usize {
    let unavailable: Vec<&Attempt> = attempts
        .iter()
        .filter(|attempt| attempt.status == StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    assert!(!unavailable.is_empty());
    for attempt in &unavailable {
        assert_eq!(attempt.challenge, None);
        assert_eq!(attempt.retry_after.as_deref(), Some("1"));
        assert!(attempt.ends() >= outage.killing);
        assert!(attempt.started < outage.restarted + Duration::from_secs(2));
    }
    let during: Vec<&Attempt> = attempts
        .iter()
        .filter(|attempt| attempt.started > outage.dead && attempt.ends() < outage.restarting)
        .collect();
    assert!(!during.is_empty());
    assert!(
        during
            .iter()
            .all(|attempt| attempt.status == StatusCode::SERVICE_UNAVAILABLE)
    );
    unavailable.len()
}

/// After the restart, `200`s resume and replays of jtis accepted before the crash are
/// refused. Returns both counts and how long after the new process was started the first
/// answer came.
fn check_recovery(outage: &Outage, attempts: &[Attempt]) -> (usize, usize, Duration) {
    let mut used_before = vec![false; JTIS];
    for attempt in attempts {
        if attempt.status == StatusCode::OK && attempt.ends() < outage.killing {
            used_before[attempt.token] = true;
        }
    }
    let after: Vec<&Attempt> = attempts
        .iter()
        .filter(|attempt| attempt.started >= outage.restarting)
        .collect();
    let accepted = after
        .iter()
        .filter(|attempt| attempt.status == StatusCode::OK)
        .count();
    let old_replays_refused = after
        .iter()
        .filter(|attempt| attempt.is_replayed() && used_before[attempt.token])
        .count();
    assert!(accepted > 0);
    assert!(old_replays_refused > 0);
    let first_answer = after
        .iter()
        .filter(|attempt| attempt.status != StatusCode::SERVICE_UNAVAILABLE)
        .map(|attempt| attempt.ends() - outage.restarting)
        .min()
        .unwrap();
    (accepted, old_replays_refused, first_answer)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fault() {
    let _serial = SERIAL.lock().await;
    let Some(redis) = RedisServer::start_persistent() else {
        return;
    };
    let target = Target {
        client: client(),
        urls: urls(&servers(Some(&redis.url())).await),
        tokens: tokens(),
    };
    let plan = plan();
    let answered = Arc::new(AtomicUsize::new(0));
    let down_for = Duration::from_secs(1);
    let kill_after = JTIS * SENDS / 3;

    // Kills Redis once a third of the responses are in, restarts it after `down_for`.
    let controller = {
        let answered = Arc::clone(&answered);
        tokio::task::spawn_blocking(move || {
            let mut redis = redis;
            while answered.load(Ordering::Relaxed) < kill_after {
                std::thread::sleep(Duration::from_millis(1));
            }
            let killing = Instant::now();
            redis.kill();
            let dead = Instant::now();
            std::thread::sleep(down_for);
            let restarting = Instant::now();
            redis.restart();
            let outage = Outage {
                killing,
                dead,
                restarting,
                restarted: Instant::now(),
            };
            (redis, outage)
        })
    };
    let retry = Some(Duration::from_millis(20));
    let (attempts, wall) = run(&target, &plan, retry, &answered).await;
    let (_redis, outage) = controller.await.unwrap();

    let (accepted, never_accepted) = check_each_jti_at_most_once(&outage, &attempts);
    let unavailable = check_unavailable_during(&outage, &attempts);
    let (accepted_after, old_replays_refused, first_answer) = check_recovery(&outage, &attempts);

    eprintln!(
        "fault: {} requests ({} with retries of 503s) in {:.2} s; redis killed after \
         {kill_after} responses, down {down_for:?}",
        JTIS * SENDS,
        attempts.len(),
        wall.as_secs_f64(),
    );
    eprintln!(
        "  {accepted} answered 200 (each jti at most once; {never_accepted} lost in the crash), \
         {unavailable} answered 503 around the outage, first answer {:.1} ms after starting \
         redis again, then {accepted_after} answered 200 and {old_replays_refused} replays of \
         jtis accepted before the crash answered 401",
        first_answer.as_secs_f64() * 1e3
    );
}
