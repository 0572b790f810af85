//! Load and fault test: 4 verifiers, each with its own Redis connection and its own
//! `Verifier`, share one `redis-server`; 2,000 distinct `jti`s are each sent 10 times,
//! shuffled across the verifiers (20,000 verifications of HS256 tokens).
//!
//! - `load`: exactly 2,000 accepted and 18,000 refused as replayed; prints throughput and
//!   p99 latency per verification with and without the replay check.
//! - `fault`: Redis (persisting with `appendfsync always`) is killed with `SIGKILL` a third
//!   of the way through and restarted on the same port a second later; no `jti` is ever
//!   accepted twice, every check during the outage is refused as unavailable, and
//!   verification resumes after the restart.
//!
//! Numbers worth quoting come from an optimized build:
//! `cargo test --release -p jwt-replay --test load_fault -- --nocapture --test-threads=1`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use jwt_core::{ErrorKind, HmacKey, NumericDate, Validation, Verifier};
use jwt_replay::testing::RedisServer;
use jwt_replay::{RedisStore, ReplayGuard};
use serde_json::{Value, json};

const JTIS: usize = 2_000;
const SENDS: usize = 10;
const VERIFIERS: usize = 4;

fn key() -> HmacKey {
    HmacKey::hs256(b"a secret of at least thirty-two bytes!").unwrap()
}

/// One HS256 token per `jti`, valid for ten minutes.
fn tokens() -> Arc<Vec<String>> {
    let key = key();
    let exp = NumericDate::now() + 600;
    let tokens = (0..JTIS)
        .map(|i| jwt_core::encode(&json!({"jti": format!("load-{i}"), "exp": exp}), &key))
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    Arc::new(tokens)
}

/// Each token index `SENDS` times, in a fixed pseudo-random order (xorshift, Fisher-Yates),
/// dealt to the verifiers in turn.
fn plan() -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..JTIS * SENDS).map(|i| i % JTIS).collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in (1..order.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = usize::try_from(state % (i as u64 + 1)).unwrap();
        order.swap(i, j);
    }
    let mut dealt = vec![Vec::new(); VERIFIERS];
    for (n, index) in order.into_iter().enumerate() {
        dealt[n % VERIFIERS].push(index);
    }
    dealt
}

/// One attempt at verifying a token.
#[derive(Clone, Copy, Debug)]
struct Attempt {
    token: usize,
    outcome: Result<(), ErrorKind>,
    started: Instant,
    took: Duration,
}

/// A verifier: its own key binding, and its own store connection when it checks replay.
struct Server {
    verifier: Verifier,
    guard: Option<ReplayGuard<RedisStore>>,
}

impl Server {
    async fn new(redis: Option<&str>) -> Server {
        let guard = match redis {
            Some(url) => Some(ReplayGuard::once(
                RedisStore::connect(url, "load:").await.unwrap(),
            )),
            None => None,
        };
        Server {
            verifier: Verifier::new(key(), Validation::new()),
            guard,
        }
    }

    async fn verify(&self, token: &str) -> Result<(), ErrorKind> {
        let verified = self
            .verifier
            .decode_with::<Value>(token)
            .map_err(|err| err.kind())?;
        match &self.guard {
            Some(guard) => guard.check_token(&verified).await.map_err(|err| err.kind()),
            None => Ok(()),
        }
    }
}

/// Runs every verifier's share of `plan` concurrently, each verifier one request at a
/// time; a request refused as unavailable is sent again after `retry` (a client retrying a
/// 503) when `retry` is set. Returns every attempt and the wall time.
async fn run(
    redis: Option<&str>,
    plan: &[Vec<usize>],
    retry: Option<Duration>,
    answered: &Arc<AtomicUsize>,
) -> (Vec<Attempt>, Duration) {
    let tokens = tokens();
    let mut servers = Vec::new();
    for _ in 0..VERIFIERS {
        servers.push(Server::new(redis).await);
    }
    let start = Instant::now();
    let tasks: Vec<_> = servers
        .into_iter()
        .zip(plan.iter().cloned())
        .map(|(server, share)| {
            let tokens = Arc::clone(&tokens);
            let answered = Arc::clone(answered);
            tokio::spawn(async move {
                let mut attempts = Vec::with_capacity(share.len());
                for token in share {
                    loop {
                        let started = Instant::now();
                        let outcome = server.verify(&tokens[token]).await;
                        let took = started.elapsed();
                        attempts.push(Attempt {
                            token,
                            outcome,
                            started,
                            took,
                        });
                        match (outcome, retry) {
                            (Err(ErrorKind::Unavailable), Some(retry)) => {
                                tokio::time::sleep(retry).await;
                            }
                            _ => break,
                        }
                    }
                    answered.fetch_add(1, Ordering::Relaxed);
                }
                attempts
            })
        })
        .collect();
    let mut attempts = Vec::new();
    for task in tasks {
        attempts.extend(task.await.unwrap());
    }
    (attempts, start.elapsed())
}

