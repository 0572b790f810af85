//! Finding the token in a request: the `Authorization: Bearer` header (RFC 6750 section
//! 2.1) or, when configured, a named cookie. Nothing here decodes the token; it only
//! checks that it is there once, short enough and made of `b64token` characters.

use axum::http::{HeaderMap, header};

use crate::RejectionKind;

/// Room for the scheme and the spaces around it in an `Authorization` value, on top of
/// the token length limit, before the value is even scanned.
const SCHEME_ROOM: usize = 16;

/// The token the request carries: `Ok(None)` when it carries none.
pub(crate) fn find_token<'a>(
    headers: &'a HeaderMap,
    cookie: Option<&str>,
    limit: usize,
) -> Result<Option<&'a str>, RejectionKind> {
    if let Some(token) = bearer_token(headers, limit)? {
        return Ok(Some(token));
    }
    match cookie {
        Some(name) => cookie_token(headers, name, limit),
        None => Ok(None),
    }
}

/// The token of an `Authorization: Bearer` header; `None` without the header or with
/// another scheme.
fn bearer_token(headers: &HeaderMap, limit: usize) -> Result<Option<&str>, RejectionKind> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(RejectionKind::DuplicateCredentials);
    }
    let value = value.as_bytes();
    if value.len() > limit.saturating_add(SCHEME_ROOM) {
        return Err(RejectionKind::CredentialsTooLong);
    }
    let (scheme, credentials) = match value.iter().position(|&byte| byte == b' ') {
        Some(space) => value.split_at(space),
        None => (value, &[][..]),
    };
    if !scheme.eq_ignore_ascii_case(b"bearer") {
        return Ok(None);
    }
    let credentials = credentials.trim_ascii_start();
    b64token(credentials, limit).map(Some)
}

/// The value of the cookie `name` from every `Cookie` header (RFC 6265 section 5.4;
/// HTTP/2 may split cookies over several headers); `None` when it is absent or empty (a
/// cleared cookie).
fn cookie_token<'a>(
    headers: &'a HeaderMap,
    name: &str,
    limit: usize,
) -> Result<Option<&'a str>, RejectionKind> {
    let mut found = None;
    for value in headers.get_all(header::COOKIE) {
        for pair in value.as_bytes().split(|&byte| byte == b';') {
            let pair = pair.trim_ascii();
            let Some(equals) = pair.iter().position(|&byte| byte == b'=') else {
                continue;
            };
            let (pair_name, pair_value) = pair.split_at(equals);
            if pair_name != name.as_bytes() {
                continue;
            }
            if found.is_some() {
                return Err(RejectionKind::DuplicateCredentials);
            }
            let pair_value = pair_value.get(1..).unwrap_or_default();
            let unquoted = pair_value
                .strip_prefix(b"\"")
                .and_then(|rest| rest.strip_suffix(b"\""))
                .unwrap_or(pair_value);
            found = Some(unquoted);
        }
    }
    match found {
        None | Some([]) => Ok(None),
        Some(token) => b64token(token, limit).map(Some),
    }
}

