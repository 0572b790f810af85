//! The paired harness, shared by `benches/paired.rs` and `aws-lc-peer/benches/paired.rs`:
//! each passes the text of its own workspace's `Cargo.lock`, from which the report takes
//! the libraries' versions. See `benches/paired.rs` for what it measures and how.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use jwt_benches::{Cases, OURS_TYPED, SetInfo, Suite};

/// The default number of rounds.
const DEFAULT_ROUNDS: usize = 300;

/// The default duration of one batch, in microseconds.
const DEFAULT_BATCH_US: u64 = 1500;

/// The default number of slices a batch is timed in.
const DEFAULT_SLICES: u64 = 10;

/// One contender of one set: a slice runs the operation `iterations` times.
struct Case<'a> {
    name: &'static str,
    batch: Box<dyn Fn(u64) + 'a>,
    iterations: u64,
}

impl Case<'_> {
    /// The time of `iterations` operations in a row.
    fn time(&self, iterations: u64) -> Duration {
        let start = Instant::now();
        (self.batch)(black_box(iterations));
        start.elapsed()
    }

    /// One batch: `slices` slices of `self.iterations` operations; the median slice's
    /// ns/op.
    fn batch_ns_per_op(&self, slices: &mut [f64]) -> f64 {
        for slice in slices.iter_mut() {
            *slice = ns(self.time(self.iterations)) / as_f64(self.iterations);
        }
        slices.sort_by(f64::total_cmp);
        slices[slices.len() / 2]
    }
}

/// Collects the cases of a set as batch closures.
struct Collect<'a> {
    cases: Vec<Case<'a>>,
}

impl<'a> Cases<'a> for Collect<'a> {
    fn case<R>(&mut self, contender: &'static str, run: impl Fn() -> R + 'a) {
        self.cases.push(Case {
            name: contender,
            batch: Box::new(move |iterations| {
                for _ in 0..iterations {
                    black_box(run());
                }
            }),
            iterations: 0,
        });
    }
}

/// A set of cases and their measurements.
struct Measured<'a> {
    info: SetInfo,
    cases: Vec<Case<'a>>,
    /// `ns_per_op[case][round]`.
    ns_per_op: Vec<Vec<f64>>,
    /// Allocations and bytes per operation, per case.
    allocations: Vec<(u64, u64)>,
}

impl Measured<'_> {
    fn index_of(&self, name: &str) -> usize {
        self.cases
            .iter()
            .position(|case| case.name == name)
            .unwrap_or_else(|| panic!("the set {} has no {name}", self.info.title))
    }
}

/// Settings from the environment and the command line.
struct Settings {
    rounds: usize,
    batch: Duration,
    slices: u64,
    filter: Option<String>,
}

impl Settings {
    /// `PAIRED_ROUNDS`, `PAIRED_BATCH_US` and `PAIRED_SLICES`, then the arguments: a number is the rounds
    /// (also `--rounds N`), other words filter sets by title, and flags such as the
    /// `--bench` that cargo passes are ignored.
    fn from_env() -> Settings {
        let env_number = |name: &str| {
            std::env::var(name).ok().map(|value| {
                value
                    .trim()
                    .parse::<u64>()
                    .unwrap_or_else(|_| panic!("{name} is not a number: {value}"))
            })
        };
        let mut rounds = env_number("PAIRED_ROUNDS")
            .map_or(DEFAULT_ROUNDS, |n| usize::try_from(n).expect("fits"));
        let batch =
            Duration::from_micros(env_number("PAIRED_BATCH_US").unwrap_or(DEFAULT_BATCH_US));
        let slices = env_number("PAIRED_SLICES").unwrap_or(DEFAULT_SLICES).max(1);
        let mut filter = None;
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            if arg == "--rounds" {
                let value = args.next().expect("--rounds takes a number");
                rounds = value.parse().expect("--rounds takes a number");
            } else if let Some(value) = arg.strip_prefix("--rounds=") {
                rounds = value.parse().expect("--rounds takes a number");
            } else if arg.starts_with('-') {
                // `--bench` and other harness flags.
            } else if let Ok(value) = arg.parse() {
                rounds = value;
            } else {
                filter = Some(arg);
            }
        }
        Settings {
            rounds: rounds.max(1),
            batch,
            slices,
            filter,
        }
    }
}

