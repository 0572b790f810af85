//! [`MemoryStore`]: used and revoked `jti`s in this process, bounded.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use jwt_core::{Error, ErrorKind, NumericDate};

use crate::{ReplayStore, Use, jti};

/// Used and revoked `jti`s, held in this process until their `exp`.
///
/// For a single server, and for tests; servers that share tokens share a
/// [`RedisStore`](crate::RedisStore) instead.
///
/// It holds at most `max_entries` entries (a used `jti` and a revoked `jti` are one each).
/// When it is full, it first forgets the entries whose `exp` has passed; if every entry
/// is still live it refuses to record one more, with [`ErrorKind::Unavailable`] (and the
/// guard refuses the token), rather than forget a live entry and let its token be
/// replayed. Size `max_entries` for the number of tokens issued per token lifetime. A
/// `jti` is at most [`MAX_JTI_LEN`](crate::MAX_JTI_LEN) bytes, so an entry takes at most
/// a few hundred bytes.
///
/// Every operation takes a lock for `O(log n)` work, plus the removal of entries that
/// have expired since the last operation (each entry is removed once).
///
/// ```
/// use jwt_core::{ErrorKind, NumericDate};
/// use jwt_replay::{MemoryStore, ReplayStore};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), jwt_core::Error> {
/// let store = MemoryStore::new(2);
/// let exp = NumericDate::now() + 60;
/// assert!(store.first_use("a", exp).await?);
/// assert!(!store.first_use("a", exp).await?);
/// store.revoke("b", exp).await?;
/// assert!(store.is_revoked("b").await?);
/// // Full of live entries: refused, not evicted.
/// let err = store.first_use("c", exp).await.unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Unavailable);
/// # Ok(())
/// # }
/// ```
pub struct MemoryStore {
    max_entries: usize,
    entries: Mutex<Entries>,
}

/// What an entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Used,
    Revoked,
}

/// The entries by `jti` for lookups, and by `exp` for forgetting them in order.
#[derive(Default)]
struct Entries {
    used: HashMap<Arc<str>, i64>,
    revoked: HashMap<Arc<str>, i64>,
    by_exp: BTreeSet<(i64, Kind, Arc<str>)>,
}

impl Entries {
    /// Forgets every entry whose `exp` is not after `now`.
    fn purge(&mut self, now: i64) {
        while self.by_exp.first().is_some_and(|(exp, _, _)| *exp <= now) {
            if let Some((_, kind, jti)) = self.by_exp.pop_first() {
                match kind {
                    Kind::Used => self.used.remove(&jti),
                    Kind::Revoked => self.revoked.remove(&jti),
                };
            }
        }
    }

    fn len(&self) -> usize {
        self.by_exp.len()
    }
}

impl MemoryStore {
    /// A store that holds at most `max_entries` live entries.
    pub fn new(max_entries: usize) -> MemoryStore {
        MemoryStore {
            max_entries,
            entries: Mutex::new(Entries::default()),
        }
    }

    /// The bound given to [`new`](MemoryStore::new).
    pub fn max_entries(&self) -> usize {
        self.max_entries
    }

    /// How many live entries the store holds.
    pub fn len(&self) -> usize {
        let mut entries = self.lock();
        entries.purge(NumericDate::now().as_secs());
        entries.len()
    }

