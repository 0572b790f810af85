//! Names the key families this build computes, and its backend, from the cargo features,
//! so that the code says `#[cfg(jwt_rsa)]` once per module edge instead of repeating
//! which features bring a family in.

fn main() {
    let on = |feature: &str| std::env::var_os(format!("CARGO_FEATURE_{feature}")).is_some();
    // `aws-lc-rs` computes every family.
    let aws_lc = on("AWS_LC_RS");
    let families = [
        ("jwt_rsa", on("RSA") || aws_lc),
        ("jwt_ecdsa", on("ECDSA") || aws_lc),
        ("jwt_eddsa", on("EDDSA") || aws_lc),
    ];
    let any = families.iter().any(|(_, enabled)| *enabled);
    let names = families
        .into_iter()
        .chain([("jwt_asymmetric", any), ("jwt_aws_lc", aws_lc)]);
    for (name, enabled) in names {
        println!("cargo::rustc-check-cfg=cfg({name})");
        if enabled {
            println!("cargo::rustc-cfg={name}");
        }
    }
    println!("cargo::rerun-if-changed=build.rs");
}
