//! Load over loopback: the `login_server` example's `POST /db/update`, which extracts
//! `Jwt<DbUpdate>`, beside the same route without the extractor, on one server, measured
//! in one run in interleaved phases.
//!
//! ```sh
//! cargo bench -p jwt-axum --bench load
//! ```
//!
//! The server runs on a Tokio runtime with one worker thread and the client (`reqwest`,
//! HTTP/1.1 keep-alive) on another, so that each has a core of a two-core machine. Every
//! request carries the same `Authorization: Bearer` header; each route gets `PHASE`
//! requests per phase from `CONCURRENCY` tasks (so at most that many connections), in
//! `ROUNDS` rounds whose order alternates (ABBA) to cancel drift. Every answer must be
//! `200`. Without `--bench` (as `cargo test --benches` runs it) it does a short smoke run.

#[allow(dead_code, reason = "the example's module; the bench uses part of it")]
#[path = "../examples/login_server/app.rs"]
mod app;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Json;
use axum::routing::post;
use reqwest::{Client, StatusCode};

/// The route without the extractor: same method, same header sent, a JSON answer of the
/// same shape.
async fn open_update() -> Json<app::Updated> {
    Json(app::Updated {
        subject: "anonymous".to_owned(),
    })
}

struct Settings {
    phase: usize,
    rounds: usize,
    concurrency: usize,
    warm_up: usize,
}

#[derive(Default)]
struct Totals {
    requests: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Totals {
    fn add(&mut self, elapsed: Duration, mut latencies: Vec<Duration>) {
        self.requests += latencies.len();
        self.elapsed += elapsed;
        self.latencies.append(&mut latencies);
    }

    fn per_second(&self) -> f64 {
        count(self.requests) / self.elapsed.as_secs_f64()
    }

    /// The latency at `percent` (nearest rank).
    fn percentile(&mut self, percent: usize) -> Duration {
        self.latencies.sort_unstable();
        let last = self.latencies.len() - 1;
        self.latencies[(last * percent + 50) / 100]
    }
}

#[allow(clippy::cast_precision_loss, reason = "request counts far below 2^52")]
fn count(n: usize) -> f64 {
    n as f64
}

/// `n` requests to `url` from `concurrency` tasks; the phase's wall time and every
/// request's latency.
async fn phase(
    client: &Client,
    url: &str,
    bearer: &str,
    n: usize,
    concurrency: usize,
) -> (Duration, Vec<Duration>) {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let (client, url, bearer, next) = (
            client.clone(),
            url.to_owned(),
            bearer.to_owned(),
            next.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while next.fetch_add(1, Ordering::Relaxed) < n {
                let sent = Instant::now();
                let response = client
                    .post(&url)
                    .header("authorization", &bearer)
                    .send()
                    .await
                    .expect("the server answers");
                assert_eq!(response.status(), StatusCode::OK, "{url}");
                response.bytes().await.expect("a body");
                latencies.push(sent.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::with_capacity(n);
    for task in tasks {
        latencies.extend(task.await.expect("a client task"));
    }
    (started.elapsed(), latencies)
}

fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

fn main() {
    let full = std::env::args().any(|arg| arg == "--bench");
    let settings = if full {
        Settings {
            phase: 2_500,
            rounds: 8,
            concurrency: 32,
            warm_up: 2_000,
        }
    } else {
        Settings {
            phase: 50,
            rounds: 2,
            concurrency: 4,
            warm_up: 10,
        }
    };

    let dir = tempfile::tempdir().expect("a temporary directory");
    let (state, _) = app::AppState::open(&dir.path().join("users.sqlite3"), app::SEED_SECRET)
        .expect("the users database");
    let router = app::routes()
        .route("/db/update/open", post(open_update))
        .with_state(state);

    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("the server's runtime");
    let listener = server
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("its address"));
    server.spawn(async move { axum::serve(listener, router).await });

    let client_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("the client's runtime");
    client_runtime.block_on(measure(&base, &settings));
}

/// Logs in, warms up, then runs the interleaved phases and prints the results.
async fn measure(base: &str, settings: &Settings) {
    let client = Client::builder()
        .pool_max_idle_per_host(settings.concurrency)
        .build()
        .expect("a client");
    let issued: app::Issued = client
        .post(format!("{base}/login"))
        .json(&serde_json::json!({
            "username": app::DEMO_USER,
            "password": app::DEMO_PASSWORD,
        }))
        .send()
        .await
        .expect("login answers")
        .json()
        .await
        .expect("a token");
    let bearer = format!("Bearer {}", issued.token);
    let checked = format!("{base}/db/update");
    let open = format!("{base}/db/update/open");

    for url in [&checked, &open] {
        phase(
            &client,
            url,
            &bearer,
            settings.warm_up,
            settings.concurrency,
        )
        .await;
    }
    let (mut with, mut without) = (Totals::default(), Totals::default());
    for round in 0..settings.rounds {
        let order = if round % 2 == 0 {
            [true, false]
        } else {
            [false, true]
        };
        for extract in order {
            let (url, totals) = if extract {
                (&checked, &mut with)
            } else {
                (&open, &mut without)
            };
            let (elapsed, latencies) =
                phase(&client, url, &bearer, settings.phase, settings.concurrency).await;
            totals.add(elapsed, latencies);
        }
    }

    report(settings, &mut with, &mut without);
}

fn report(settings: &Settings, with: &mut Totals, without: &mut Totals) {
    println!(
        "{} rounds x {} requests per route, {} concurrent connections, 1 server worker thread",
        settings.rounds, settings.phase, settings.concurrency
    );
    println!();
    println!("| route | requests | requests/s | p50 | p99 |");
    println!("|---|---:|---:|---:|---:|");
    for (name, totals) in [
        ("`/db/update` with `Jwt<DbUpdate>`", &mut *with),
        ("`/db/update/open`, no extractor", &mut *without),
    ] {
        let (p50, p99) = (totals.percentile(50), totals.percentile(99));
        println!(
            "| {name} | {} | {:.0} | {:.0} µs | {:.0} µs |",
            totals.requests,
            totals.per_second(),
            micros(p50),
            micros(p99)
        );
    }
    let (with_rate, without_rate) = (with.per_second(), without.per_second());
    println!();
    println!(
        "throughput ratio (no extractor / extractor): {:.3}x; p50 ratio: {:.3}x; \
         extra time per request at this concurrency: {:.1} µs",
        without_rate / with_rate,
        micros(with.percentile(50)) / micros(without.percentile(50)),
        (1.0 / with_rate - 1.0 / without_rate) * 1e6
    );
}