/// Throughput in verifications per second and the p50 and p99 latencies.
fn measure(attempts: &[Attempt], wall: Duration) -> (f64, Duration, Duration) {
    let mut latencies: Vec<Duration> = attempts.iter().map(|attempt| attempt.took).collect();
    latencies.sort_unstable();
    let percentile = |percent: usize| latencies[(latencies.len() * percent).div_ceil(100) - 1];
    let count = f64::from(u32::try_from(attempts.len()).unwrap());
    (count / wall.as_secs_f64(), percentile(50), percentile(99))
}

/// How many times each token was accepted.
fn accepted_per_token(attempts: &[Attempt]) -> Vec<usize> {
    let mut accepted = vec![0; JTIS];
    for attempt in attempts {
        if attempt.outcome.is_ok() {
            accepted[attempt.token] += 1;
        }
    }
    accepted
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn load() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let plan = plan();
    assert_eq!(plan.iter().map(Vec::len).sum::<usize>(), JTIS * SENDS);
    let answered = Arc::new(AtomicUsize::new(0));

    let (unchecked, unchecked_wall) = run(None, &plan, None, &answered).await;
    assert!(unchecked.iter().all(|attempt| attempt.outcome.is_ok()));

    let url = server.url();
    let (checked, checked_wall) = run(Some(&url), &plan, None, &answered).await;
    assert_eq!(checked.len(), JTIS * SENDS);
    let accepted = accepted_per_token(&checked);
    assert!(accepted.iter().all(|&count| count == 1), "{accepted:?}");
    let replayed = checked
        .iter()
        .filter(|attempt| attempt.outcome == Err(ErrorKind::Replayed))
        .count();
    assert_eq!(accepted.iter().sum::<usize>(), JTIS);
    assert_eq!(replayed, JTIS * (SENDS - 1));

    let profile = if cfg!(debug_assertions) {
        "debug build: run with --release for numbers"
    } else {
        "release build"
    };
    eprintln!(
        "load: {} verifications, {JTIS} jtis x {SENDS}, {VERIFIERS} verifiers ({profile})",
        JTIS * SENDS
    );
    for (name, attempts, wall) in [
        ("verify only", &unchecked, unchecked_wall),
        ("verify + redis replay check", &checked, checked_wall),
    ] {
        let (throughput, p50, p99) = measure(attempts, wall);
        eprintln!(
            "  {name:<28} {throughput:>9.0} verifications/s  p50 {:>7.1} us  p99 {:>7.1} us  wall {:.2} s",
            p50.as_secs_f64() * 1e6,
            p99.as_secs_f64() * 1e6,
            wall.as_secs_f64()
        );
    }
    eprintln!("  accepted {JTIS}, replayed {replayed}");
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

/// No jti accepted twice; every request finally answered as accepted or replayed.
/// Returns how many were accepted and how many jtis were never accepted.
fn check_each_jti_at_most_once(attempts: &[Attempt]) -> (usize, usize) {
    let accepted = accepted_per_token(attempts);
    assert!(accepted.iter().all(|&count| count <= 1), "{accepted:?}");
    // A jti whose use Redis recorded but whose answer was lost in the crash is refused
    // from then on: at most one per verifier, since each has one request in flight.
    let never_accepted = accepted.iter().filter(|&&count| count == 0).count();
    assert!(never_accepted <= VERIFIERS, "{never_accepted}");
    let total = accepted.iter().sum::<usize>();
    assert_eq!(total + never_accepted, JTIS);

    let answers: Vec<&Attempt> = attempts
        .iter()
        .filter(|attempt| attempt.outcome != Err(ErrorKind::Unavailable))
        .collect();
    assert_eq!(answers.len(), JTIS * SENDS);
    assert!(
        answers
            .iter()
            .all(|attempt| matches!(attempt.outcome, Ok(()) | Err(ErrorKind::Replayed)))
    );
    (total, never_accepted)
}

/// Every check during the outage refused as unavailable, and no such refusal outside it.
/// Returns the number of refusals.
fn check_refusals_during(outage: &Outage, attempts: &[Attempt]) -> usize {
    let ends = |attempt: &Attempt| attempt.started + attempt.took;
    let during: Vec<&Attempt> = attempts
        .iter()
        .filter(|attempt| attempt.started > outage.dead && ends(attempt) < outage.restarting)
        .collect();
    assert!(!during.is_empty());
    assert!(
        during
            .iter()
            .all(|attempt| attempt.outcome == Err(ErrorKind::Unavailable))
    );
    let refusals: Vec<&Attempt> = attempts
        .iter()
        .filter(|attempt| attempt.outcome == Err(ErrorKind::Unavailable))
        .collect();
    assert!(refusals.iter().all(|attempt| {
        ends(attempt) >= outage.killing
            && attempt.started < outage.restarted + Duration::from_secs(2)
    }));
    refusals.len()
}

/// After the restart, jtis are accepted again and replays of jtis used before the crash
/// are refused. Returns both counts and how long after the new process was started the
/// first answer came.
fn check_recovery(outage: &Outage, attempts: &[Attempt]) -> (usize, usize, Duration) {
    let ends = |attempt: &Attempt| attempt.started + attempt.took;
    let mut used_before = vec![false; JTIS];
    for attempt in attempts {
        if attempt.outcome.is_ok() && ends(attempt) < outage.killing {
            used_before[attempt.token] = true;
        }
    }
    let after: Vec<&Attempt> = attempts
        .iter()
        .filter(|attempt| attempt.started >= outage.restarting)
        .collect();
    let accepted = after
        .iter()
        .filter(|attempt| attempt.outcome.is_ok())
        .count();
    let old_replays_refused = after
        .iter()
        .filter(|attempt| attempt.outcome == Err(ErrorKind::Replayed) && used_before[attempt.token])
        .count();
    assert!(accepted > 0);
    assert!(old_replays_refused > 0);
    let first_answer = after
        .iter()
        .filter(|attempt| attempt.outcome != Err(ErrorKind::Unavailable))
        .map(|attempt| ends(attempt) - outage.restarting)
        .min()
        .unwrap();
    (accepted, old_replays_refused, first_answer)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fault() {
    let Some(server) = RedisServer::start_persistent() else {
        return;
    };
    let url = server.url();
    let plan = plan();
    let answered = Arc::new(AtomicUsize::new(0));
    let down_for = Duration::from_secs(1);
    let kill_after = JTIS * SENDS / 3;

    // Kills Redis once a third of the requests are answered, restarts it after `down_for`.
    let controller = {
        let answered = Arc::clone(&answered);
        tokio::task::spawn_blocking(move || {
            let mut server = server;
            while answered.load(Ordering::Relaxed) < kill_after {
                std::thread::sleep(Duration::from_millis(1));
            }
            let killing = Instant::now();
            server.kill();
            let dead = Instant::now();
            std::thread::sleep(down_for);
            let restarting = Instant::now();
            server.restart();
            let outage = Outage {
                killing,
                dead,
                restarting,
                restarted: Instant::now(),
            };
            (server, outage)
        })
    };
    let retry = Some(Duration::from_millis(20));
    let (attempts, wall) = run(Some(&url), &plan, retry, &answered).await;
    let (_server, outage) = controller.await.unwrap();

    let (accepted, never_accepted) = check_each_jti_at_most_once(&attempts);
    let refusals = check_refusals_during(&outage, &attempts);
    let (accepted_after, old_replays_refused, first_answer) = check_recovery(&outage, &attempts);

    eprintln!(
        "fault: {} verifications in {:.2} s; redis killed after {kill_after} answers, \
         down {down_for:?}",
        JTIS * SENDS,
        wall.as_secs_f64(),
    );
    eprintln!(
        "  accepted {accepted} (each jti at most once; {never_accepted} lost in the crash), \
         {refusals} unavailable refusals during the outage, first answer {:.1} ms after \
         starting redis again, then {accepted_after} accepted and {old_replays_refused} replays of \
         jtis used before the crash refused",
        first_answer.as_secs_f64() * 1e3
    );
}
