//! `RemoteJwkSet` against a real HTTP server on `127.0.0.1:0` that rotates keys, fails in
//! every way the limits cover, and counts the requests it gets.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jwt_core::{ErrorKind, Validation, Verifier};
use jwt_jwks::RemoteJwkSet;
use support::{Reply, Server, eventually, jwks, key, rsa_key, token};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

type Claims = serde_json::Value;

const JWKS: &str = "/jwks";

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// A remote set on the server's `/jwks`, with a short cool-down.
fn remote(server: &Server) -> RemoteJwkSet {
    RemoteJwkSet::from_url(server.url(JWKS))
        .allow_insecure_loopback()
        .cooldown(ms(200))
        .timeout(ms(1000))
        .build()
        .unwrap()
}

async fn decode(remote: &RemoteJwkSet, token: &str) -> Result<Claims, jwt_core::Error> {
    remote
        .decode_with::<Claims>(token, &Validation::new())
        .await
        .map(jwt_core::Token::into_claims)
}

// ---- fetching and caching ----

#[tokio::test]
async fn build_fetches_nothing_and_first_use_fetches_once() {
    let server = Server::start().await;
    let k1 = key("k1");
    server.reply(JWKS, Reply::ok(jwks(&[&k1])));
    let remote = remote(&server);
    assert!(remote.snapshot().is_none());
    assert_eq!(server.total_hits(), 0);

    for _ in 0..10 {
        let claims = decode(&remote, &token(&k1)).await.unwrap();
        assert_eq!(claims["sub"], "u1");
    }
    assert_eq!(server.hits(JWKS), 1);
    assert_eq!(remote.snapshot().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_first_verifications_make_one_fetch() {
    let server = Server::start().await;
    let k1 = rsa_key("k1");
    server.reply(JWKS, Reply::slow(jwks(&[&k1]), ms(200)));
    let remote = remote(&server);
    let token = token(&k1);
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let (remote, token) = (remote.clone(), token.clone());
            tokio::spawn(async move { decode(&remote, &token).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(server.hits(JWKS), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_verifications_with_an_unknown_kid_make_one_fetch() {
    let server = Server::start().await;
    let (k1, k2, stranger) = (rsa_key("k1"), rsa_key("k2"), rsa_key("k9"));
    server.reply(JWKS, Reply::ok(jwks(&[&k1])));
    // A cool-down far longer than the thousand callers take to arrive, so that none of
    // them can start a second fetch legitimately.
    let remote = RemoteJwkSet::from_url(server.url(JWKS))
        .allow_insecure_loopback()
        .cooldown(ms(1000))
        .build()
        .unwrap();
    decode(&remote, &token(&k1)).await.unwrap();
    assert_eq!(server.hits(JWKS), 1);
    tokio::time::sleep(ms(1050)).await; // past the cool-down

    // A kid the provider never publishes: one fetch, every caller refused.
    server.reply(JWKS, Reply::slow(jwks(&[&k1]), ms(200)));
    let unknown = token(&stranger);
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let (remote, token) = (remote.clone(), unknown.clone());
            tokio::spawn(async move { decode(&remote, &token).await })
        })
        .collect();
    for task in tasks {
        let err = task.await.unwrap().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownKey);
    }
    assert_eq!(server.hits(JWKS), 2);
    tokio::time::sleep(ms(1050)).await;

    // A kid the provider has just rotated in: one fetch, every caller accepted.
    server.reply(JWKS, Reply::slow(jwks(&[&k1, &k2]), ms(200)));
    let rotated = token(&k2);
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let (remote, token) = (remote.clone(), rotated.clone());
            tokio::spawn(async move { decode(&remote, &token).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(server.hits(JWKS), 3);
}

#[tokio::test]
async fn a_rotation_is_picked_up_after_the_cooldown() {
    let server = Server::start().await;
    let (k1, k2) = (key("k1"), key("k2"));
    server.reply(JWKS, Reply::ok(jwks(&[&k1])));
    let remote = remote(&server);
    decode(&remote, &token(&k1)).await.unwrap();

    server.reply(JWKS, Reply::ok(jwks(&[&k2])));
    // Within the cool-down of the first fetch: no request, the kid stays unknown.
    let err = decode(&remote, &token(&k2)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownKey);
    assert_eq!(server.hits(JWKS), 1);

    tokio::time::sleep(ms(250)).await;
    decode(&remote, &token(&k2)).await.unwrap();
    assert_eq!(server.hits(JWKS), 2);
    decode(&remote, &token(&k2)).await.unwrap();
    // The rotated-out key is gone with the new set.
    let err = decode(&remote, &token(&k1)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownKey);
    assert_eq!(server.hits(JWKS), 2);
}

#[tokio::test]
async fn a_token_without_kid_never_causes_a_fetch() {
    let server = Server::start().await;
    let (k1, k2) = (key("k1"), key("k2"));
    server.reply(JWKS, Reply::ok(jwks(&[&k1, &k2])));
    let remote = remote(&server);
    decode(&remote, &token(&k1)).await.unwrap();
    tokio::time::sleep(ms(250)).await;

    let anonymous = jwt_core::KeyPair::generate(jwt_core::Algorithm::EdDSA).unwrap();
    let err = decode(&remote, &token(&anonymous)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownKey);
    assert_eq!(server.hits(JWKS), 1);
}

#[tokio::test]
async fn a_caller_that_gives_up_does_not_cancel_the_fetch_for_the_others() {
    let server = Server::start().await;
    let k1 = key("k1");
    server.reply(JWKS, Reply::slow(jwks(&[&k1]), ms(300)));
    let remote = remote(&server);
    let impatient = {
        let (remote, token) = (remote.clone(), token(&k1));
        tokio::spawn(async move { decode(&remote, &token).await })
    };
    tokio::time::sleep(ms(50)).await;
    impatient.abort();
    decode(&remote, &token(&k1)).await.unwrap();
    assert_eq!(server.hits(JWKS), 1);
}

#[tokio::test]
async fn refresh_ignores_the_cooldown_but_joins_a_fetch_in_flight() {
    let server = Server::start().await;
    let (k1, k2) = (key("k1"), key("k2"));
    server.reply(JWKS, Reply::slow(jwks(&[&k1]), ms(300)));
    let remote = remote(&server);
    let (first, second) = tokio::join!(remote.refresh(), remote.refresh());
    assert!(Arc::ptr_eq(&first.unwrap(), &second.unwrap()));
    assert_eq!(server.hits(JWKS), 1);

    server.reply(JWKS, Reply::ok(jwks(&[&k2])));
    let set = remote.refresh().await.unwrap(); // within the cool-down
    assert!(set.get("k2").is_some());
    assert_eq!(server.hits(JWKS), 2);
}

#[tokio::test]
async fn cache_control_max_age_sets_when_a_refresh_is_due_within_the_bounds() {
    let server = Server::start().await;
    let k1 = key("k1");

    // max-age=0 is held up to the lower bound of 400 ms.
    server.reply(JWKS, Reply::cached(jwks(&[&k1]), "max-age=0"));
    let remote = RemoteJwkSet::from_url(server.url(JWKS))
        .allow_insecure_loopback()
        .cooldown(ms(10))
        .ttl_bounds(ms(400), Duration::from_secs(60))
        .build()
        .unwrap();
    decode(&remote, &token(&k1)).await.unwrap();
    tokio::time::sleep(ms(150)).await;
    decode(&remote, &token(&k1)).await.unwrap();
    assert_eq!(server.hits(JWKS), 1);
    tokio::time::sleep(ms(300)).await;
    // Expired: this request is served from the set, and a refresh runs behind it.
    decode(&remote, &token(&k1)).await.unwrap();
    eventually("the expired set is refreshed", || server.hits(JWKS) == 2).await;

    // max-age=3600 is held down to the upper bound of 300 ms.
    let server = Server::start().await;
    server.reply(JWKS, Reply::cached(jwks(&[&k1]), "public, max-age=3600"));
    let remote = RemoteJwkSet::from_url(server.url(JWKS))
        .allow_insecure_loopback()
        .cooldown(ms(10))
        .ttl_bounds(ms(50), ms(300))
        .build()
        .unwrap();
    decode(&remote, &token(&k1)).await.unwrap();
    tokio::time::sleep(ms(150)).await;
    decode(&remote, &token(&k1)).await.unwrap();
    assert_eq!(server.hits(JWKS), 1);
    tokio::time::sleep(ms(200)).await;
    decode(&remote, &token(&k1)).await.unwrap();
    eventually("the expired set is refreshed", || server.hits(JWKS) == 2).await;

    // max-age=1, in range: still fresh after 500 ms, refreshed after a second.
    let server = Server::start().await;
    server.reply(JWKS, Reply::cached(jwks(&[&k1]), "max-age=1"));
    let remote = RemoteJwkSet::from_url(server.url(JWKS))
        .allow_insecure_loopback()
        .cooldown(ms(10))
        .ttl_bounds(ms(50), Duration::from_secs(60))
        .build()
        .unwrap();
    decode(&remote, &token(&k1)).await.unwrap();
    tokio::time::sleep(ms(500)).await;
    decode(&remote, &token(&k1)).await.unwrap();
    assert_eq!(server.hits(JWKS), 1);
    tokio::time::sleep(ms(600)).await;
    decode(&remote, &token(&k1)).await.unwrap();
    eventually("the expired set is refreshed", || server.hits(JWKS) == 2).await;
}

// ---- outages ----

/// Every way a refresh can fail, with a part of the reason it must give.
fn failures() -> Vec<(Reply, &'static str)> {
    vec![
        (Reply::Status(500), "500"),
        (Reply::Status(404), "404"),
        (Reply::Hang, "did not answer"),
        (Reply::StallBody, "did not answer"),
        (
            Reply::Huge {
                content_length: true,
            },
            "announced a body",
        ),
        (
            Reply::Huge {
                content_length: false,
            },
            "passed the limit",
        ),
        (Reply::ok("{\"keys\": [ not json"), "not JSON"),
        (Reply::Bytes(b"{\"keys\": [\xff]}".to_vec()), "not UTF-8"),
        (Reply::ok("<html>maintenance</html>"), "not JSON"),
        (Reply::ok("{\"kees\": []}"), "no `keys` array"),
        (Reply::ok("{\"keys\": []}"), "no usable key"),
        (
            Reply::ok(
                r#"{"keys": [{"kty": "RSA", "kid": "e", "use": "enc", "n": "AQAB", "e": "AQAB"}]}"#,
            ),
            "no usable key",
        ),
        (
            Reply::ok(r#"{"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "m", "x": "!!"}]}"#),
            "key 0",
        ),
    ]
}

#[tokio::test]
async fn during_an_outage_tokens_of_known_keys_keep_verifying() {
    let server = Server::start().await;
    let k1 = key("k1");
    server.reply(JWKS, Reply::ok(jwks(&[&k1])));
    let remote = RemoteJwkSet::from_url(server.url(JWKS))
        .allow_insecure_loopback()
        .cooldown(ms(10))
        .ttl_bounds(ms(50), ms(50))
        .timeout(ms(300))
        .build()
        .unwrap();
    decode(&remote, &token(&k1)).await.unwrap();
    let mut hits = 1;
    for (reply, reason) in failures() {
        server.reply(JWKS, reply.clone());
        // An explicit refresh reports the failure...
        let err = remote.refresh().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unavailable, "{reply:?}");
        assert!(err.to_string().contains(reason), "{reply:?}: {err}");
        hits += 1;
        assert_eq!(server.hits(JWKS), hits, "{reply:?}");
        // ... and the set stays in service, expired or not.
        assert_eq!(remote.snapshot().unwrap().len(), 1);
        tokio::time::sleep(ms(60)).await;
        decode(&remote, &token(&k1)).await.unwrap();
        // The expired set sent a background refresh, which failed too.
        eventually("the background refresh ran", || server.hits(JWKS) > hits).await;
        // Let it finish, so that the next explicit refresh does not join it.
        tokio::time::sleep(ms(350)).await;
        hits = server.hits(JWKS);
    }
    server.reply(JWKS, Reply::ok(jwks(&[&k1])));
    remote.refresh().await.unwrap();
}

#[tokio::test]
async fn a_set_stale_past_max_stale_is_dropped_until_a_fetch_succeeds() {
    let server = Server::start().await;
    let k1 = key("k1");
    server.reply(JWKS, Reply::ok(jwks(&[&k1])));
    let remote = RemoteJwkSet::from_url(server.url(JWKS))
        .allow_insecure_loopback()
        .cooldown(ms(20))
        .ttl_bounds(ms(100), ms(100))
        .max_stale(ms(200))
        .build()
        .unwrap();
    decode(&remote, &token(&k1)).await.unwrap();
    server.reply(JWKS, Reply::Status(503));

    tokio::time::sleep(ms(150)).await; // expired, within max_stale
    decode(&remote, &token(&k1)).await.unwrap();
    assert!(remote.snapshot().is_some());

    tokio::time::sleep(ms(200)).await; // 350 ms: past lifetime + max_stale
    let err = decode(&remote, &token(&k1)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains("503"), "{err}");
    assert!(remote.snapshot().is_none());

    server.reply(JWKS, Reply::ok(jwks(&[&k1])));
    tokio::time::sleep(ms(30)).await; // past the cool-down
    decode(&remote, &token(&k1)).await.unwrap();
    assert!(remote.snapshot().is_some());
}

#[tokio::test]
async fn a_first_fetch_that_fails_is_unavailable_for_every_reason() {
    let server = Server::start().await;
    let k1 = key("k1");
    for (reply, reason) in failures() {
        server.reply(JWKS, reply.clone());
        let remote = RemoteJwkSet::from_url(server.url(JWKS))
            .allow_insecure_loopback()
            .timeout(ms(300))
            .build()
            .unwrap();
        let before = server.hits(JWKS);
        let started = Instant::now();
        let err = decode(&remote, &token(&k1)).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unavailable, "{reply:?}");
        assert!(err.to_string().contains(reason), "{reply:?}: {err}");
        assert!(started.elapsed() < Duration::from_secs(3), "{reply:?}");
        assert!(remote.snapshot().is_none());
        // Within the cool-down the failure is reported again without a request.
        let again = decode(&remote, &token(&k1)).await.unwrap_err();
        assert_eq!(again.kind(), ErrorKind::Unavailable);
        assert_eq!(server.hits(JWKS), before + 1, "{reply:?}");
    }
}

#[tokio::test]
async fn a_server_that_is_not_there_is_unavailable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/jwks", listener.local_addr().unwrap());
    drop(listener);
    let remote = RemoteJwkSet::from_url(url)
        .allow_insecure_loopback()
        .build()
        .unwrap();
    let err = decode(&remote, &token(&key("k1"))).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    let err = remote.refresh().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
}

#[test]
fn fetching_without_a_tokio_runtime_is_unavailable() {
    let remote = RemoteJwkSet::from_url("https://auth.example.com/jwks")
        .build()
        .unwrap();
    let mut refresh = std::pin::pin!(remote.refresh());
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    let std::task::Poll::Ready(result) = refresh.as_mut().poll(&mut context) else {
        panic!("refresh waited for something without a runtime");
    };
    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains("tokio runtime"), "{err}");
}

// ---- limits ----

#[tokio::test]
async fn the_body_limit_is_configurable() {
    let server = Server::start().await;
    let k1 = key("k1");
    let body = jwks(&[&k1]);
    server.reply(JWKS, Reply::ok(body.clone()));
    let remote = RemoteJwkSet::from_url(server.url(JWKS))
        .allow_insecure_loopback()
        .max_body(body.len() - 1)
        .build()
        .unwrap();
    let err = remote.refresh().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains("over the limit"), "{err}");
    let remote = RemoteJwkSet::from_url(server.url(JWKS))
        .allow_insecure_loopback()
        .max_body(body.len())
        .build()
        .unwrap();
    remote.refresh().await.unwrap();
}

#[tokio::test]
async fn a_hanging_server_is_given_up_after_the_timeout() {
    let server = Server::start().await;
    for reply in [Reply::Hang, Reply::StallBody] {
        server.reply(JWKS, reply.clone());
        let remote = RemoteJwkSet::from_url(server.url(JWKS))
            .allow_insecure_loopback()
            .timeout(ms(300))
            .build()
            .unwrap();
        let started = Instant::now();
        let err = remote.refresh().await.unwrap_err();
        let elapsed = started.elapsed();
        assert_eq!(err.kind(), ErrorKind::Unavailable);
        assert!(elapsed >= ms(250), "{reply:?} {elapsed:?}");
        assert!(elapsed < ms(1500), "{reply:?} {elapsed:?}");
    }
}

#[tokio::test]
async fn up_to_three_redirects_are_followed() {
    let server = Server::start().await;
    let k1 = key("k1");
    server.reply(JWKS, Reply::ok(jwks(&[&k1])));
    server.reply("/r1", Reply::Redirect(server.url("/r2")));
    server.reply("/r2", Reply::Redirect("/r3".into()));
    server.reply("/r3", Reply::Redirect(server.url(JWKS)));
    let remote = RemoteJwkSet::from_url(server.url("/r1"))
        .allow_insecure_loopback()
        .build()
        .unwrap();
    decode(&remote, &token(&k1)).await.unwrap();
    assert_eq!(server.hits(JWKS), 1);

    server.reply("/r0", Reply::Redirect(server.url("/r1")));
    let remote = RemoteJwkSet::from_url(server.url("/r0"))
        .allow_insecure_loopback()
        .build()
        .unwrap();
    let err = decode(&remote, &token(&k1)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains("more than 3 redirects"), "{err}");
    assert_eq!(server.hits(JWKS), 1);
    assert_eq!(server.hits("/r3"), 2);
}

#[tokio::test]
async fn a_redirect_to_plain_http_off_loopback_is_refused() {
    let server = Server::start().await;
    server.reply(JWKS, Reply::Redirect("http://keys.example.com/jwks".into()));
    let remote = remote(&server);
    let err = remote.refresh().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains("not a loopback"), "{err}");
    server.reply(JWKS, Reply::Redirect("ftp://127.0.0.1/jwks".into()));
    tokio::time::sleep(ms(250)).await;
    let err = remote.refresh().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains("scheme"), "{err}");
}