fn ns(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e9
}

#[allow(
    clippy::cast_precision_loss,
    reason = "iteration counts are far below 2^52"
)]
fn as_f64(n: u64) -> f64 {
    n as f64
}

/// Picks an iteration count for which one slice takes about `target`.
fn calibrate(case: &Case<'_>, target: Duration) -> u64 {
    let mut iterations = 1_u64;
    while case.time(iterations) < target / 8 {
        iterations *= 2;
    }
    let mut estimates: Vec<f64> = (0..5)
        .map(|_| ns(case.time(iterations)) / as_f64(iterations))
        .collect();
    estimates.sort_by(f64::total_cmp);
    let per_op = estimates[estimates.len() / 2];
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a positive count of operations per batch"
    )]
    let count = (ns(target) / per_op).round() as u64;
    count.max(1)
}

/// The `q` quantile (0 to 1) of `values`, by nearest rank.
fn quantile(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "an index into a short vector"
    )]
    let index = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[index]
}

fn median(values: &[f64]) -> f64 {
    quantile(values, 0.5)
}

/// `numerator[r] / denominator[r]` for every round.
fn ratios(numerator: &[f64], denominator: &[f64]) -> Vec<f64> {
    numerator
        .iter()
        .zip(denominator)
        .map(|(n, d)| n / d)
        .collect()
}

fn format_ns(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// The CPU model and the number of processors, from `/proc/cpuinfo`.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| {
            let (key, value) = line.split_once(':')?;
            (key.trim() == "model name").then(|| value.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let processors = cpuinfo
        .lines()
        .filter(|line| {
            line.split(':')
                .next()
                .is_some_and(|key| key.trim() == "processor")
        })
        .count();
    let available = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    format!("{model}, {processors} logical cores ({available} available)")
}

/// Today's date (UTC) as `YYYY-MM-DD`.
fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let days = i64::try_from(secs / 86_400).expect("fits");
    // Civil date from days since 1970-01-01 (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn rustc_version() -> String {
    std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .map_or_else(
            || "rustc (unknown version)".to_owned(),
            |v| v.trim().to_owned(),
        )
}

fn table(set: &Measured<'_>) -> String {
    let reference = set.info.reference;
    let floor = set.index_of(reference);
    let ours = set.index_of(OURS_TYPED);
    let scaling = set.info.title.starts_with("scaling");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "#### {} ({} B token, {} B JSON payload)\n",
        set.info.title, set.info.token_len, set.info.payload_len
    );
    let _ = write!(
        out,
        "| contender | median ns/op | ratio to {reference} (p25–p75) | {OURS_TYPED} speedup over it |"
    );
    if scaling {
        let _ = write!(out, " ns per payload byte |");
    }
    let _ = writeln!(out, " allocations/op | bytes allocated/op |");
    let _ = write!(out, "|---|---:|---:|---:|");
    if scaling {
        let _ = write!(out, "---:|");
    }
    let _ = writeln!(out, "---:|---:|");
    let payload = as_f64(u64::try_from(set.info.payload_len).expect("fits"));
    for (index, case) in set.cases.iter().enumerate() {
        let own = &set.ns_per_op[index];
        let to_floor = ratios(own, &set.ns_per_op[floor]);
        let speedup = ratios(own, &set.ns_per_op[ours]);
        let median_ns = median(own);
        let (count, bytes) = set.allocations[index];
        let _ = write!(
            out,
            "| {} | {} | {:.2} ({:.2}–{:.2}) | {:.2}x |",
            case.name,
            format_ns(median_ns),
            median(&to_floor),
            quantile(&to_floor, 0.25),
            quantile(&to_floor, 0.75),
            median(&speedup),
        );
        if scaling {
            let _ = write!(out, " {:.3} |", median_ns / payload);
        }
        let _ = writeln!(out, " {count} | {bytes} |");
    }
    out
}

