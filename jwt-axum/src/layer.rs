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

use crate::{Jwt, JwtAuth, JwtRejection, RejectionKind};

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
    S: Service<Request<B>, Response = Response> + Clone + Send + 'static,
    C: Claims + DeserializeOwned + Clone + Send + Sync + 'static,
    B: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future, S, B>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        let refused = |rejection: JwtRejection| ResponseFuture {
            state: State::Refused {
                response: Some(rejection.into_response()),
            },
        };
        let token = match self.auth.find_token(request.headers()) {
            Ok(Some(token)) => token,
            Ok(None) => return refused(self.auth.reject(RejectionKind::MissingToken)),
            Err(rejection) => return refused(rejection),
        };
        // Local keys and no store to ask: decided here, with nothing boxed.
        if let Some(verified) = self.auth.verify_token_now::<C>(token) {
            return match verified {
                Ok(claims) => {
                    request.extensions_mut().insert(Jwt(claims));
                    ResponseFuture {
                        state: State::Inner {
                            future: self.inner.call(request),
                        },
                    }
                }
                Err(rejection) => refused(rejection),
            };
        }
        // A remote key set or a replay store: the inner service that `poll_ready` made
        // ready waits in the future, and this service keeps a fresh clone.
        let token = token.to_owned();
        let auth = self.auth.clone();
        let ready = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, ready);
        let verifying = Box::pin(async move {
            match auth.verify_token::<C>(&token).await {
                Ok(claims) => {
                    request.extensions_mut().insert(Jwt(claims));
                    Ok(request)
                }
                Err(rejection) => Err(rejection.into_response()),
            }
        });
        ResponseFuture {
            state: State::Verifying {
                verifying,
                inner: Some(inner),
            },
        }
    }
}

/// The verification a [`ResponseFuture`] waits for: the request with the claims in its
/// extensions, or the refusal.
type Verifying<B> = Pin<Box<dyn Future<Output = Result<Request<B>, Response>> + Send>>;

pin_project! {
    /// The response future of [`JwtService`]: the verification when it has to wait (a
    /// remote key set, a replay store), then the inner service's; or the refusal.
    pub struct ResponseFuture<F, S, B> {
        #[pin]
        state: State<F, S, B>,
    }
}

pin_project! {
    #[project = StateProjection]
    enum State<F, S, B> {
        Inner { #[pin] future: F },
        Verifying { verifying: Verifying<B>, inner: Option<S> },
        Refused { response: Option<Response> },
    }
}

impl<F, S, B, E> Future for ResponseFuture<F, S, B>
where
    F: Future<Output = Result<Response, E>>,
    S: Service<Request<B>, Response = Response, Error = E, Future = F>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = self.project().state;
        loop {
            match state.as_mut().project() {
                StateProjection::Inner { future } => return future.poll(cx),
                StateProjection::Refused { response } => {
                    return Poll::Ready(Ok(response.take().expect("polled after completion")));
                }
                StateProjection::Verifying { verifying, inner } => {
                    let request = match verifying.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(Ok(request)) => request,
                        Poll::Ready(Err(response)) => return Poll::Ready(Ok(response)),
                    };
                    let mut inner = inner.take().expect("polled after completion");
                    let future = inner.call(request);
                    state.set(State::Inner { future });
                }
            }
        }
    }
}

impl<F, S, B> fmt::Debug for ResponseFuture<F, S, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}