#[test]
fn urls_that_are_not_https_are_refused_at_build() {
    let refused = [
        ("http://auth.example.com/jwks", false),
        ("http://127.0.0.1:8080/jwks", false),
        ("http://auth.example.com/jwks", true),
        ("http://localhost:8080/jwks", true),
        ("http://10.0.0.1/jwks", true),
        ("ftp://auth.example.com/jwks", true),
        ("file:///etc/jwks.json", true),
        ("/jwks", true),
        ("not a url", true),
        ("", true),
        ("https://user:secret@auth.example.com/jwks", false),
    ];
    for (url, loopback) in refused {
        let mut builder = RemoteJwkSet::from_url(url);
        if loopback {
            builder = builder.allow_insecure_loopback();
        }
        let err = builder.build().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey, "{url}");
        assert!(!err.to_string().contains("secret"), "{err}");

        let mut builder = RemoteJwkSet::from_issuer(url);
        if loopback {
            builder = builder.allow_insecure_loopback();
        }
        let err = builder.build().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey, "issuer {url}");
    }
    for url in [
        "https://auth.example.com/jwks",
        "http://127.0.0.1:8080/jwks",
        "http://127.8.9.10/jwks",
        "http://[::1]:8080/jwks",
    ] {
        RemoteJwkSet::from_url(url)
            .allow_insecure_loopback()
            .build()
            .unwrap();
    }
}

