//! `ReplayGuard` over a `MemoryStore` (and a store that cannot answer), with tokens
//! verified by a `jwt_core::Verifier`: one test per refusal and per pass.

use std::sync::Arc;

use jwt_core::{Error, ErrorKind, HmacKey, NumericDate, Validation, Verifier};
use jwt_replay::{MemoryStore, Mode, ReplayGuard, ReplayStore, Use};
use serde_json::{Value, json};

fn key() -> HmacKey {
    HmacKey::hs256(b"a secret of at least thirty-two bytes!").unwrap()
}

fn verifier() -> Verifier {
    Verifier::new(key(), Validation::new().allow_missing_exp())
}

/// Signs `claims`, verifies the token and checks it with `guard`.
async fn present<S: ReplayStore>(guard: &ReplayGuard<S>, claims: &Value) -> Result<(), Error> {
    let token = jwt_core::encode(claims, &key()).unwrap();
    let verified = verifier().decode_with::<Value>(&token)?;
    guard.check_token(&verified).await
}

fn in_a_minute() -> NumericDate {
    NumericDate::now() + 60
}

/// A store that never answers, as an unreachable Redis.
struct Down;

fn down() -> Error {
    Error::new(ErrorKind::Unavailable, "down")
}

impl ReplayStore for Down {
    async fn first_use(&self, _: &str, _: NumericDate) -> Result<bool, Error> {
        Err(down())
    }
    async fn revoke(&self, _: &str, _: NumericDate) -> Result<(), Error> {
        Err(down())
    }
    async fn is_revoked(&self, _: &str) -> Result<bool, Error> {
        Err(down())
    }
}

#[tokio::test]
async fn once_accepts_the_first_use_and_refuses_the_replay() {
    let guard = ReplayGuard::once(MemoryStore::new(10));
    assert_eq!(guard.mode(), Mode::Once);
    let claims = json!({"jti": "t1", "exp": in_a_minute()});
    present(&guard, &claims).await.unwrap();
    let err = present(&guard, &claims).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Replayed);
    assert_eq!(
        err.to_string(),
        "token replayed: `jti` \"t1\" was used before"
    );
    present(&guard, &json!({"jti": "t2", "exp": in_a_minute()}))
        .await
        .unwrap();
}

#[tokio::test]
async fn once_refuses_a_token_without_jti() {
    let guard = ReplayGuard::once(MemoryStore::new(10));
    let err = present(&guard, &json!({"exp": in_a_minute()}))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingClaim);
    assert_eq!(err.claim(), Some(jwt_core::RegisteredClaim::Jti));
    assert!(err.to_string().contains("`jti` is absent"), "{err}");
    assert!(guard.store().is_empty());
}

#[tokio::test]
async fn once_refuses_a_token_without_exp() {
    let guard = ReplayGuard::once(MemoryStore::new(10));
    let err = present(&guard, &json!({"jti": "t1"})).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingClaim);
    assert_eq!(err.claim(), Some(jwt_core::RegisteredClaim::Exp));
    assert!(err.to_string().contains("`exp` is absent"), "{err}");
    assert!(guard.store().is_empty());
}

#[tokio::test]
async fn once_refuses_an_exp_already_past() {
    // The decoder refuses such a token first; the guard does not trust that.
    let guard = ReplayGuard::once(MemoryStore::new(10));
    let err = guard
        .check(Some("t1"), Some(NumericDate::now() - 1))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Expired);
    assert!(guard.store().is_empty());
}

#[tokio::test]
async fn leeway_keeps_a_jti_for_as_long_as_the_token_can_pass() {
    let guard = ReplayGuard::once(MemoryStore::new(10)).leeway(30);
    // Expired a second ago, still inside a verifier's 30 s leeway: remembered.
    let exp = Some(NumericDate::now() - 1);
    guard.check(Some("late"), exp).await.unwrap();
    let err = guard.check(Some("late"), exp).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Replayed);
    // Past the leeway too: refused.
    let err = guard
        .check(Some("later"), Some(NumericDate::now() - 31))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Expired);
}

#[tokio::test]
async fn once_refuses_a_revoked_jti_before_recording_its_use() {
    let guard = ReplayGuard::once(MemoryStore::new(10));
    let exp = in_a_minute();
    guard.revoke("t1", exp).await.unwrap();
    let claims = json!({"jti": "t1", "exp": exp});
    for _ in 0..2 {
        let err = present(&guard, &claims).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Revoked);
        assert_eq!(err.to_string(), "token revoked: `jti` \"t1\" is revoked");
    }
    assert_eq!(guard.store().len(), 1);
}

#[tokio::test]
async fn a_used_jti_revoked_later_is_refused_as_revoked() {
    let guard = ReplayGuard::once(MemoryStore::new(10));
    let exp = in_a_minute();
    let claims = json!({"jti": "t1", "exp": exp});
    present(&guard, &claims).await.unwrap();
    guard.revoke("t1", exp).await.unwrap();
    let err = present(&guard, &claims).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Revoked);
}

