//! Names the key families this build computes, from the cargo features, so that the
//! code says `#[cfg(jwt_rsa)]` once per module edge instead of repeating which features
//! bring a family in.

fn main() {
    let on = |feature: &str| std::env::var_os(format!("CARGO_FEATURE_{feature}")).is_some();
    let families = [
        ("jwt_rsa", on("RSA")),
        ("jwt_ecdsa", on("ECDSA")),
        ("jwt_eddsa", on("EDDSA")),
    ];
    let any = families.iter().any(|(_, enabled)| *enabled);
    for (name, enabled) in families.into_iter().chain([("jwt_asymmetric", any)]) {
        println!("cargo::rustc-check-cfg=cfg({name})");
        if enabled {
            println!("cargo::rustc-cfg={name}");
        }
    }
    println!("cargo::rerun-if-changed=build.rs");
}
