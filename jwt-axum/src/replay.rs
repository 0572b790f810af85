//! The replay check as [`JwtAuth`](crate::JwtAuth) keeps it: a [`ReplayGuard`] over any
//! store, behind one object-safe trait.

use std::future::Future;
use std::pin::Pin;

use jwt_core::{Error, NumericDate};
use jwt_replay::{ReplayGuard, ReplayStore};

/// A boxed, sendable future: what an object-safe async method returns.
pub(crate) type Checking<'a> = Pin<Box<dyn Future<Output = Result<(), Error>> + Send + 'a>>;

/// [`ReplayGuard::check`] for a guard of any store type.
pub(crate) trait Check: Send + Sync {
    fn check<'a>(&'a self, jti: Option<&'a str>, exp: Option<NumericDate>) -> Checking<'a>;
}

impl<S: ReplayStore + 'static> Check for ReplayGuard<S> {
    fn check<'a>(&'a self, jti: Option<&'a str>, exp: Option<NumericDate>) -> Checking<'a> {
        Box::pin(ReplayGuard::check(self, jti, exp))
    }
}
