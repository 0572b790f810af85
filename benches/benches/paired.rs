//! The interleaved paired harness: ratios between contenders that hold on a machine
//! whose speed drifts. The harness itself is `paired/harness.rs`, shared with the bench of
//! `aws-lc-peer/` (jsonwebtoken on aws-lc-rs, a workspace of its own).
//!
//! ```text
//! cargo bench -p jwt-benches --bench paired                 # 300 rounds
//! cargo bench -p jwt-benches --bench paired -- 200          # or PAIRED_ROUNDS=200
//! cargo bench -p jwt-benches --bench paired -- decode       # sets whose title matches
//! ```
//!
//! Each contender's iteration count is calibrated once so that one batch takes about
//! 1.5 ms (`PAIRED_BATCH_US` overrides), then kept fixed. A round runs one batch of every
//! contender of every set, in an order rotated each round, and takes each contender's
//! ns/op in that round and its ratios to the other contenders of its set within that
//! round. A batch is timed as 10 consecutive slices (`PAIRED_SLICES`) and its ns/op is
//! the median slice's, so that a slice in which the scheduler took the core away (other
//! work shares this machine) does not count as the contender's time. The report gives, per set, the median over rounds of each contender's ns/op,
//! of its ratio to the floor (with the 25th and 75th percentiles) and of the typed
//! jwt-core's speedup over it (their ns / our ns), as a markdown table. A speed change of
//! the machine between rounds moves the ns/op but hardly the ratios.
//!
//! Allocations per operation are counted in a separate pass, after the timing, with
//! `allocation-counter`. That crate installs its own global allocator in this binary, so
//! the timing runs with counting switched off (`opt_out`); what remains is a thread-local
//! check per allocation and per free, about 1.6 ns per pair on the reference machine
//! (1 to 2 % of a decode, in proportion to each contender's allocation count).

#[path = "paired/harness.rs"]
mod harness;

fn main() {
    harness::run(include_str!("../../Cargo.lock"));
}
