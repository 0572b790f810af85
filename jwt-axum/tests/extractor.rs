//! `Jwt<C>`, `Option<Jwt<C>>` and `JwtLayer<C>` through a `Router`, one request each with
//! `tower::ServiceExt::oneshot`: every status and challenge the crate documents.

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::FromRef;
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use jwt_axum::{Jwt, JwtAuth, JwtLayer, JwtRejection, RejectionKind};
use jwt_core::{Claims, ErrorKind, HmacKey, NumericDate, Validation, Verifier};
use serde::{Deserialize, Serialize};
use tower::ServiceExt;

const SECRET: &[u8] = b"a secret of at least thirty-two bytes!";
const LIMIT: usize = 1024;

#[derive(Clone, Debug, Serialize, Deserialize, Claims)]
#[jwt(iss = "auth.example", aud = "api")]
struct Access {
    sub: String,
    exp: NumericDate,
    #[jwt(validate = needs_write)]
    scope: String,
}

fn needs_write(scope: &str) -> Result<(), &'static str> {
    if scope.split(' ').any(|s| s == "write") {
        Ok(())
    } else {
        Err("the scope lacks write")
    }
}

#[derive(Clone)]
struct AppState {
    auth: JwtAuth,
}

impl FromRef<AppState> for JwtAuth {
    fn from_ref(state: &AppState) -> JwtAuth {
        state.auth.clone()
    }
}

fn auth_with(secret: &[u8]) -> JwtAuth {
    let key = HmacKey::hs256(secret).unwrap();
    JwtAuth::new(Verifier::new(key, Validation::new().max_token_len(LIMIT)))
        .realm("test")
        .cookie("access_token")
}

fn auth() -> JwtAuth {
    auth_with(SECRET)
}

async fn required(Jwt(claims): Jwt<Access>) -> String {
    claims.sub
}

async fn optional(claims: Option<Jwt<Access>>) -> String {
    claims.map_or_else(|| "anonymous".to_owned(), |Jwt(claims)| claims.sub)
}

async fn inspect(claims: Result<Jwt<Access>, JwtRejection>) -> String {
    match claims {
        Ok(Jwt(claims)) => claims.sub,
        Err(rejection) => format!("{:?}", rejection.kind()),
    }
}

fn router() -> Router {
    Router::new()
        .route("/required", get(required))
        .route("/optional", get(optional))
        .route("/inspect", get(inspect))
        .with_state(AppState { auth: auth() })
}

fn claims(sub: &str, exp: i64, scope: &str) -> Access {
    Access {
        sub: sub.into(),
        exp: NumericDate::now() + exp,
        scope: scope.into(),
    }
}

fn token(claims: &Access) -> String {
    jwt_core::encode(claims, &HmacKey::hs256(SECRET).unwrap()).unwrap()
}

fn valid() -> String {
    token(&claims("alice", 600, "read write"))
}