    /// Whether the store holds no live entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, Entries> {
        // No operation can panic half-way through a change, so a poisoned lock still
        // guards consistent entries.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn full(&self) -> Error {
        Error::new(
            ErrorKind::Unavailable,
            format!(
                "the replay store holds {} entries that have not expired, its limit",
                self.max_entries
            ),
        )
    }

    fn first_use_at(&self, jti: &str, exp: NumericDate, now: i64) -> Result<bool, Error> {
        let exp = checked(jti, exp, now)?;
        let mut entries = self.lock();
        entries.purge(now);
        self.record_use(&mut entries, jti, exp)
    }

    fn use_once_at(&self, jti: &str, exp: NumericDate, now: i64) -> Result<Use, Error> {
        let exp = checked(jti, exp, now)?;
        // Both steps under one lock: a revocation cannot land between them.
        let mut entries = self.lock();
        entries.purge(now);
        if entries.revoked.contains_key(jti) {
            return Ok(Use::Revoked);
        }
        Ok(if self.record_use(&mut entries, jti, exp)? {
            Use::First
        } else {
            Use::Replayed
        })
    }

    /// Records a use of `jti` in purged `entries`: `true` the first time.
    fn record_use(&self, entries: &mut Entries, jti: &str, exp: i64) -> Result<bool, Error> {
        if entries.used.contains_key(jti) {
            return Ok(false);
        }
        if entries.len() >= self.max_entries {
            return Err(self.full());
        }
        let jti: Arc<str> = Arc::from(jti);
        entries.used.insert(Arc::clone(&jti), exp);
        entries.by_exp.insert((exp, Kind::Used, jti));
        Ok(true)
    }

    fn revoke_at(&self, jti: &str, exp: NumericDate, now: i64) -> Result<(), Error> {
        jti::check(jti)?;
        let exp = exp.as_secs();
        if exp <= now {
            return Ok(());
        }
        let mut entries = self.lock();
        entries.purge(now);
        let jti = match entries.revoked.get_key_value(jti) {
            Some((_, &old)) if old >= exp => return Ok(()),
            Some((jti, &old)) => {
                let jti = Arc::clone(jti);
                entries
                    .by_exp
                    .remove(&(old, Kind::Revoked, Arc::clone(&jti)));
                jti
            }
            None => {
                if entries.len() >= self.max_entries {
                    return Err(self.full());
                }
                Arc::from(jti)
            }
        };
        entries.revoked.insert(Arc::clone(&jti), exp);
        entries.by_exp.insert((exp, Kind::Revoked, jti));
        Ok(())
    }

    fn is_revoked_at(&self, jti: &str, now: i64) -> Result<bool, Error> {
        jti::check(jti)?;
        let mut entries = self.lock();
        entries.purge(now);
        Ok(entries.revoked.contains_key(jti))
    }
}

/// A valid `jti` and an `exp` after `now`, as seconds.
fn checked(jti: &str, exp: NumericDate, now: i64) -> Result<i64, Error> {
    jti::check(jti)?;
    let exp = exp.as_secs();
    if exp <= now {
        return Err(past_exp(exp));
    }
    Ok(exp)
}

fn past_exp(exp: i64) -> Error {
    Error::new(
        ErrorKind::Expired,
        format!("`exp` {exp} has passed; its `jti` cannot be remembered"),
    )
}

impl ReplayStore for MemoryStore {
    async fn first_use(&self, jti: &str, exp: NumericDate) -> Result<bool, Error> {
        self.first_use_at(jti, exp, NumericDate::now().as_secs())
    }

    async fn revoke(&self, jti: &str, exp: NumericDate) -> Result<(), Error> {
        self.revoke_at(jti, exp, NumericDate::now().as_secs())
    }

    async fn is_revoked(&self, jti: &str) -> Result<bool, Error> {
        self.is_revoked_at(jti, NumericDate::now().as_secs())
    }

