//! Names the key families this build computes, from the cargo features, so that the
//! code says `#[cfg(jwt_rsa)]` once per module edge instead of repeating which features
//! bring a family in.

fn main() {
    let on = |feature: &str| std::env::var_os(format!("CARGO_FEATURE_{feature}")).is_some();
    let rsa = on("RSA");
    let ecdsa = on("ECDSA");
    let eddsa = on("EDDSA");
    let families = [
        ("jwt_rsa", rsa),
        ("jwt_ecdsa", ecdsa),
        ("jwt_eddsa", eddsa),
        ("jwt_asymmetric", rsa || ecdsa || eddsa),
    ];
    for (name, enabled) in families {
        println!("cargo::rustc-check-cfg=cfg({name})");
        if enabled {
            println!("cargo::rustc-cfg={name}");
        }
    }
    println!("cargo::rerun-if-changed=build.rs");
}
