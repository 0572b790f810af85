#!/usr/bin/env bash
# The clean-build cost of a minimal user crate (a derived or serde claims type, one
# `encode` and one `decode`), per dependency choice:
#
#   jwt-core            jwt-core, default features (HMAC only), with serde
#   jwt-core-asym       jwt-core with `rsa`, `ecdsa`, `eddsa` (RustCrypto), with serde
#   jsonwebtoken        jsonwebtoken 12 with `rust_crypto` (and its default `use_pem`), serde
#
# Each crate is built with `cargo build --release --offline` into a fresh target
# directory, ROUNDS times (default 2), the crates alternating within each round. The
# versions are the workspace's: its Cargo.lock is copied into each crate. Prints one
# line per build and a Markdown table of the medians.
#
#   benches/build-cost/run.sh [ROUNDS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-2}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

make_crate() {
  local name="$1" dependency="$2" source="$3"
  mkdir -p "$work/$name/src"
  cat >"$work/$name/Cargo.toml" <<EOF
[package]
name = "user-$name"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
$dependency
serde = { version = "1", features = ["derive"] }

[workspace]
EOF
  cp "$here/$source" "$work/$name/src/main.rs"
  cp "$root/Cargo.lock" "$work/$name/Cargo.lock"
  cp "$root/rust-toolchain.toml" "$work/$name/rust-toolchain.toml"
}

make_crate jwt-core "jwt-core = { path = \"$root/jwt-core\" }" jwt_core.rs
make_crate jwt-core-asym \
  "jwt-core = { path = \"$root/jwt-core\", features = [\"rsa\", \"ecdsa\", \"eddsa\"] }" \
  jwt_core_asym.rs
make_crate jsonwebtoken \
  "jsonwebtoken = { version = \"12\", features = [\"rust_crypto\"] }" jsonwebtoken.rs

crates=(jwt-core jwt-core-asym jsonwebtoken)
# Fetch nothing during the timed builds, and trim each lock to its crate.
for name in "${crates[@]}"; do
  (cd "$work/$name" && cargo fetch --quiet --offline 2>/dev/null || cargo fetch --quiet)
done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A times counts
for round in $(seq "$rounds"); do
  for name in "${crates[@]}"; do
    target="$work/target-$name-$round"
    start=$(date +%s.%N)
    (cd "$work/$name" && CARGO_TARGET_DIR="$target" cargo build --release --offline 2>"$work/log") \
      || { cat "$work/log" >&2; exit 1; }
    end=$(date +%s.%N)
    seconds=$(echo "$end - $start" | bc)
    compiled=$(grep -c '^ *Compiling ' "$work/log" || true)
    (cd "$work/$name" && CARGO_TARGET_DIR="$target" "$target/release/user-$name" >/dev/null)
    times[$name]+="$seconds "
    counts[$name]=$compiled
    printf 'round %s %-14s %6.1f s, %s crates compiled, load %s\n' \
      "$round" "$name" "$seconds" "$compiled" "$(cut -d' ' -f1 /proc/loadavg)"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
base=$(echo "${times[jsonwebtoken]}" | median)
echo
echo "| user crate | crates compiled | clean release builds | median | ratio to jsonwebtoken |"
echo "|---|---:|---|---:|---:|"
for name in "${crates[@]}"; do
  m=$(echo "${times[$name]}" | median)
  list=$(echo "${times[$name]}" | tr ' ' '\n' | grep -v '^$' | awk '{printf "%s%.1f s", (NR>1 ? ", " : ""), $1}')
  printf '| %s | %s | %s | %.1f s | %.2f |\n' "$name" "${counts[$name]}" "$list" "$m" "$(echo "$m / $base" | bc -l)"
done