#[tokio::test]
async fn guard_revocation_adds_the_leeway() {
    let guard = ReplayGuard::revocation_only(MemoryStore::new(10)).leeway(30);
    // Revoked "until" a second ago, but a verifier with 30 s leeway still accepts it.
    guard.revoke("t1", NumericDate::now() - 1).await.unwrap();
    let err = guard.check(Some("t1"), None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Revoked);
    // Revoking until a time past the leeway records nothing.
    guard.revoke("t2", NumericDate::now() - 31).await.unwrap();
    assert_eq!(guard.store().len(), 1);
}

#[tokio::test]
async fn revocation_only_accepts_repeats_and_refuses_revoked() {
    let guard = ReplayGuard::revocation_only(MemoryStore::new(10));
    assert_eq!(guard.mode(), Mode::RevocationOnly);
    let exp = in_a_minute();
    let claims = json!({"jti": "t1", "exp": exp});
    present(&guard, &claims).await.unwrap();
    present(&guard, &claims).await.unwrap();
    guard.revoke("t1", exp).await.unwrap();
    let err = present(&guard, &claims).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Revoked);
    // It records no use.
    assert_eq!(guard.store().len(), 1);
}

#[tokio::test]
async fn revocation_only_accepts_a_token_without_jti_or_exp() {
    let guard = ReplayGuard::revocation_only(MemoryStore::new(10));
    present(&guard, &json!({"sub": "u1"})).await.unwrap();
    present(&guard, &json!({"jti": "t1"})).await.unwrap();
    assert!(guard.store().is_empty());
}

#[tokio::test]
async fn an_empty_or_too_long_jti_is_refused_as_invalid() {
    let long = "x".repeat(jwt_replay::MAX_JTI_LEN + 1);
    for jti in ["", long.as_str()] {
        let claims = json!({"jti": jti, "exp": in_a_minute()});
        let once = ReplayGuard::once(MemoryStore::new(10));
        let err = present(&once, &claims).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidClaim);
        let revocation = ReplayGuard::revocation_only(MemoryStore::new(10));
        let err = present(&revocation, &claims).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidClaim);
        let err = once.revoke(jti, in_a_minute()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidClaim);
    }
}

#[tokio::test]
async fn a_store_that_cannot_answer_refuses_in_both_modes() {
    let claims = json!({"jti": "t1", "exp": in_a_minute()});
    let err = present(&ReplayGuard::once(Down), &claims)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    let err = present(&ReplayGuard::revocation_only(Down), &claims)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    let err = ReplayGuard::once(Down)
        .revoke("t1", in_a_minute())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
}

#[tokio::test]
async fn a_full_memory_store_refuses_new_tokens_but_still_knows_old_ones() {
    let guard = ReplayGuard::once(MemoryStore::new(2));
    let exp = in_a_minute();
    present(&guard, &json!({"jti": "a", "exp": exp}))
        .await
        .unwrap();
    present(&guard, &json!({"jti": "b", "exp": exp}))
        .await
        .unwrap();
    let err = present(&guard, &json!({"jti": "c", "exp": exp}))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains("2 entries"), "{err}");
    let err = present(&guard, &json!({"jti": "a", "exp": exp}))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Replayed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_checks_of_one_jti_accept_exactly_one() {
    let guard = Arc::new(ReplayGuard::once(MemoryStore::new(10_000)));
    let exp = in_a_minute();
    for round in 0..50 {
        let jti = format!("race-{round}");
        let tasks: Vec<_> = (0..64)
            .map(|_| {
                let guard = Arc::clone(&guard);
                let jti = jti.clone();
                tokio::spawn(async move { guard.check(Some(&jti), Some(exp)).await })
            })
            .collect();
        let mut accepted = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(()) => accepted += 1,
                Err(err) => assert_eq!(err.kind(), ErrorKind::Replayed),
            }
        }
        assert_eq!(accepted, 1, "{jti}");
    }
    assert_eq!(guard.store().len(), 50);
}

#[tokio::test]
async fn guard_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let guard = ReplayGuard::once(MemoryStore::new(1));
    let check = guard.check(Some("t"), Some(in_a_minute()));
    assert_send(&check);
    check.await.unwrap();
}

/// A store with only the three required methods, so that the guard uses the default
/// `use_once`.
struct ThreeMethods(MemoryStore);

impl ReplayStore for ThreeMethods {
    async fn first_use(&self, jti: &str, exp: NumericDate) -> Result<bool, Error> {
        self.0.first_use(jti, exp).await
    }
    async fn revoke(&self, jti: &str, exp: NumericDate) -> Result<(), Error> {
        self.0.revoke(jti, exp).await
    }
    async fn is_revoked(&self, jti: &str) -> Result<bool, Error> {
        self.0.is_revoked(jti).await
    }
}

#[tokio::test]
async fn default_use_once_checks_revocation_then_records() {
    let store = ThreeMethods(MemoryStore::new(10));
    let exp = in_a_minute();
    store.revoke("r", exp).await.unwrap();
    assert_eq!(store.use_once("r", exp).await.unwrap(), Use::Revoked);
    assert_eq!(store.0.len(), 1);
    assert_eq!(store.use_once("a", exp).await.unwrap(), Use::First);
    assert_eq!(store.use_once("a", exp).await.unwrap(), Use::Replayed);

    let guard = ReplayGuard::once(store);
    let err = guard.check(Some("r"), Some(exp)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Revoked);
    let err = guard.check(Some("a"), Some(exp)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Replayed);
    guard.check(Some("b"), Some(exp)).await.unwrap();
}