#[test]
fn an_issuer_with_a_query_and_reversed_ttl_bounds_are_refused_at_build() {
    let err = RemoteJwkSet::from_issuer("https://auth.example.com/?tenant=1")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidKey);
    let err = RemoteJwkSet::from_url("https://auth.example.com/jwks")
        .ttl_bounds(ms(2000), ms(1000))
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidKey);
    assert!(err.to_string().contains("reversed"), "{err}");
}

// ---- OpenID discovery ----

const DISCOVERY: &str = "/.well-known/openid-configuration";

fn discovery(issuer: &str, jwks_uri: &str) -> String {
    serde_json::json!({ "issuer": issuer, "jwks_uri": jwks_uri }).to_string()
}

#[tokio::test]
async fn discovery_finds_the_jwks_uri_and_keeps_it() {
    let server = Server::start().await;
    let k1 = key("k1");
    let issuer = server.url("");
    server.reply(
        DISCOVERY,
        Reply::ok(discovery(&issuer, &server.url("/keys"))),
    );
    server.reply("/keys", Reply::ok(jwks(&[&k1])));
    let remote = RemoteJwkSet::from_issuer(&issuer)
        .allow_insecure_loopback()
        .build()
        .unwrap();
    decode(&remote, &token(&k1)).await.unwrap();
    remote.refresh().await.unwrap();
    assert_eq!(server.hits(DISCOVERY), 1);
    assert_eq!(server.hits("/keys"), 2);

    // After a failed fetch, discovery runs again.
    server.reply("/keys", Reply::Status(500));
    remote.refresh().await.unwrap_err();
    server.reply("/keys", Reply::ok(jwks(&[&k1])));
    remote.refresh().await.unwrap();
    assert_eq!(server.hits(DISCOVERY), 2);
}

