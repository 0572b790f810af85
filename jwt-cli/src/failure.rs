//! Why a command failed, and the exit code that says so.

use std::process::ExitCode;

/// A failed command: the exit code and the message for standard error.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    message: String,
}

/// The token was refused (`verify`) or cannot be read (`decode`).
pub const EXIT_REFUSED: u8 = 1;
/// A usage error, or a key, file or claims that cannot be read or used.
pub const EXIT_USAGE: u8 = 2;

impl Failure {
    /// A usage error, or input other than the token that cannot be read or used.
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: EXIT_USAGE,
            message: message.into(),
        }
    }

    /// A token refused by jwt-core: `Kind: message`.
    pub fn refused(error: &jwt_core::Error) -> Failure {
        Failure {
            code: EXIT_REFUSED,
            message: describe(error),
        }
    }

    /// A key that jwt-core cannot use, read from `origin`.
    pub fn key(error: &jwt_core::Error, origin: &str) -> Failure {
        Failure::usage(format!("{} (the key {origin})", describe(error)))
    }

    /// The message, without the `error: ` prefix.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The process's exit code.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code)
    }
}

/// `Kind: message`, where `Kind` is the `ErrorKind`'s name for scripts and the message
/// is jwt-core's (which never holds key material).
pub fn describe(error: &jwt_core::Error) -> String {
    format!("{}: {error}", kind_name(error))
}

/// The `ErrorKind`'s name, as its `Debug` writes it: `Expired`, `InvalidSignature`, ...
pub fn kind_name(error: &jwt_core::Error) -> String {
    format!("{:?}", error.kind())
}
