//! [`JwtRejection`]: why a request's bearer token was refused, and the RFC 6750 response
//! that says so.

use std::fmt;
use std::sync::Arc;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jwt_core::ErrorKind;

/// What was wrong with a request's credentials, as a value to match on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RejectionKind {
    /// No bearer token: no `Authorization` header, one with another scheme, and no
    /// token cookie (when one is configured). `401` with a bare `Bearer` challenge.
    MissingToken,
    /// More than one `Authorization` header, or the token cookie more than once.
    /// `400` with `error="invalid_request"`.
    DuplicateCredentials,
    /// A credential longer than the verifier's token length limit, refused before any
    /// decoding. `400` with `error="invalid_request"`.
    CredentialsTooLong,
    /// `Bearer` with no token, or a token with characters RFC 6750's `b64token` does not
    /// allow (spaces, commas, quotes, non-ASCII). `400` with `error="invalid_request"`.
    MalformedCredentials,
    /// The verifier refused the token for this reason. `401` with
    /// `error="invalid_token"`, except [`ErrorKind::Custom`] (a field validator refused
    /// a claim): `403` with `error="insufficient_scope"`; and
    /// [`ErrorKind::Unavailable`] (a remote key set never fetched or gone stale, a
    /// replay store that cannot answer): `503` with no challenge, since the token was
    /// not judged and may pass once the service is back.
    InvalidToken(ErrorKind),
}

impl RejectionKind {
    /// The response status: `400`, `401`, `403` or `503`.
    pub fn status(self) -> StatusCode {
        match self {
            RejectionKind::DuplicateCredentials
            | RejectionKind::CredentialsTooLong
            | RejectionKind::MalformedCredentials => StatusCode::BAD_REQUEST,
            RejectionKind::InvalidToken(ErrorKind::Custom) => StatusCode::FORBIDDEN,
            RejectionKind::InvalidToken(ErrorKind::Unavailable) => StatusCode::SERVICE_UNAVAILABLE,
            RejectionKind::MissingToken | RejectionKind::InvalidToken(_) => {
                StatusCode::UNAUTHORIZED
            }
        }
    }

    /// The RFC 6750 section 3.1 error code: `invalid_request`, `invalid_token` or
    /// `insufficient_scope`; none for a missing token (section 3) or an unavailable
    /// service.
    pub fn error_code(self) -> Option<&'static str> {
        match self {
            RejectionKind::MissingToken | RejectionKind::InvalidToken(ErrorKind::Unavailable) => {
                None
            }
            RejectionKind::DuplicateCredentials
            | RejectionKind::CredentialsTooLong
            | RejectionKind::MalformedCredentials => Some("invalid_request"),
            RejectionKind::InvalidToken(ErrorKind::Custom) => Some("insufficient_scope"),
            RejectionKind::InvalidToken(_) => Some("invalid_token"),
        }
    }

    /// A short lowercase description: for a refused token, [`ErrorKind::as_str`], which
    /// names the kind only, never a key, a MAC or a claim value.
    pub fn description(self) -> &'static str {
        match self {
            RejectionKind::MissingToken => "missing bearer token",
            RejectionKind::DuplicateCredentials => "more than one token in the request",
            RejectionKind::CredentialsTooLong => "credentials longer than the token length limit",
            RejectionKind::MalformedCredentials => "malformed bearer credentials",
            RejectionKind::InvalidToken(kind) => kind.as_str(),
        }
    }
}

impl fmt::Display for RejectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// A request refused by [`Jwt`](crate::Jwt) or [`JwtLayer`](crate::JwtLayer).
///
/// [`kind`](JwtRejection::kind) says what went wrong; as a response it is the status of
/// [`RejectionKind::status`] with an RFC 6750 `WWW-Authenticate: Bearer` challenge (the
/// configured `realm`, then `error` and `error_description` unless the token was
/// missing) and the description as a plain-text body; a `503` has `Retry-After: 1`
/// instead of a challenge. Neither ever holds a key, a MAC
/// or a claim value. [`error`](JwtRejection::error) keeps the verifier's full error for
/// the server's own logs.
///
/// ```
/// use axum::http::StatusCode;
/// use jwt_axum::{JwtRejection, RejectionKind};
/// use jwt_core::ErrorKind;
///
/// fn log_and_answer(rejection: JwtRejection) -> StatusCode {
///     if let RejectionKind::InvalidToken(ErrorKind::Expired) = rejection.kind() {
///         // count expiries, ask the client to refresh, ...
///     }
///     rejection.kind().status()
/// }
/// ```
#[derive(Debug)]
pub struct JwtRejection {
    kind: RejectionKind,
    error: Option<jwt_core::Error>,
    realm: Option<Arc<str>>,
}

impl JwtRejection {
    pub(crate) fn new(kind: RejectionKind, realm: Option<Arc<str>>) -> JwtRejection {
        tracing::debug!(kind = kind.description(), "bearer token refused");
        JwtRejection {
            kind,
            error: None,
            realm,
        }
    }

    pub(crate) fn refused(error: jwt_core::Error, realm: Option<Arc<str>>) -> JwtRejection {
        let mut rejection = JwtRejection::new(RejectionKind::InvalidToken(error.kind()), realm);
        rejection.error = Some(error);
        rejection
    }

    /// What went wrong.
    pub fn kind(&self) -> RejectionKind {
        self.kind
    }

    /// The verifier's error when a token was refused. Its message may quote claim
    /// values from the token: it is for the server's logs, never sent to the client.
    pub fn error(&self) -> Option<&jwt_core::Error> {
        self.error.as_ref()
    }

    /// The `WWW-Authenticate` value this rejection answers with.
    pub fn challenge(&self) -> HeaderValue {
        let mut challenge = String::from("Bearer");
        let mut separator = " ";
        if let Some(realm) = &self.realm {
            // Checked by `JwtAuth::realm`: visible ASCII, quotes and backslashes escaped.
            challenge.push_str(separator);
            challenge.push_str("realm=\"");
            challenge.push_str(realm);
            challenge.push('"');
            separator = ", ";
        }
        if let Some(code) = self.kind.error_code() {
            challenge.push_str(separator);
            challenge.push_str("error=\"");
            challenge.push_str(code);
            challenge.push_str("\", error_description=\"");
            challenge.push_str(self.kind.description());
            challenge.push('"');
        }
        HeaderValue::from_str(&challenge).unwrap_or_else(|_| HeaderValue::from_static("Bearer"))
    }
}

impl fmt::Display for JwtRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "request refused: {}", self.kind)
    }
}

impl std::error::Error for JwtRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error
            .as_ref()
            .map(|error| error as &(dyn std::error::Error + 'static))
    }
}

impl IntoResponse for JwtRejection {
    fn into_response(self) -> Response {
        if self.kind.status() == StatusCode::SERVICE_UNAVAILABLE {
            // Not a judgement on the credentials, so no challenge; a client may retry.
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                [
                    (header::RETRY_AFTER, HeaderValue::from_static("1")),
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("text/plain; charset=utf-8"),
                    ),
                ],
                self.kind.description(),
            )
                .into_response();
        }
        (
            self.kind.status(),
            [
                (header::WWW_AUTHENTICATE, self.challenge()),
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                ),
            ],
            self.kind.description(),
        )
            .into_response()
    }
}