/// Calibrates every case, then runs the rounds with allocation counting off; returns
/// the time the rounds took.
fn run_rounds(sets: &mut [Measured<'_>], settings: &Settings) -> Duration {
    let started = Instant::now();
    allocation_counter::opt_out(|| {
        for set in sets.iter_mut() {
            for case in &mut set.cases {
                case.iterations = calibrate(
                    case,
                    settings.batch / u32::try_from(settings.slices).expect("fits"),
                );
            }
            set.ns_per_op = vec![Vec::with_capacity(settings.rounds); set.cases.len()];
        }
        let total = sets.iter().map(|set| set.cases.len()).sum::<usize>();
        eprintln!(
            "paired: {} sets, {total} contenders, {} rounds of ~{:.0} ms",
            sets.len(),
            settings.rounds,
            settings.batch.as_secs_f64() * 1e3 * as_f64(u64::try_from(total).expect("fits"))
        );
        let mut slices = vec![0.0; usize::try_from(settings.slices).expect("fits")];
        for round in 0..settings.rounds {
            for set in sets.iter_mut() {
                let count = set.cases.len();
                for offset in 0..count {
                    let index = (round + offset) % count;
                    let per_op = set.cases[index].batch_ns_per_op(&mut slices);
                    set.ns_per_op[index].push(per_op);
                }
            }
            if (round + 1) % 50 == 0 {
                eprintln!("paired: {} rounds done", round + 1);
            }
        }
    });
    started.elapsed()
}

/// The allocation pass: one operation per case, after one unmeasured run so that
/// lazily built state is not counted.
fn count_allocations(sets: &mut [Measured<'_>]) {
    for set in sets.iter_mut() {
        set.allocations = set
            .cases
            .iter()
            .map(|case| {
                (case.batch)(1);
                let info = allocation_counter::measure(|| (case.batch)(1));
                (info.count_total, info.bytes_total)
            })
            .collect();
    }
}

/// Checks every contender, runs the rounds and prints the report; `lock` is the text of
/// the `Cargo.lock` the bench was built with.
pub fn run(lock: &str) {
    let settings = Settings::from_env();
    let suite: Suite = jwt_benches::check();

    let mut sets: Vec<Measured<'_>> = suite
        .sets()
        .into_iter()
        .filter(|info| {
            settings
                .filter
                .as_deref()
                .is_none_or(|filter| info.title.contains(filter))
        })
        .map(|info| {
            let mut collect = Collect { cases: Vec::new() };
            suite.cases(info.set, &mut collect);
            Measured {
                info,
                cases: collect.cases,
                ns_per_op: Vec::new(),
                allocations: Vec::new(),
            }
        })
        .collect();
    assert!(!sets.is_empty(), "no set matches {:?}", settings.filter);

    let elapsed = run_rounds(&mut sets, &settings);
    count_allocations(&mut sets);

    let versions = jwt_benches::versions(lock);
    println!("### Paired benchmark\n");
    println!("- Machine: {}", machine());
    println!(
        "- Date: {}; {}; {} rounds of ~{} µs per contender (median of {} slices), order \
         rotated each round ({:.0} s)",
        today(),
        rustc_version(),
        settings.rounds,
        settings.batch.as_micros(),
        settings.slices,
        elapsed.as_secs_f64()
    );
    println!("- Libraries: {}", jwt_benches::libraries(&versions));
    println!(
        "- Workload: one set of nine claims (HS256 with a 32-byte key unless the set says \
         otherwise); every decoder reads the same token, signed by jsonwebtoken, and checks \
         `exp`, `nbf`, `iss` and `aud` against the system clock with no leeway. Each \
         contender was first checked to accept that token and refuse one for another \
         audience, an expired one, one not yet valid and one with a bad signature. The floor is serde_json + \
         base64 + hmac by hand, keying the HMAC per call. jwt-simple's `verify_token` and \
         `authenticate` take their options and claims by value, so its rows include a \
         clone of them."
    );
    println!(
        "- Ratios are medians over rounds of per-round ratios: ratio to floor = contender \
         ns / floor ns (lower is faster); speedup = contender ns / {OURS_TYPED} ns \
         (above 1: {OURS_TYPED} is faster)."
    );
    if let Some(note) = jwt_benches::asymmetric_note(&versions) {
        println!("{note}");
    }
    println!();
    for set in &sets {
        println!("{}", table(set));
    }
}
