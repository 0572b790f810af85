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
//! request carries the same `Authorization: Bearer` header; after a warm-up, each route
//! gets 2,500 requests per phase from 32 tasks (so at most 32 connections), in 40 rounds
//! whose order alternates (ABBA) to cancel drift: 100,000 requests per route. Every answer must be
//! `200`. Beside requests per second and client-side p50/p99 latencies it reports the
//! server threads' CPU time per request (from `/proc`, Linux), which other processes on a
//! busy machine do not inflate, and, in process, the CPU time of `JwtAuth::verify` and of
//! the bare `Verifier::decode`. Without `--bench` (as `cargo test --benches` runs it) it
//! does a short smoke run.

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

struct Totals {
    requests: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
    /// CPU time of the server's threads during the phases (Linux only).
    server_cpu: Option<Duration>,
}

impl Totals {
    fn new() -> Totals {
        Totals {
            requests: 0,
            elapsed: Duration::ZERO,
            latencies: Vec::new(),
            server_cpu: Some(Duration::ZERO),
        }
    }

    fn add(&mut self, elapsed: Duration, mut latencies: Vec<Duration>, cpu: Option<Duration>) {
        self.requests += latencies.len();
        self.elapsed += elapsed;
        self.latencies.append(&mut latencies);
        self.server_cpu = self.server_cpu.zip(cpu).map(|(total, cpu)| total + cpu);
    }

    /// Server CPU time per request.
    fn server_cpu_per_request(&self) -> Option<Duration> {
        let requests = u32::try_from(self.requests).ok()?;
        Some(self.server_cpu? / requests)
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

/// The server runtime's thread name, by which its CPU time is found in `/proc`.
const SERVER_THREADS: &str = "load-server";

/// User plus system CPU time of this process's threads named `name`, from
/// `/proc/self/task/*/stat` (Linux; `None` elsewhere). Unlike wall time, it does not
/// count the time other processes on a busy machine take from the server.
fn threads_cpu(name: &str) -> Option<Duration> {
    let mut ticks = 0;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let task = task.ok()?.path();
        let comm = std::fs::read_to_string(task.join("comm")).ok()?;
        if comm.trim_end() == name {
            ticks += stat_ticks(&task.join("stat"))?;
        }
    }
    Some(Duration::from_secs_f64(
        count(ticks) / clock_ticks_per_second(),
    ))
}

/// `utime + stime` of one `/proc/.../stat` file, in clock ticks.
fn stat_ticks(path: &std::path::Path) -> Option<usize> {
    let stat = std::fs::read_to_string(path).ok()?;
    // Fields after the command name, which is in parentheses: state is field 3, utime 14
    // and stime 15 (proc(5)).
    let mut fields = stat
        .get(stat.rfind(')')? + 1..)?
        .split_whitespace()
        .skip(11);
    let utime: usize = fields.next()?.parse().ok()?;
    let stime: usize = fields.next()?.parse().ok()?;
    Some(utime + stime)
}

fn clock_ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(100.0)
}

fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

fn main() {
    let full = std::env::args().any(|arg| arg == "--bench");
    let settings = if full {
        Settings {
            phase: 2_500,
            rounds: 40,
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
        .thread_name(SERVER_THREADS)
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
    let (mut with, mut without) = (Totals::new(), Totals::new());
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
            let before = threads_cpu(SERVER_THREADS);
            let (elapsed, latencies) =
                phase(&client, url, &bearer, settings.phase, settings.concurrency).await;
            let cpu = threads_cpu(SERVER_THREADS)
                .zip(before)
                .map(|(after, before)| after.saturating_sub(before));
            totals.add(elapsed, latencies, cpu);
        }
    }

    report(settings, &mut with, &mut without);
    in_process(&bearer, if settings.rounds > 2 { 200_000 } else { 100 });
}

/// CPU time of the calling thread (Linux), else `None`.
fn this_thread_cpu() -> Option<Duration> {
    let ticks = stat_ticks(std::path::Path::new("/proc/thread-self/stat"))?;
    Some(Duration::from_secs_f64(
        count(ticks) / clock_ticks_per_second(),
    ))
}

