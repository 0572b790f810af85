//! Reading the token and the claims: from an argument, a file, or standard input (`-`).

use std::io::Read;
use std::path::Path;

use serde_json::{Map, Value};

use crate::failure::Failure;

/// The token given as `argument`, or read from standard input for `-` (surrounding
/// whitespace removed, so that `echo "$TOKEN" |` works).
pub fn token(argument: &str) -> Result<String, Failure> {
    if argument == "-" {
        let text = stdin("the token")?;
        Ok(text.trim_ascii().to_owned())
    } else {
        Ok(argument.to_owned())
    }
}

/// The claims: a JSON object from `argument` (`-` for standard input) or from `file`;
/// none given is an empty object.
pub fn claims(argument: Option<&str>, file: Option<&Path>) -> Result<Map<String, Value>, Failure> {
    let (text, origin) = match (argument, file) {
        (Some("-"), _) => (stdin("the claims")?, "standard input".to_owned()),
        (Some(json), _) => (json.to_owned(), "the CLAIMS argument".to_owned()),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path).map_err(|error| {
                Failure::usage(format!(
                    "cannot read the claims file {}: {error}",
                    path.display()
                ))
            })?;
            (text, format!("the claims file {}", path.display()))
        }
        (None, None) => return Ok(Map::new()),
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(claims)) => Ok(claims),
        Ok(other) => Err(Failure::usage(format!(
            "the claims in {origin} must be a JSON object, not {}",
            json_type(&other)
        ))),
        Err(error) => Err(Failure::usage(format!(
            "the claims in {origin} are not valid JSON: {error}"
        ))),
    }
}

fn stdin(what: &str) -> Result<String, Failure> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|error| {
            Failure::usage(format!("cannot read {what} from standard input: {error}"))
        })?;
    Ok(text)
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