async fn send(router: Router, uri: &str, headers: &[(&str, &str)]) -> Response {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    router
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

async fn body(response: Response) -> String {
    let bytes = to_bytes(response.into_body(), 1 << 16).await.unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn challenge(response: &Response) -> &str {
    let mut values = response.headers().get_all(header::WWW_AUTHENTICATE).iter();
    let value = values.next().expect("a WWW-Authenticate header");
    assert!(values.next().is_none());
    value.to_str().unwrap()
}

fn refused(description: &str) -> String {
    format!(r#"Bearer realm="test", error="invalid_token", error_description="{description}""#)
}

fn bad_request(description: &str) -> String {
    format!(r#"Bearer realm="test", error="invalid_request", error_description="{description}""#)
}

#[tokio::test]
async fn a_valid_bearer_token_reaches_the_handler() {
    let bearer = format!("Bearer {}", valid());
    let response = send(router(), "/required", &[("authorization", &bearer)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await, "alice");
}

#[tokio::test]
async fn the_scheme_is_case_insensitive() {
    for scheme in ["bearer", "BEARER", "BeArEr"] {
        let value = format!("{scheme} {}", valid());
        let response = send(router(), "/required", &[("authorization", &value)]).await;
        assert_eq!(response.status(), StatusCode::OK, "{scheme}");
    }
}

#[tokio::test]
async fn a_missing_token_is_401_with_a_bare_challenge() {
    let response = send(router(), "/required", &[]).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(challenge(&response), r#"Bearer realm="test""#);
}

#[tokio::test]
async fn another_scheme_is_a_missing_token() {
    let basic = [("authorization", "Basic ZGVtbzpkZW1vLXBhc3N3b3Jk")];
    let response = send(router(), "/required", &basic).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(challenge(&response), r#"Bearer realm="test""#);
}

#[tokio::test]
async fn without_a_realm_the_challenge_is_bare_bearer() {
    let key = HmacKey::hs256(SECRET).unwrap();
    let app = Router::new()
        .route("/required", get(required))
        .with_state(Verifier::new(key, Validation::new()));
    let response = send(app.clone(), "/required", &[]).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(challenge(&response), "Bearer");

    let expired = format!("Bearer {}", token(&claims("alice", -60, "write")));
    let response = send(app, "/required", &[("authorization", &expired)]).await;
    assert_eq!(
        challenge(&response),
        r#"Bearer error="invalid_token", error_description="token expired""#
    );
}

#[tokio::test]
async fn an_expired_token_is_401_invalid_token_naming_the_kind_only() {
    let expired = token(&claims("alice-secret-name", -60, "write"));
    let bearer = format!("Bearer {expired}");
    let response = send(router(), "/required", &[("authorization", &bearer)]).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let value = challenge(&response).to_owned();
    assert_eq!(value, refused("token expired"));
    let text = body(response).await;
    assert_eq!(text, "token expired");
    for leaked in ["alice-secret-name", "thirty-two", "auth.example"] {
        assert!(
            !value.contains(leaked) && !text.contains(leaked),
            "{leaked}"
        );
    }
}

#[tokio::test]
async fn a_token_signed_with_another_key_is_401_invalid_signature() {
    let forged = jwt_core::encode(
        &claims("alice", 600, "write"),
        &HmacKey::hs256(b"another secret of thirty-two bytes or more").unwrap(),
    )
    .unwrap();
    let bearer = format!("Bearer {forged}");
    let response = send(router(), "/required", &[("authorization", &bearer)]).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(challenge(&response), refused("invalid signature"));
}

#[tokio::test]
async fn a_wrong_issuer_is_401_without_quoting_it() {
    let payload = serde_json::json!({
        "iss": "evil.example", "aud": "api", "sub": "alice",
        "exp": (NumericDate::now() + 600).as_secs(), "scope": "write",
    });
    let other = jwt_core::encode(&payload, &HmacKey::hs256(SECRET).unwrap()).unwrap();
    let bearer = format!("Bearer {other}");
    let response = send(router(), "/required", &[("authorization", &bearer)]).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(challenge(&response), refused("invalid issuer"));
    assert!(!body(response).await.contains("evil"));
}

#[tokio::test]
async fn a_garbled_token_is_401_malformed() {
    let response = send(
        router(),
        "/required",
        &[("authorization", "Bearer abc.def")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(challenge(&response), refused("malformed token"));
}

#[tokio::test]
async fn a_field_validator_refusal_is_403_insufficient_scope() {
    let read_only = format!("Bearer {}", token(&claims("alice", 600, "read")));
    let response = send(router(), "/required", &[("authorization", &read_only)]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        challenge(&response),
        r#"Bearer realm="test", error="insufficient_scope", error_description="claim refused by validator""#
    );
    assert!(!body(response).await.contains("lacks"));
}

#[tokio::test]
async fn two_authorization_headers_are_400_invalid_request() {
    let bearer = format!("Bearer {}", valid());
    let twice = [
        ("authorization", bearer.as_str()),
        ("authorization", bearer.as_str()),
    ];
    let response = send(router(), "/required", &twice).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        challenge(&response),
        bad_request("more than one token in the request")
    );
}

#[tokio::test]
async fn a_header_over_the_token_limit_is_400_before_decoding() {
    // Not a token at all: were it decoded, it would be 401 malformed instead.
    let long = format!("Bearer {}", "a".repeat(LIMIT + 1));
    let response = send(router(), "/required", &[("authorization", &long)]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        challenge(&response),
        bad_request("credentials longer than the token length limit")
    );
    let at_limit = format!("Bearer {}", "a".repeat(LIMIT));
    let response = send(router(), "/required", &[("authorization", &at_limit)]).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bearer_without_a_proper_token_is_400_invalid_request() {
    for value in ["Bearer", "Bearer ", "Bearer a.b c", "Bearer \"a.b.c\""] {
        let response = send(router(), "/required", &[("authorization", value)]).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{value:?}");
        assert_eq!(
            challenge(&response),
            bad_request("malformed bearer credentials")
        );
    }
}

#[tokio::test]
async fn the_token_cookie_is_accepted_and_refused_twice() {
    let cookie = format!("theme=dark; access_token={}", valid());
    let response = send(router(), "/required", &[("cookie", &cookie)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await, "alice");

    let twice = format!("access_token={0}; access_token={0}", valid());
    let response = send(router(), "/required", &[("cookie", &twice)]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let expired = format!("access_token={}", token(&claims("alice", -60, "write")));
    let response = send(router(), "/required", &[("cookie", &expired)]).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(challenge(&response), refused("token expired"));
}

#[tokio::test]
async fn an_optional_token_may_be_absent_but_not_invalid() {
    let response = send(router(), "/optional", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await, "anonymous");

    let basic = [("authorization", "Basic ZGVtbzpkZW1v")];
    assert_eq!(
        body(send(router(), "/optional", &basic).await).await,
        "anonymous"
    );

    let bearer = format!("Bearer {}", valid());
    let response = send(router(), "/optional", &[("authorization", &bearer)]).await;
    assert_eq!(body(response).await, "alice");

    let expired = format!("Bearer {}", token(&claims("alice", -60, "write")));
    let response = send(router(), "/optional", &[("authorization", &expired)]).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(challenge(&response), refused("token expired"));

    let response = send(router(), "/optional", &[("authorization", "Bearer")]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_handler_can_read_the_rejection_kind() {
    let expired = format!("Bearer {}", token(&claims("alice", -60, "write")));
    let response = send(router(), "/inspect", &[("authorization", &expired)]).await;
    assert_eq!(
        body(response).await,
        format!("{:?}", RejectionKind::InvalidToken(ErrorKind::Expired))
    );
    let response = send(router(), "/inspect", &[]).await;
    assert_eq!(body(response).await, "MissingToken");
}

fn layered() -> Router {
    // The state's verifier has another key: a handler that verified again would refuse
    // every token, so a 200 shows the claims came from the layer.
    Router::new()
        .route("/required", get(required))
        .route_layer(JwtLayer::<Access>::new(auth()))
        .with_state(AppState {
            auth: auth_with(b"the state's key, which signed none of the tokens"),
        })
}

#[tokio::test]
async fn the_layer_verifies_once_and_the_extractor_takes_its_claims() {
    let bearer = format!("Bearer {}", valid());
    let response = send(layered(), "/required", &[("authorization", &bearer)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await, "alice");
}

#[tokio::test]
async fn the_layer_refuses_before_the_handler_runs() {
    let response = send(layered(), "/required", &[]).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(challenge(&response), r#"Bearer realm="test""#);

    let expired = format!("Bearer {}", token(&claims("alice", -60, "write")));
    let response = send(layered(), "/required", &[("authorization", &expired)]).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(challenge(&response), refused("token expired"));

    let read_only = format!("Bearer {}", token(&claims("alice", 600, "read")));
    let response = send(layered(), "/required", &[("authorization", &read_only)]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let long = format!("Bearer {}", "a".repeat(LIMIT + 1));
    let response = send(layered(), "/required", &[("authorization", &long)]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    // `route_layer`: a path no route matches stays 404.
    let response = send(layered(), "/nowhere", &[]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