#[tokio::test]
async fn discovery_under_a_path_and_a_trailing_slash() {
    let server = Server::start().await;
    let k1 = key("k1");
    let issuer = server.url("/tenant/");
    server.reply(
        "/tenant/.well-known/openid-configuration",
        Reply::ok(discovery(&issuer, &server.url("/tenant/keys"))),
    );
    server.reply("/tenant/keys", Reply::ok(jwks(&[&k1])));
    let remote = RemoteJwkSet::from_issuer(&issuer)
        .allow_insecure_loopback()
        .build()
        .unwrap();
    decode(&remote, &token(&k1)).await.unwrap();
}

#[tokio::test]
async fn a_discovery_document_that_cannot_be_used_is_unavailable() {
    let server = Server::start().await;
    let k1 = key("k1");
    let issuer = server.url("");
    server.reply("/keys", Reply::ok(jwks(&[&k1])));
    let cases = [
        (
            discovery("https://evil.example.com", &server.url("/keys")),
            "names issuer",
        ),
        (
            discovery(&format!("{issuer}/"), &server.url("/keys")),
            "names issuer",
        ),
        (
            discovery(&issuer, "http://keys.example.com/keys"),
            "unusable jwks_uri",
        ),
        (discovery(&issuer, "/keys"), "not an absolute URL"),
        (
            serde_json::json!({ "issuer": issuer }).to_string(),
            "not a discovery document",
        ),
        (
            serde_json::json!({ "issuer": issuer, "jwks_uri": 7 }).to_string(),
            "not a discovery document",
        ),
        ("not json".to_owned(), "not a discovery document"),
    ];
    let cases = cases
        .into_iter()
        .map(|(document, reason)| (Reply::ok(document), reason))
        .chain([(Reply::Status(404), "404")]);
    for (document, reason) in cases {
        server.reply(DISCOVERY, document.clone());
        let remote = RemoteJwkSet::from_issuer(&issuer)
            .allow_insecure_loopback()
            .build()
            .unwrap();
        let err = decode(&remote, &token(&k1)).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unavailable, "{document:?}");
        assert!(err.to_string().contains(reason), "{document:?}: {err}");
    }
    assert_eq!(server.hits("/keys"), 0);
}

