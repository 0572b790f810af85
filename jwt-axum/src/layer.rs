//! [`JwtLayer`]: verify every request once, before routing reaches a handler.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::http::Request;
use axum::response::{IntoResponse, Response};
use jwt_core::Claims;
use pin_project_lite::pin_project;
use serde::de::DeserializeOwned;
use tower_layer::Layer;
use tower_service::Service;

use crate::{Jwt, JwtAuth};

/// A `tower` layer that verifies each request's token as `C` once and puts the claims in
/// the request's extensions, where [`Jwt<C>`](crate::Jwt) finds them; a request it
/// refuses never reaches the inner service and gets the
/// [`JwtRejection`](crate::JwtRejection) response.
///
/// For routers where every route needs a token. Use it with `Router::route_layer` so that
/// a path that matches no route stays `404` rather than `401`.
///
/// ```
/// use axum::{Router, routing::get};
/// use jwt_axum::{Jwt, JwtAuth, JwtLayer};
/// use jwt_core::{HmacKey, Validation, Verifier};
///
/// type Claims = serde_json::Map<String, serde_json::Value>;
///
/// async fn me(Jwt(claims): Jwt<Claims>) -> String {
///     format!("{:?}", claims.get("sub"))
/// }
///
/// let key = HmacKey::hs256(b"a secret of at least thirty-two bytes!")?;
/// let auth = JwtAuth::new(Verifier::new(key, Validation::new())).realm("api");
/// let app: Router = Router::new()
///     .route("/me", get(me))
///     .route_layer(JwtLayer::<Claims>::new(auth.clone()))
///     .with_state(auth);
/// # Ok::<(), jwt_core::Error>(())
/// ```
pub struct JwtLayer<C> {
    auth: JwtAuth,
    claims: PhantomData<fn() -> C>,
}

impl<C> JwtLayer<C> {
    /// Verifies tokens as `C` with `auth` (or a bare [`Verifier`](jwt_core::Verifier)).
    pub fn new(auth: impl Into<JwtAuth>) -> JwtLayer<C> {
        JwtLayer {
            auth: auth.into(),
            claims: PhantomData,
        }
    }
}

impl<C> Clone for JwtLayer<C> {
    fn clone(&self) -> Self {
        JwtLayer {
            auth: self.auth.clone(),
            claims: PhantomData,
        }
    }
}

impl<C> fmt::Debug for JwtLayer<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtLayer")
            .field("claims", &std::any::type_name::<C>())
            .field("auth", &self.auth)
            .finish()
    }
}

impl<S, C> Layer<S> for JwtLayer<C> {
    type Service = JwtService<S, C>;

    fn layer(&self, inner: S) -> Self::Service {
        JwtService {
            inner,
            auth: self.auth.clone(),
            claims: PhantomData,
        }
    }
}

/// The service [`JwtLayer`] wraps around an inner service.
pub struct JwtService<S, C> {
    inner: S,
    auth: JwtAuth,
    claims: PhantomData<fn() -> C>,
}

impl<S: Clone, C> Clone for JwtService<S, C> {
    fn clone(&self) -> Self {
        JwtService {
            inner: self.inner.clone(),
            auth: self.auth.clone(),
            claims: PhantomData,
        }
    }
}

impl<S: fmt::Debug, C> fmt::Debug for JwtService<S, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtService")
            .field("inner", &self.inner)
            .field("claims", &std::any::type_name::<C>())
            .field("auth", &self.auth)
            .finish()
    }
}

impl<S, C, B> Service<Request<B>> for JwtService<S, C>
where
    S: Service<Request<B>, Response = Response>,
    C: Claims + DeserializeOwned + Clone + Send + Sync + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        match self.auth.verify::<C>(request.headers()) {
            Ok(claims) => {
                request.extensions_mut().insert(Jwt(claims));
                ResponseFuture {
                    state: State::Inner {
                        future: self.inner.call(request),
                    },
                }
            }
            Err(rejection) => ResponseFuture {
                state: State::Refused {
                    response: Some(rejection.into_response()),
                },
            },
        }
    }
}

pin_project! {
    /// The response future of [`JwtService`]: the inner service's, or the refusal.
    pub struct ResponseFuture<F> {
        #[pin]
        state: State<F>,
    }
}

pin_project! {
    #[project = StateProjection]
    enum State<F> {
        Inner { #[pin] future: F },
        Refused { response: Option<Response> },
    }
}

impl<F, E> Future for ResponseFuture<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            StateProjection::Inner { future } => future.poll(cx),
            StateProjection::Refused { response } => {
                Poll::Ready(Ok(response.take().expect("polled after completion")))
            }
        }
    }
}

impl<F> fmt::Debug for ResponseFuture<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}