/// `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`, no longer
/// than `limit`.
fn b64token(token: &[u8], limit: usize) -> Result<&str, RejectionKind> {
    if token.len() > limit {
        return Err(RejectionKind::CredentialsTooLong);
    }
    let body_len = token.len() - token.iter().rev().take_while(|&&b| b == b'=').count();
    let (body, _padding) = token.split_at(body_len);
    let allowed = |byte: &u8| byte.is_ascii_alphanumeric() || b"-._~+/".contains(byte);
    if body.is_empty() || !body.iter().all(allowed) {
        return Err(RejectionKind::MalformedCredentials);
    }
    std::str::from_utf8(token).map_err(|_| RejectionKind::MalformedCredentials)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    const LIMIT: usize = 64;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn find(pairs: &[(&'static str, &str)]) -> Result<Option<String>, RejectionKind> {
        find_token(&headers(pairs), Some("token"), LIMIT).map(|t| t.map(str::to_owned))
    }

    #[test]
    fn the_bearer_scheme_is_case_insensitive() {
        for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
            let value = format!("{scheme} a.b.c");
            assert_eq!(find(&[("authorization", &value)]), Ok(Some("a.b.c".into())));
        }
    }

    #[test]
    fn another_scheme_or_no_header_carries_no_token() {
        assert_eq!(find(&[]), Ok(None));
        assert_eq!(find(&[("authorization", "Basic ZGVtbzpkZW1v")]), Ok(None));
        assert_eq!(find(&[("authorization", "Bearerx a.b.c")]), Ok(None));
    }

    #[test]
    fn two_authorization_headers_are_refused() {
        let twice = [
            ("authorization", "Bearer a.b.c"),
            ("authorization", "Bearer a.b.c"),
        ];
        assert_eq!(find(&twice), Err(RejectionKind::DuplicateCredentials));
    }

    #[test]
    fn bearer_without_a_b64token_is_malformed() {
        for value in [
            "Bearer",
            "Bearer ",
            "Bearer a.b c",
            "Bearer a,b",
            "Bearer ===",
            "Bearer \"a\"",
        ] {
            assert_eq!(
                find(&[("authorization", value)]),
                Err(RejectionKind::MalformedCredentials),
                "{value:?}"
            );
        }
        assert_eq!(
            find(&[("authorization", "Bearer  a.b-c_~+/==")]),
            Ok(Some("a.b-c_~+/==".into()))
        );
    }

    #[test]
    fn credentials_over_the_limit_are_refused_before_decoding() {
        let at_limit = format!("Bearer {}", "a".repeat(LIMIT));
        assert!(find(&[("authorization", &at_limit)]).unwrap().is_some());
        let over = format!("Bearer {}", "a".repeat(LIMIT + 1));
        assert_eq!(
            find(&[("authorization", &over)]),
            Err(RejectionKind::CredentialsTooLong)
        );
        let far_over = format!("Bearer {}", "a".repeat(LIMIT * 4));
        assert_eq!(
            find(&[("authorization", &far_over)]),
            Err(RejectionKind::CredentialsTooLong)
        );
        let cookie = format!("token={}", "a".repeat(LIMIT + 1));
        assert_eq!(
            find(&[("cookie", &cookie)]),
            Err(RejectionKind::CredentialsTooLong)
        );
    }

    #[test]
    fn the_named_cookie_carries_the_token() {
        assert_eq!(
            find(&[("cookie", "a=1; token=x.y.z; b=2")]),
            Ok(Some("x.y.z".into()))
        );
        assert_eq!(
            find(&[("cookie", "token=\"x.y.z\"")]),
            Ok(Some("x.y.z".into()))
        );
        assert_eq!(
            find(&[("cookie", "a=1"), ("cookie", "token=x.y.z")]),
            Ok(Some("x.y.z".into()))
        );
        assert_eq!(
            find(&[("cookie", "tokens=x.y.z; xtoken=1; token")]),
            Ok(None)
        );
        assert_eq!(find(&[("cookie", "token=")]), Ok(None));
    }

    #[test]
    fn the_header_wins_over_the_cookie() {
        let both = [("authorization", "Bearer a.b.c"), ("cookie", "token=x.y.z")];
        assert_eq!(find(&both), Ok(Some("a.b.c".into())));
        let basic = [
            ("authorization", "Basic ZGVtbzpkZW1v"),
            ("cookie", "token=x.y.z"),
        ];
        assert_eq!(find(&basic), Ok(Some("x.y.z".into())));
    }

    #[test]
    fn a_cookie_twice_or_malformed_is_refused() {
        assert_eq!(
            find(&[("cookie", "token=a.b.c; token=a.b.c")]),
            Err(RejectionKind::DuplicateCredentials)
        );
        assert_eq!(
            find(&[("cookie", "token=a.b.c"), ("cookie", "token=d.e.f")]),
            Err(RejectionKind::DuplicateCredentials)
        );
        assert_eq!(
            find(&[("cookie", "token=a\"b")]),
            Err(RejectionKind::MalformedCredentials)
        );
    }

    #[test]
    fn without_a_configured_cookie_cookies_are_ignored() {
        let map = headers(&[("cookie", "token=x.y.z")]);
        assert_eq!(find_token(&map, None, LIMIT), Ok(None));
    }
}