// ---- the synchronous path (Verifier, axum) ----

#[tokio::test]
async fn a_verifier_backed_by_the_remote_set_fetches_in_the_background() {
    let server = Server::start().await;
    let (k1, k2) = (key("k1"), key("k2"));
    server.reply(JWKS, Reply::ok(jwks(&[&k1])));
    let remote = RemoteJwkSet::from_url(server.url(JWKS))
        .allow_insecure_loopback()
        .cooldown(ms(500))
        .build()
        .unwrap();
    let verifier = Verifier::new(remote.clone(), Validation::new());

    let err = verifier.decode::<Claims>(&token(&k1)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    eventually("the set is fetched", || remote.snapshot().is_some()).await;
    verifier.decode::<Claims>(&token(&k1)).unwrap();
    assert_eq!(server.hits(JWKS), 1);

    server.reply(JWKS, Reply::ok(jwks(&[&k1, &k2])));
    tokio::time::sleep(ms(550)).await;
    let err = verifier.decode::<Claims>(&token(&k2)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownKey);
    eventually("the rotation is fetched", || server.hits(JWKS) == 2).await;
    eventually("the rotation is in service", || {
        remote.snapshot().is_some_and(|set| set.len() == 2)
    })
    .await;
    verifier.decode::<Claims>(&token(&k2)).unwrap();
    // Within the cool-down, unknown kids start nothing.
    for _ in 0..10 {
        let err = verifier.decode::<Claims>(&token(&key("k9"))).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownKey);
    }
    tokio::time::sleep(ms(50)).await;
    assert_eq!(server.hits(JWKS), 2);
}

