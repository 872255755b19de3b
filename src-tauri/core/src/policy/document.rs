//! Policy documents as IAM hands them out: URL-encoded on some calls (GetUserPolicy,
//! GetRole, GetAccountAuthorizationDetails), raw on others (GetPolicyVersion on moto).
//! Every document the core reads passes through `decode`, here and nowhere else.

/// A document from any IAM call, decoded and pretty-printed for the editor.
pub fn decode(raw: &str) -> String {
    pretty(&percent_decode(raw))
}

/// Two-space indented JSON; text that is not JSON comes back as it was.
pub fn pretty(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| json.to_string())
}

/// RFC 3986 percent-decoding; text that is not encoded, or does not decode to UTF-8,
/// passes through unchanged.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8().map_or_else(|_| s.to_string(), |d| d.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_iam_policy_documents() {
        assert_eq!(percent_decode("%7B%22Version%22%3A%222012-10-17%22%7D"), r#"{"Version":"2012-10-17"}"#);
        assert_eq!(percent_decode(r#"{"a":"100%"}"#), r#"{"a":"100%"}"#);
        assert_eq!(percent_decode("caf%C3%A9"), "café");
        assert_eq!(percent_decode("%é%"), "%é%", "no panic inside a multibyte character");
        assert_eq!(percent_decode("50%4"), "50%4", "a cut-off escape stays");
        assert_eq!(percent_decode("a%FFb"), "a%FFb", "bytes that are not UTF-8 leave the text as it was");
        assert_eq!(decode("%7B%22a%22%3A1%7D"), "{\n  \"a\": 1\n}");
    }
}