/// The extractor's own work, without the network: `JwtAuth::verify` (finding the bearer
/// token, verifying and validating it) on one request's headers, in five batches.
/// The output of a future that local keys decide without waiting, polled once.
fn ready<F: Future>(future: F) -> F::Output {
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match std::pin::pin!(future).poll(&mut context) {
        std::task::Poll::Ready(output) => output,
        std::task::Poll::Pending => panic!("local keys decide without waiting"),
    }
}

fn in_process(bearer: &str, batch: usize) {
    let key = jwt_core::HmacKey::hs256(app::SEED_SECRET).expect("the seed's key");
    let auth = jwt_axum::JwtAuth::new(jwt_core::Verifier::new(key, jwt_core::Validation::new()));
    let mut headers = axum::http::HeaderMap::new();
    headers.insert(
        axum::http::header::AUTHORIZATION,
        bearer.parse().expect("a header value"),
    );
    let token = bearer.trim_start_matches("Bearer ");
    let verifier = auth.verifier().expect("local keys").clone();
    let (mut verify, mut decode) = (Vec::new(), Vec::new());
    // Batches of the two alternate, so that both see the same phases of a busy machine.
    for _ in 0..5 {
        verify.push(cpu_per_call(batch, || {
            let claims: app::DbUpdate =
                ready(auth.verify(std::hint::black_box(&headers))).expect("valid");
            std::hint::black_box(claims);
        }));
        decode.push(cpu_per_call(batch, || {
            let claims: app::DbUpdate =
                verifier.decode(std::hint::black_box(token)).expect("valid");
            std::hint::black_box(claims);
        }));
    }
    verify.sort_unstable();
    decode.sort_unstable();
    for (name, times) in [
        (
            "`JwtAuth::verify::<DbUpdate>` on the request's headers",
            verify,
        ),
        ("`Verifier::decode::<DbUpdate>` on the bare token", decode),
    ] {
        println!(
            "in process, {name}: median {:.2} µs of CPU per call (5 batches of {batch}; \
             fastest {:.2} µs)",
            micros(times[2]),
            micros(times[0])
        );
    }
}

/// CPU time per call of `f` over `batch` calls (wall time where `/proc` is missing).
fn cpu_per_call(batch: usize, mut f: impl FnMut()) -> Duration {
    let (started, cpu) = (Instant::now(), this_thread_cpu());
    for _ in 0..batch {
        f();
    }
    let spent = this_thread_cpu().zip(cpu).map_or_else(
        || started.elapsed(),
        |(after, before)| after.saturating_sub(before),
    );
    spent / u32::try_from(batch).expect("a small batch")
}

fn report(settings: &Settings, with: &mut Totals, without: &mut Totals) {
    println!(
        "{} rounds x {} requests per route, {} concurrent connections, 1 server worker thread",
        settings.rounds, settings.phase, settings.concurrency
    );
    println!();
    println!("| route | requests | requests/s | p50 | p99 | server CPU per request |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, totals) in [
        ("`/db/update` with `Jwt<DbUpdate>`", &mut *with),
        ("`/db/update/open`, no extractor", &mut *without),
    ] {
        let (p50, p99) = (totals.percentile(50), totals.percentile(99));
        let cpu = totals
            .server_cpu_per_request()
            .map_or_else(|| "n/a".to_owned(), |cpu| format!("{:.1} µs", micros(cpu)));
        println!(
            "| {name} | {} | {:.0} | {:.0} µs | {:.0} µs | {cpu} |",
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
    if let (Some(with_cpu), Some(without_cpu)) = (
        with.server_cpu_per_request(),
        without.server_cpu_per_request(),
    ) {
        println!(
            "server CPU per request ratio (extractor / no extractor): {:.3}x; \
             the extractor's share: {:.1} µs",
            micros(with_cpu) / micros(without_cpu),
            micros(with_cpu) - micros(without_cpu)
        );
    }
}