    async fn use_once(&self, jti: &str, exp: NumericDate) -> Result<Use, Error> {
        self.use_once_at(jti, exp, NumericDate::now().as_secs())
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entries = self.lock();
        f.debug_struct("MemoryStore")
            .field("max_entries", &self.max_entries)
            .field("used", &entries.used.len())
            .field("revoked", &entries.revoked.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn at(secs: i64) -> NumericDate {
        NumericDate::from_secs(secs)
    }

    #[test]
    fn jti_is_accepted_once_until_its_exp() {
        let store = MemoryStore::new(10);
        assert!(store.first_use_at("a", at(NOW + 10), NOW).unwrap());
        assert!(!store.first_use_at("a", at(NOW + 10), NOW).unwrap());
        assert!(!store.first_use_at("a", at(NOW + 10), NOW + 9).unwrap());
        // At `exp` the token is expired and the entry forgotten.
        assert!(store.first_use_at("a", at(NOW + 20), NOW + 10).unwrap());
    }

    #[test]
    fn exp_already_past_is_refused_as_expired() {
        let store = MemoryStore::new(10);
        for exp in [NOW, NOW - 1, i64::MIN] {
            let err = store.first_use_at("a", at(exp), NOW).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Expired);
        }
        assert_eq!(store.lock().len(), 0);
    }

    #[test]
    fn revocation_lasts_until_exp_and_keeps_the_later_time() {
        let store = MemoryStore::new(10);
        store.revoke_at("r", at(NOW + 10), NOW).unwrap();
        assert!(store.is_revoked_at("r", NOW + 9).unwrap());
        store.revoke_at("r", at(NOW + 5), NOW).unwrap();
        assert!(store.is_revoked_at("r", NOW + 9).unwrap());
        store.revoke_at("r", at(NOW + 30), NOW).unwrap();
        assert!(store.is_revoked_at("r", NOW + 29).unwrap());
        assert!(!store.is_revoked_at("r", NOW + 30).unwrap());
        assert_eq!(store.lock().len(), 0);
        assert!(store.lock().revoked.is_empty());
    }

    #[test]
    fn revoking_until_the_past_records_nothing() {
        let store = MemoryStore::new(10);
        store.revoke_at("r", at(NOW), NOW).unwrap();
        assert!(!store.is_revoked_at("r", NOW).unwrap());
        assert_eq!(store.lock().len(), 0);
    }

    #[test]
    fn used_and_revoked_are_separate() {
        let store = MemoryStore::new(10);
        assert!(store.first_use_at("a", at(NOW + 10), NOW).unwrap());
        assert!(!store.is_revoked_at("a", NOW).unwrap());
        store.revoke_at("a", at(NOW + 10), NOW).unwrap();
        assert!(store.is_revoked_at("a", NOW).unwrap());
        assert!(!store.first_use_at("a", at(NOW + 10), NOW).unwrap());
    }

    #[test]
    fn full_store_forgets_expired_entries_first() {
        let store = MemoryStore::new(3);
        assert!(store.first_use_at("a", at(NOW + 1), NOW).unwrap());
        assert!(store.first_use_at("b", at(NOW + 2), NOW).unwrap());
        store.revoke_at("c", at(NOW + 1), NOW).unwrap();
        assert!(store.first_use_at("d", at(NOW + 10), NOW + 1).unwrap());
        let entries = store.lock();
        assert_eq!(entries.len(), 2);
        assert!(entries.used.contains_key("b") && entries.used.contains_key("d"));
        assert!(entries.revoked.is_empty());
    }

    #[test]
    fn full_store_refuses_rather_than_evict_a_live_entry() {
        let store = MemoryStore::new(2);
        assert!(store.first_use_at("a", at(NOW + 10), NOW).unwrap());
        store.revoke_at("r", at(NOW + 10), NOW).unwrap();
        let err = store.first_use_at("b", at(NOW + 10), NOW).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unavailable);
        let err = store.revoke_at("s", at(NOW + 10), NOW).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unavailable);
        // What it holds still answers, and extending a revocation needs no room.
        assert!(!store.first_use_at("a", at(NOW + 10), NOW).unwrap());
        store.revoke_at("r", at(NOW + 20), NOW).unwrap();
        assert!(store.is_revoked_at("r", NOW + 15).unwrap());
        // Room again once an entry expires.
        assert!(store.first_use_at("b", at(NOW + 20), NOW + 10).unwrap());
    }

    #[test]
    fn use_once_checks_revocation_then_records() {
        let store = MemoryStore::new(3);
        store.revoke_at("r", at(NOW + 10), NOW).unwrap();
        assert_eq!(
            store.use_once_at("r", at(NOW + 10), NOW).unwrap(),
            Use::Revoked
        );
        assert!(!store.lock().used.contains_key("r"));
        assert_eq!(
            store.use_once_at("a", at(NOW + 10), NOW).unwrap(),
            Use::First
        );
        assert_eq!(
            store.use_once_at("a", at(NOW + 10), NOW).unwrap(),
            Use::Replayed
        );
        assert_eq!(
            store.use_once_at("b", at(NOW + 10), NOW).unwrap(),
            Use::First
        );
        let err = store.use_once_at("c", at(NOW + 10), NOW).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unavailable);
        let err = store.use_once_at("d", at(NOW), NOW).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Expired);
        let err = store.use_once_at("", at(NOW + 10), NOW).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidClaim);
    }

    #[test]
    fn zero_entries_store_refuses_every_record() {
        let store = MemoryStore::new(0);
        let err = store.first_use_at("a", at(NOW + 10), NOW).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unavailable);
        assert!(!store.is_revoked_at("a", NOW).unwrap());
    }

    #[test]
    fn invalid_jti_is_refused_by_every_operation() {
        let store = MemoryStore::new(10);
        let long = "x".repeat(crate::MAX_JTI_LEN + 1);
        for jti in ["", long.as_str()] {
            let kinds = [
                store
                    .first_use_at(jti, at(NOW + 10), NOW)
                    .unwrap_err()
                    .kind(),
                store.revoke_at(jti, at(NOW + 10), NOW).unwrap_err().kind(),
                store.is_revoked_at(jti, NOW).unwrap_err().kind(),
            ];
            assert_eq!(kinds, [ErrorKind::InvalidClaim; 3]);
        }
    }

    #[test]
    fn purge_removes_many_expired_entries_in_exp_order() {
        let store = MemoryStore::new(1000);
        for i in 0..1000 {
            let jti = format!("j{i}");
            assert!(
                store
                    .first_use_at(&jti, at(NOW + 1 + i % 100), NOW)
                    .unwrap()
            );
        }
        assert!(store.is_revoked_at("x", NOW + 50).is_ok());
        assert_eq!(store.lock().len(), 500);
        assert_eq!(store.lock().used.len(), 500);
    }
}
