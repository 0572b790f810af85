//! Criterion benchmarks of jwt-core beside jsonwebtoken, jwt-simple, oxitoken, a
//! hand-written floor and raw HMAC, on one claims set (see the `jwt_benches` crate).
//!
//! ```text
//! cargo bench -p jwt-benches --bench compare
//! cargo bench -p jwt-benches --bench compare -- decode/   # one group
//! ```
//!
//! Groups: `decode` and `encode` (one benchmark per contender), `scaling` (decoding with
//! a payload of about 200 B, 2 KiB and 16 KiB, throughput in payload bytes) and
//! `algorithms` (HS384 and HS512). Medians taken minutes apart drift with the machine;
//! for ratios between contenders, use the `paired` benchmark.

use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, Throughput};
use jwt_benches::{Cases, Op, Set, Suite};

/// Forwards each case to a criterion group, named by contender (and parameter).
struct Group<'g, 'c> {
    group: &'g mut BenchmarkGroup<'c, WallTime>,
    param: Option<String>,
}

impl<'a> Cases<'a> for Group<'_, '_> {
    fn case<R>(&mut self, contender: &'static str, run: impl Fn() -> R + 'a) {
        match &self.param {
            Some(param) => self
                .group
                .bench_function(BenchmarkId::new(contender, param), |b| b.iter(&run)),
            None => self.group.bench_function(contender, |b| b.iter(&run)),
        };
    }
}

fn bench(c: &mut Criterion, suite: &Suite) {
    let sets = suite.sets();
    for op in [Op::Decode, Op::Encode] {
        let mut group = c.benchmark_group(op.name());
        let mut cases = Group {
            group: &mut group,
            param: None,
        };
        suite.cases(Set::Main(op), &mut cases);
        group.finish();
    }

    let mut group = c.benchmark_group("scaling");
    for info in sets
        .iter()
        .filter(|info| matches!(info.set, Set::Scaling(_)))
    {
        group.throughput(Throughput::Bytes(
            u64::try_from(info.payload_len).expect("fits"),
        ));
        let mut cases = Group {
            group: &mut group,
            param: Some(info.param.clone()),
        };
        suite.cases(info.set, &mut cases);
    }
    group.finish();

    let mut group = c.benchmark_group("algorithms");
    for info in sets
        .iter()
        .filter(|info| matches!(info.set, Set::Algorithm(..)))
    {
        let Set::Algorithm(alg, op) = info.set else {
            continue;
        };
        let mut cases = Group {
            group: &mut group,
            param: Some(format!("{} {}", alg.name(), op.name())),
        };
        suite.cases(info.set, &mut cases);
    }
    group.finish();
}

fn main() {
    let suite = jwt_benches::check();
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    bench(&mut criterion, &suite);
    criterion.final_summary();
}
