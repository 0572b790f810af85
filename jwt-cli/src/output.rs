//! What the commands print: colour where it belongs, the pretty report of a token, and
//! the JSON forms for scripts.

use std::ffi::OsStr;
use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use jwt_core::{Header, NumericDate};
use serde_json::Value;

use crate::cli::ColorChoice;
use crate::times::{Distance, utc_date};

/// Whether to colour a stream: `always`, `never`, or on a terminal when `NO_COLOR` is
/// unset or empty (<https://no-color.org>).
pub fn colour_enabled(choice: ColorChoice, is_terminal: bool, no_color: Option<&OsStr>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && no_color.is_none_or(OsStr::is_empty),
    }
}

/// Applies styles to text, or leaves it plain.
#[derive(Clone, Copy, Debug)]
pub struct Painter {
    enabled: bool,
}

/// The mark of an unverified token.
pub const UNVERIFIED: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));
/// The mark of a verified token.
pub const VERIFIED: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));
/// `error:`.
pub const ERROR: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));
/// `warning:`.
pub const WARNING: Style = UNVERIFIED;
/// Section headings.
const HEADING: Style = Style::new().bold();

impl Painter {
    /// A painter that colours when `enabled`.
    pub fn new(enabled: bool) -> Painter {
        Painter { enabled }
    }

    /// `text` in `style`, when colour is on.
    pub fn paint(self, style: Style, text: &str) -> String {
        if self.enabled {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }
}

/// The claims whose values are times, in the order shown.
const TIME_CLAIMS: [&str; 3] = ["iat", "nbf", "exp"];

/// The pretty report: a first line that says whether the token was verified, then the
/// header, the claims, and the time claims as UTC dates with their distance from `now`.
pub fn pretty(
    painter: Painter,
    mark: (Style, &str),
    header: &Value,
    claims: &Value,
    now: NumericDate,
) -> String {
    let mut out = String::new();
    let (style, text) = mark;
    let _ = writeln!(out, "{}\n", painter.paint(style, text));
    let _ = writeln!(out, "{}", painter.paint(HEADING, "Header:"));
    let _ = writeln!(out, "{}\n", json_pretty(header));
    let _ = writeln!(out, "{}", painter.paint(HEADING, "Claims:"));
    let _ = writeln!(out, "{}", json_pretty(claims));
    let times: Vec<(&str, &Value)> = TIME_CLAIMS
        .into_iter()
        .filter_map(|name| claims.get(name).map(|value| (name, value)))
        .collect();
    if !times.is_empty() {
        let _ = writeln!(out, "\n{}", painter.paint(HEADING, "Times (UTC):"));
        for (name, value) in times {
            let _ = writeln!(out, "  {name}  {}", describe_time(value, now));
        }
    }
    out
}

/// What a verifier would refuse in an unverified token, after its report.
pub fn findings(out: &mut String, painter: Painter, findings: &[String]) {
    if findings.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}",
        painter.paint(WARNING, "A verifier would refuse this token:")
    );
    for finding in findings {
        let _ = writeln!(out, "  - {finding}");
    }
}

/// `2022-05-05T14:22:07Z  (4 years ago)`, read by jwt-core's own rules for times.
fn describe_time(value: &Value, now: NumericDate) -> String {
    match serde_json::from_value::<NumericDate>(value.clone()) {
        Ok(date) => match utc_date(date) {
            Ok(text) => format!("{text}  ({})", Distance::new(date, now)),
            Err(why) => format!("{date}: {why}"),
        },
        Err(_) => format!("{value}: not a time"),
    }
}

/// The header as the JSON object it was read from.
pub fn header_json(header: &Header) -> Value {
    // A header always serializes: its members are strings and JSON values.
    serde_json::to_value(header).unwrap_or(Value::Null)
}

fn json_pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// One line of JSON.
pub fn json_line(value: &Value) -> String {
    format!("{value}\n")
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use super::*;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        let set = OsString::from("1");
        let empty = OsString::new();
        assert!(colour_enabled(ColorChoice::Auto, true, None));
        assert!(colour_enabled(ColorChoice::Auto, true, Some(&empty)));
        assert!(!colour_enabled(ColorChoice::Auto, true, Some(&set)));
        assert!(!colour_enabled(ColorChoice::Auto, false, None));
        assert!(colour_enabled(ColorChoice::Always, false, Some(&set)));
        assert!(!colour_enabled(ColorChoice::Never, true, None));
    }

    #[test]
    fn plain_painter_leaves_text_alone() {
        assert_eq!(Painter::new(false).paint(ERROR, "error:"), "error:");
        let coloured = Painter::new(true).paint(ERROR, "error:");
        assert!(coloured.starts_with("\u{1b}[") && coloured.contains("error:"));
        assert!(coloured.ends_with("\u{1b}[0m"));
    }

    #[test]
    fn times_show_their_date_or_why_not() {
        let now = NumericDate::from_secs(1_651_760_527);
        assert_eq!(
            describe_time(&Value::from(1_651_760_527), now),
            "2022-05-05T14:22:07Z  (now)"
        );
        assert_eq!(
            describe_time(&Value::from(1_651_760_000.9), now),
            "2022-05-05T14:13:20Z  (8 minutes ago)"
        );
        assert!(describe_time(&Value::from(9_007_199_254_740_991_i64), now).contains("beyond"));
        assert!(describe_time(&Value::from("soon"), now).contains("not a time"));
    }
}
