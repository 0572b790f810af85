//! For tests: starts a throwaway `redis-server` on a free loopback port, stopped on drop.
//!
//! Enabled by the `testing` cargo feature (off by default); meant for dev-dependencies.
//! Without `redis-server` on `PATH`, [`RedisServer::start`] prints that the test was
//! skipped and returns `None`; with the environment variable `JWT_REQUIRE_REDIS=1` (as CI
//! sets it) it panics instead.
//!
//! ```no_run
//! use jwt_replay::RedisStore;
//! use jwt_replay::testing::RedisServer;
//!
//! # async fn run() -> Result<(), jwt_core::Error> {
//! let Some(server) = RedisServer::start() else {
//!     return Ok(()); // skipped: no redis-server here
//! };
//! let store = RedisStore::connect(&server.url(), "test:").await?;
//! # let _ = store;
//! # Ok(())
//! # }
//! ```
//!
//! Every function here panics when the server cannot be started or controlled: it is
//! test code, where a panic is the failure report.

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// A running `redis-server` that this test started; killed when dropped.
///
/// It listens on `127.0.0.1` only, with `maxmemory-policy noeviction` and no RDB
/// snapshots, in a temporary directory removed on drop.
#[derive(Debug)]
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    persistent: bool,
    dir: tempfile::TempDir,
}

/// Whether `redis-server` is on `PATH`; panics when it is required and missing.
fn redis_server_found() -> bool {
    match Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(status) if status.success() => true,
        Ok(status) => panic!("redis-server --version failed: {status}"),
        Err(error) if error.kind() == ErrorKind::NotFound => {
            assert!(
                std::env::var_os("JWT_REQUIRE_REDIS").is_none_or(|value| value != "1"),
                "redis-server not found on PATH, and JWT_REQUIRE_REDIS=1 requires it"
            );
            // Straight to stderr, past the test harness's capture, so that it shows.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: redis-server not found (install it, or set JWT_REQUIRE_REDIS=1 to fail)"
            );
            false
        }
        Err(error) => panic!("cannot run redis-server: {error}"),
    }
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a free loopback port");
    listener
        .local_addr()
        .expect("the address of a bound listener")
        .port()
}

/// Whether the server on `port` answers `PING` with `PONG`.
fn pings(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect((Ipv4Addr::LOCALHOST, port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    if stream.write_all(b"PING\r\n").is_err() {
        return false;
    }
    let mut reply = [0u8; 7];
    stream.read_exact(&mut reply).is_ok() && &reply == b"+PONG\r\n"
}

impl RedisServer {
    /// A server that keeps nothing on disk, or `None` (with a note on stderr) if there is
    /// no `redis-server`.
    ///
    /// # Panics
    ///
    /// When `redis-server` is missing and `JWT_REQUIRE_REDIS=1`, or when it cannot be
    /// started or does not answer within 10 seconds.
    pub fn start() -> Option<RedisServer> {
        RedisServer::start_with(false)
    }

    /// A server with an append-only file synced on every write (`appendonly yes`,
    /// `appendfsync always`): what it acknowledged survives
    /// [`kill`](RedisServer::kill) and [`restart`](RedisServer::restart).
    ///
    /// # Panics
    ///
    /// As [`start`](RedisServer::start).
    pub fn start_persistent() -> Option<RedisServer> {
        RedisServer::start_with(true)
    }

    fn start_with(persistent: bool) -> Option<RedisServer> {
        if !redis_server_found() {
            return None;
        }
        let mut server = RedisServer {
            child: None,
            port: free_port(),
            persistent,
            dir: tempfile::tempdir().expect("create a temporary directory for redis-server"),
        };
        server.restart();
        Some(server)
    }

    fn spawn(&self, dir: &Path) -> Child {
        let port = self.port.to_string();
        let mut command = Command::new("redis-server");
        command
            .args(["--port", &port, "--bind", "127.0.0.1", "--save", ""])
            .args(["--daemonize", "no", "--protected-mode", "yes"])
            .args(["--maxmemory-policy", "noeviction"])
            .arg("--dir")
            .arg(dir);
        if self.persistent {
            command.args(["--appendonly", "yes", "--appendfsync", "always"]);
        } else {
            command.args(["--appendonly", "no"]);
        }
        command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server")
    }

    /// Starts the server (again) on its port, with its data directory, and waits until it
    /// answers `PING`.
    ///
    /// # Panics
    ///
    /// When the server is running, or when it does not answer within 10 seconds.
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "the server is running");
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut child = self.spawn(self.dir.path());
        while !pings(self.port) {
            if let Some(status) = child.try_wait().expect("wait for redis-server") {
                // Another process took the port after it was found free: once more.
                assert!(Instant::now() < deadline, "redis-server exited: {status}");
                thread::sleep(Duration::from_millis(50));
                child = self.spawn(self.dir.path());
                continue;
            }
            assert!(
                Instant::now() < deadline,
                "redis-server did not answer on port {}",
                self.port
            );
            thread::sleep(Duration::from_millis(10));
        }
        self.child = Some(child);
    }

    /// Kills the server with `SIGKILL`, as a crash would, and waits for it to exit.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Sends the server `signal` (`STOP`, `CONT`) with `kill(1)`.
    ///
    /// # Panics
    ///
    /// When the server is not running or `kill` fails.
    pub fn signal(&self, signal: &str) {
        let pid = self
            .child
            .as_ref()
            .expect("the server is not running")
            .id()
            .to_string();
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{signal} {pid}: {status}");
    }

    /// The server's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `redis://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A port on which nothing listens (found free, then released).
///
/// # Panics
///
/// When no loopback port can be bound.
pub fn unused_port() -> u16 {
    free_port()
}
