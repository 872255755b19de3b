//! One closed set of errors for the whole app. It crosses IPC as `{code, message}`; the
//! `code` is what the UI branches on, the `message` is a sentence a person can act on.

use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};
use serde::{Serialize, Serializer};
use std::error::Error as StdError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Declares every error once: the `Error` enum, its `ErrorCode` (the enum and the list the UI
/// checks unknown values against), `code()`, and the sentence `with_context` extends.
///
/// A variant carries a sentence, alone (`(String)`) or after the one thing it is about
/// (`{ endpoint: String, reason: String }`): the context goes on the sentence, and the
/// thing keeps its name. A variant of another shape does not compile until this macro is
/// told which of its fields the context goes on.
macro_rules! errors {
    (@sentence $variant:ident (String), $s:ident) => {
        Error::$variant($s)
    };
    (@sentence $variant:ident { $about:ident: String, $sentence:ident: String }, $s:ident) => {
        Error::$variant { $sentence: $s, .. }
    };
    ($($(#[$attr:meta])* $variant:ident $payload:tt),* $(,)?) => {
        #[derive(Debug, thiserror::Error)]
        pub enum Error {
            $($(#[$attr])* $variant $payload),*
        }

        /// The codes the UI may see. AWS's own codes keep AWS's names and meaning.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
        pub enum ErrorCode {
            $($variant),*
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];
        }

        impl Error {
            pub fn code(&self) -> ErrorCode {
                match self {
                    $(Error::$variant { .. } => ErrorCode::$variant),*
                }
            }

            fn sentence_mut(&mut self) -> &mut String {
                match self {
                    $(errors!(@sentence $variant $payload, s) => s),*
                }
            }
        }
    };
}

errors! {
    #[error("{0}")]
    NoSuchEntity(String),
    #[error("{0}")]
    EntityAlreadyExists(String),
    #[error("{0}")]
    LimitExceeded(String),
    #[error("{0}")]
    DeleteConflict(String),
    #[error("{0}")]
    MalformedPolicyDocument(String),
    #[error("{0}")]
    AccessDenied(String),
    #[error("AWS is throttling requests; wait a moment and try again. ({0})")]
    Throttling(String),
    #[error("The session token of this profile has expired; sign in again (an SSO profile: its Sign in button, or aws sso login). ({0})")]
    ExpiredToken(String),
    #[error("AWS does not accept this profile's credentials: {0}")]
    InvalidCredentials(String),
    #[error("No credentials could be loaded for this profile: {0}")]
    NoCredentials(String),
    #[error("Could not reach {endpoint}: {reason}")]
    EndpointUnreachable { endpoint: String, reason: String },
    #[error("{0}")]
    InvalidInput(String),
    #[error("{file}: {reason}")]
    ProfileConfig { file: String, reason: String },
    #[error("There is no profile named '{0}' in the AWS config or credentials file.")]
    ProfileNotFound(String),
    #[error("Profile '{0}' is not connected yet; select it first.")]
    NotConnected(String),
    /// The profile's credentials need a one-time code from a person (`mfa_serial`), and no
    /// session obtained with one earlier is still valid. The UI asks for the code and calls
    /// `connect_profile_with_mfa`; `serial` is the device to name in that prompt.
    #[error("{message}")]
    MfaRequired { serial: String, message: String },
    #[error("The OS keychain failed: {0}")]
    Keychain(String),
    #[error("AWS answered {code}: {message}")]
    AwsService { code: String, message: String },
    #[error("Internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn mfa_required(profile: &str, serial: &str) -> Error {
        Error::MfaRequired {
            serial: serial.to_string(),
            message: format!("Profile {profile} needs a code from MFA device {serial}."),
        }
    }

    /// The same error with `done` (what had already happened when it struck) added to its
    /// message. The variant, and so the code, stays: a step throttled after others worked is
    /// still `Throttling`, and the UI offers the remedy for that.
    pub fn with_context(mut self, done: &str) -> Error {
        let sentence = self.sentence_mut();
        *sentence = if sentence.is_empty() { done.to_string() } else { format!("{sentence} — {done}") };
        self
    }

    /// Maps an AWS error code (as IAM and STS send it) to our closed set, keeping AWS's
    /// own message, which names the entity concerned.
    pub fn from_aws_code(code: &str, message: &str) -> Error {
        let m = message.to_string();
        match code {
            "NoSuchEntity" | "NoSuchEntityException" => Error::NoSuchEntity(m),
            "EntityAlreadyExists" | "EntityAlreadyExistsException" => Error::EntityAlreadyExists(m),
            "LimitExceeded" | "LimitExceededException" => Error::LimitExceeded(m),
            "DeleteConflict" | "DeleteConflictException" => Error::DeleteConflict(m),
            "MalformedPolicyDocument" | "MalformedPolicyDocumentException" => Error::MalformedPolicyDocument(m),
            "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" => {
                Error::AccessDenied(if m.is_empty() {
                    "This profile is not allowed to do that (AccessDenied).".into()
                } else {
                    m
                })
            }
            "Throttling" | "ThrottlingException" | "RequestLimitExceeded" | "TooManyRequestsException" => {
                Error::Throttling(m)
            }
            "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" => Error::ExpiredToken(m),
            "InvalidClientTokenId" | "SignatureDoesNotMatch" | "UnrecognizedClientException" => {
                Error::InvalidCredentials(m)
            }
            "ValidationError" | "InvalidInput" | "InvalidParameterValue" => Error::InvalidInput(m),
            other => Error::AwsService { code: other.to_string(), message: m },
        }
    }

    /// Turns any SDK failure into a sentence. `endpoint` names where the call went, for the
    /// "could not reach" case.
    pub fn from_sdk<E, R>(err: SdkError<E, R>, endpoint: &str) -> Error
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
        R: std::fmt::Debug + Send + Sync + 'static,
    {
        if let Some(code) = err.code() {
            return Error::from_aws_code(code, err.message().unwrap_or_default());
        }
        // No AWS error code: the request never got an answer, or credentials failed first.
        let chain = source_chain(&err);
        if chain.iter().any(|s| s.contains("credential") || s.contains("Credential")) {
            return Error::NoCredentials(last_meaningful(&chain));
        }
        match &err {
            SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
                Error::EndpointUnreachable { endpoint: endpoint.to_string(), reason: last_meaningful(&chain) }
            }
            SdkError::ResponseError(_) => Error::AwsService {
                code: "UnreadableResponse".into(),
                message: format!("{endpoint} sent a response that is not an AWS answer ({})", last_meaningful(&chain)),
            },
            SdkError::ServiceError(_) => Error::AwsService {
                code: "Unknown".into(),
                message: format!("{endpoint} failed without an error code ({})", last_meaningful(&chain)),
            },
            _ => Error::Internal(last_meaningful(&chain)),
        }
    }
}

fn source_chain(err: &(dyn StdError + 'static)) -> Vec<String> {
    let mut out = vec![err.to_string()];
    let mut cur = err.source();
    while let Some(e) = cur {
        out.push(e.to_string());
        cur = e.source();
    }
    out
}

/// The innermost message is usually the useful one ("Connection refused", "the profile
/// has no region"); the outer ones are generic wrappers.
fn last_meaningful(chain: &[String]) -> String {
    chain
        .iter()
        .rev()
        .find(|s| !s.is_empty() && s.as_str() != "dispatch failure" && s.as_str() != "io error")
        .cloned()
        .unwrap_or_else(|| "unknown failure".into())
}

/// What the UI receives: a code to branch on and a sentence to show.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
}

impl From<&Error> for IpcError {
    fn from(e: &Error) -> Self {
        IpcError { code: e.code(), message: e.to_string() }
    }
}

impl From<Error> for IpcError {
    fn from(e: Error) -> Self {
        IpcError::from(&e)
    }
}

/// Commands return `Result<T, Error>`; the UI receives an [`IpcError`], so that is the
/// type the bindings name.
impl specta::Type for Error {
    fn definition(types: &mut specta::Types) -> specta::datatype::DataType {
        IpcError::definition(types)
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        IpcError::from(self).serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_codes_keep_their_meaning() {
        let cases = [
            ("NoSuchEntity", ErrorCode::NoSuchEntity),
            ("EntityAlreadyExists", ErrorCode::EntityAlreadyExists),
            ("LimitExceeded", ErrorCode::LimitExceeded),
            ("DeleteConflict", ErrorCode::DeleteConflict),
            ("MalformedPolicyDocument", ErrorCode::MalformedPolicyDocument),
            ("AccessDenied", ErrorCode::AccessDenied),
            ("Throttling", ErrorCode::Throttling),
            ("ExpiredToken", ErrorCode::ExpiredToken),
            ("InvalidClientTokenId", ErrorCode::InvalidCredentials),
            ("ValidationError", ErrorCode::InvalidInput),
            ("ServiceFailure", ErrorCode::AwsService),
        ];
        for (aws, ours) in cases {
            assert_eq!(Error::from_aws_code(aws, "m").code(), ours, "{aws}");
        }
    }

    #[test]
    fn crosses_ipc_as_code_and_sentence() {
        let e = Error::from_aws_code("NoSuchEntity", "The user with name bob cannot be found.");
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["code"], "NoSuchEntity");
        assert_eq!(v["message"], "The user with name bob cannot be found.");
        assert_eq!(v.as_object().unwrap().len(), 2);

        let e = Error::ProfileConfig { file: "/home/a/.aws/config".into(), reason: "line 3: bad".into() };
        assert_eq!(serde_json::to_value(&e).unwrap()["message"], "/home/a/.aws/config: line 3: bad");
    }

    /// One of each variant, in the order of [`ErrorCode::ALL`].
    fn one_of_each() -> Vec<Error> {
        let m = || "AWS said no".to_string();
        vec![
            Error::NoSuchEntity(m()),
            Error::EntityAlreadyExists(m()),
            Error::LimitExceeded(m()),
            Error::DeleteConflict(m()),
            Error::MalformedPolicyDocument(m()),
            Error::AccessDenied(m()),
            Error::Throttling(m()),
            Error::ExpiredToken(m()),
            Error::InvalidCredentials(m()),
            Error::NoCredentials(m()),
            Error::EndpointUnreachable { endpoint: "http://127.0.0.1:9".into(), reason: m() },
            Error::InvalidInput(m()),
            Error::ProfileConfig { file: "/home/a/.aws/config".into(), reason: m() },
            Error::ProfileNotFound(m()),
            Error::NotConnected(m()),
            Error::MfaRequired { serial: "arn:aws:iam::712000000001:mfa/ana".into(), message: m() },
            Error::Keychain(m()),
            Error::AwsService { code: "ServiceFailure".into(), message: m() },
            Error::Internal(m()),
        ]
    }

    #[test]
    fn context_extends_the_message_and_keeps_the_code() {
        let all = one_of_each();
        assert_eq!(all.iter().map(Error::code).collect::<Vec<_>>(), ErrorCode::ALL, "every variant is covered");
        for e in all {
            let (code, before) = (e.code(), e.to_string());
            let extended = e.with_context("after this was done: created user ana.");
            assert_eq!(extended.code(), code);
            let after = extended.to_string();
            assert!(after.contains("AWS said no — after this was done: created user ana."), "{code:?}: {after}");
            // What the variant adds around its message (e.g. Throttling's advice) stays.
            let prefix = before.split("AWS said no").next().unwrap();
            assert!(after.starts_with(prefix), "{code:?}: {after}");
        }
        // The struct variants keep their other fields.
        let e = Error::EndpointUnreachable { endpoint: "http://127.0.0.1:9".into(), reason: "refused".into() };
        match e.with_context("1 already added: ana") {
            Error::EndpointUnreachable { endpoint, reason } => {
                assert_eq!(
                    (endpoint.as_str(), reason.as_str()),
                    ("http://127.0.0.1:9", "refused — 1 already added: ana")
                )
            }
            other => panic!("{other:?}"),
        }
        let e = Error::ProfileConfig { file: "/c".into(), reason: "line 3".into() };
        assert!(
            matches!(e.with_context("x"), Error::ProfileConfig { file, reason } if file == "/c" && reason == "line 3 — x")
        );
        let e = Error::AwsService { code: "ServiceFailure".into(), message: "boom".into() };
        match e.with_context("x") {
            Error::AwsService { code, message } => {
                assert_eq!((code.as_str(), message.as_str()), ("ServiceFailure", "boom — x"))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(Error::Internal(String::new()).with_context("x").to_string(), "Internal error: x");

        // What the UI receives for a step throttled after others worked.
        let ipc =
            IpcError::from(Error::from_aws_code("Throttling", "Rate exceeded").with_context("1 already added: ana"));
        assert_eq!(ipc.code, ErrorCode::Throttling);
        assert!(ipc.message.contains("Rate exceeded — 1 already added: ana"), "{}", ipc.message);
    }

    #[test]
    fn mfa_required_names_the_profile_and_the_device() {
        let e = Error::mfa_required("prod", "arn:aws:iam::712000000001:mfa/ana");
        assert_eq!(e.code(), ErrorCode::MfaRequired);
        assert_eq!(e.to_string(), "Profile prod needs a code from MFA device arn:aws:iam::712000000001:mfa/ana.");
    }

    #[test]
    fn access_denied_without_message_still_reads_as_a_sentence() {
        let e = Error::from_aws_code("AccessDenied", "");
        assert!(e.to_string().contains("not allowed"));
    }
}
