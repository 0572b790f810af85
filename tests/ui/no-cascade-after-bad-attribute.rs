use jwt_core::{HmacKey, NumericDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize, jwt_core::Claims)]
#[jwt(iss = "jiankaiwang", leeway = "30")]
struct DbUpdate {
    sub: String,
    exp: NumericDate,
    timestamp: i64,
}

fn policy_of<T: jwt_core::Claims>() -> jwt_core::ClaimsPolicy {
    T::POLICY
}

fn main() {
    let key = HmacKey::hs256(b"-----BEGIN PRIVATE KEY----------END PRIVATE KEY-----").unwrap();
    let claims: Result<DbUpdate, jwt_core::Error> = jwt_core::decode("a.b.c", &key);
    println!("{claims:?} {:?}", policy_of::<DbUpdate>());
    let _ = jwt_core::encode(&claims.unwrap(), &key);
}
