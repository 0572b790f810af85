//! The paired harness of `jwt-benches` (`../benches/benches/paired/harness.rs`), built in
//! this workspace: jwt-core on aws-lc-rs beside jsonwebtoken on aws-lc-rs.
//!
//! ```text
//! cd benches/aws-lc-peer && cargo bench -- 200
//! ```

#[path = "../../benches/paired/harness.rs"]
mod harness;

fn main() {
    harness::run(include_str!("../Cargo.lock"));
}
