//! A small HTTP/1.1 server on `127.0.0.1:0` for the tests: each path has a reply that a
//! test can switch, and every request is counted per path. Each response closes its
//! connection, so one request is one connection.

#![allow(dead_code)]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jwt_core::{Algorithm, JwkSet, KeyPair, NumericDate};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What a path answers.
#[derive(Clone, Debug)]
pub enum Reply {
    /// `200` with this body and headers, after a delay.
    Ok {
        body: String,
        headers: Vec<(String, String)>,
        delay: Duration,
    },
    /// `200` with these bytes as the body.
    Bytes(Vec<u8>),
    /// This status and an empty body.
    Status(u16),
    /// Reads the request and never answers.
    Hang,
    /// `200` with headers and the first bytes of a body, then nothing more.
    StallBody,
    /// `200` with a 10 MiB body, with or without `Content-Length`.
    Huge { content_length: bool },
    /// `302` to this location.
    Redirect(String),
}

impl Reply {
    /// `200` with `body` at once.
    pub fn ok(body: impl Into<String>) -> Reply {
        Reply::Ok {
            body: body.into(),
            headers: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    /// `200` with `body` and a `Cache-Control` header.
    pub fn cached(body: impl Into<String>, cache_control: &str) -> Reply {
        Reply::Ok {
            body: body.into(),
            headers: vec![("Cache-Control".into(), cache_control.into())],
            delay: Duration::ZERO,
        }
    }

    /// `200` with `body` after `delay`.
    pub fn slow(body: impl Into<String>, delay: Duration) -> Reply {
        Reply::Ok {
            body: body.into(),
            headers: Vec::new(),
            delay,
        }
    }
}

struct Route {
    reply: Reply,
    hits: usize,
}

/// The server; dropped with the test's runtime.
#[derive(Clone)]
pub struct Server {
    pub addr: SocketAddr,
    routes: Arc<Mutex<HashMap<String, Route>>>,
}

impl Server {
    pub async fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = Server {
            addr: listener.local_addr().unwrap(),
            routes: Arc::default(),
        };
        let routes = Arc::clone(&server.routes);
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(serve(stream, Arc::clone(&routes)));
            }
        });
        server
    }

    /// `http://127.0.0.1:port{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Sets what `path` answers from now on.
    pub fn reply(&self, path: &str, reply: Reply) {
        let mut routes = self.routes.lock().unwrap();
        routes
            .entry(path.to_owned())
            .and_modify(|route| route.reply = reply.clone())
            .or_insert(Route { reply, hits: 0 });
    }

    /// How many requests `path` got.
    pub fn hits(&self, path: &str) -> usize {
        self.routes
            .lock()
            .unwrap()
            .get(path)
            .map_or(0, |route| route.hits)
    }

    /// How many requests every path got together.
    pub fn total_hits(&self) -> usize {
        self.routes
            .lock()
            .unwrap()
            .values()
            .map(|route| route.hits)
            .sum()
    }
}

async fn serve(mut stream: TcpStream, routes: Arc<Mutex<HashMap<String, Route>>>) {
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buffer[..n]),
        }
        if request.len() > 64 * 1024 {
            return;
        }
    }
    let text = String::from_utf8_lossy(&request);
    let path = text.split(' ').nth(1).unwrap_or("/").to_owned();
    let reply = {
        let mut routes = routes.lock().unwrap();
        let route = routes.entry(path).or_insert(Route {
            reply: Reply::Status(404),
            hits: 0,
        });
        route.hits += 1;
        route.reply.clone()
    };
    let _ = match reply {
        Reply::Ok {
            body,
            headers,
            delay,
        } => {
            tokio::time::sleep(delay).await;
            let mut extra = String::new();
            for (name, value) in &headers {
                write!(extra, "{name}: {value}\r\n").unwrap();
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n",
                body.len()
            );
            write_all(&mut stream, &[head.as_bytes(), body.as_bytes()]).await
        }
        Reply::Bytes(body) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            write_all(&mut stream, &[head.as_bytes(), &body]).await
        }
        Reply::Status(status) => {
            let head = format!(
                "HTTP/1.1 {status} Whatever\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            write_all(&mut stream, &[head.as_bytes()]).await
        }
        Reply::Redirect(location) => {
            let head = format!(
                "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            write_all(&mut stream, &[head.as_bytes()]).await
        }
        Reply::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(())
        }
        Reply::StallBody => {
            let head =
                "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"keys\"";
            let _ = write_all(&mut stream, &[head.as_bytes()]).await;
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(())
        }
        Reply::Huge { content_length } => {
            let size = 10 * 1024 * 1024;
            let head = if content_length {
                format!("HTTP/1.1 200 OK\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n")
            } else {
                "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".to_owned()
            };
            let chunk = vec![b' '; 64 * 1024];
            let mut result = stream.write_all(head.as_bytes()).await;
            let mut sent = 0;
            while result.is_ok() && sent < size {
                result = stream.write_all(&chunk).await;
                sent += chunk.len();
            }
            result
        }
    };
    let _ = stream.shutdown().await;
}

async fn write_all(stream: &mut TcpStream, parts: &[&[u8]]) -> std::io::Result<()> {
    for part in parts {
        stream.write_all(part).await?;
    }
    stream.flush().await
}

/// An Ed25519 key pair with this `kid`.
pub fn key(kid: &str) -> KeyPair {
    KeyPair::generate(Algorithm::EdDSA).unwrap().with_kid(kid)
}

/// An RS256 key pair (one fixed RSA-2048 key) with this `kid`: RSA verification is
/// cheap enough for the tests that verify a thousand tokens in an unoptimized build.
pub fn rsa_key(kid: &str) -> KeyPair {
    let pem = include_str!("../../../jwt-core/src/key/testdata/rsa2048.pem");
    KeyPair::from_pem(Algorithm::RS256, pem)
        .unwrap()
        .with_kid(kid)
}

/// The JWK Set of these keys' public halves.
pub fn jwks(keys: &[&KeyPair]) -> String {
    JwkSet::from_keys(keys.iter().map(|pair| pair.public_key()))
        .unwrap()
        .to_json()
}

/// A token signed by `pair`, valid for ten minutes.
pub fn token(pair: &KeyPair) -> String {
    let claims = serde_json::json!({
        "sub": "u1",
        "exp": (NumericDate::now() + 600).as_secs(),
    });
    jwt_core::encode(&claims, pair).unwrap()
}

/// Waits until `done` holds, for at most five seconds.
pub async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "timed out waiting until {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
