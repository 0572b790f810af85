use jwt_core::Token;

// Only a verified token may reach this function.
fn grant(token: Token<serde_json::Value>) -> bool {
    token.claims()["admin"] == true
}

fn main() {
    let token = "eyJhbGciOiJIUzI1NiJ9.eyJhZG1pbiI6dHJ1ZX0.c2lnbmF0dXJl";
    let unverified = jwt_core::dangerous_unverified_decode::<serde_json::Value>(token).unwrap();
    grant(unverified);
}