// ---- tracing ----

type Recorded = (Level, Vec<(String, String)>);

#[derive(Clone, Default)]
struct Recorder {
    events: Arc<Mutex<Vec<Recorded>>>,
}

struct Fields(Vec<(String, String)>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        if !event.metadata().target().starts_with("jwt_jwks") {
            return;
        }
        let mut fields = Fields(Vec::new());
        event.record(&mut fields);
        self.events
            .lock()
            .unwrap()
            .push((*event.metadata().level(), fields.0));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

fn field<'a>(event: &'a Recorded, name: &str) -> Option<&'a str> {
    event
        .1
        .iter()
        .find(|(field, _)| field == name)
        .map(|(_, value)| value.as_str())
}

#[tokio::test(flavor = "current_thread")]
async fn a_failed_refresh_is_a_warning_and_a_rotation_an_info_event() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let server = Server::start().await;
    let (k1, k2) = (key("k1"), key("k2"));
    server.reply(JWKS, Reply::ok(jwks(&[&k1])));
    let remote = RemoteJwkSet::from_url(server.url(JWKS))
        .allow_insecure_loopback()
        .cooldown(ms(10))
        .ttl_bounds(ms(50), ms(50))
        .max_stale(ms(300))
        .build()
        .unwrap();
    remote.refresh().await.unwrap();
    server.reply(JWKS, Reply::Status(500));
    remote.refresh().await.unwrap_err();
    server.reply(JWKS, Reply::ok(jwks(&[&k2])));
    remote.refresh().await.unwrap();
    server.reply(JWKS, Reply::Status(500));
    tokio::time::sleep(ms(400)).await;
    assert!(remote.snapshot().is_none());

    let events = recorder.events.lock().unwrap().clone();
    let messages: Vec<(Level, &str)> = events
        .iter()
        .map(|event| (event.0, field(event, "message").unwrap_or("")))
        .collect();
    assert_eq!(
        messages,
        [
            (Level::INFO, "jwk set fetched"),
            (
                Level::WARN,
                "jwk set refresh failed; the last good set stays in service"
            ),
            (Level::INFO, "jwk set rotation picked up"),
            (
                Level::WARN,
                "jwk set dropped from service: no refresh succeeded within max_stale past its lifetime"
            ),
        ]
    );
    assert!(field(&events[1], "error").unwrap().contains("500"));
    assert_eq!(field(&events[2], "added"), Some("1"));
    assert_eq!(field(&events[2], "removed"), Some("1"));
    let public = [&k1, &k2].map(|pair| {
        let jwk = pair.public_key().to_jwk();
        serde_json::to_value(jwk).unwrap()["x"]
            .as_str()
            .unwrap()
            .to_owned()
    });
    for event in &events {
        for (_, value) in &event.1 {
            for x in &public {
                assert!(!value.contains(x.as_str()), "{value}");
            }
        }
    }
}
