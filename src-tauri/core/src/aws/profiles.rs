//! Every profile of the user's AWS config and credentials files, read with aws-config's own
//! loader so that Gatehouse understands exactly what the CLI and SDKs understand.
//!
//! The files are only ever read. A file that does not parse is reported with its path and
//! the parser's reason, and the profiles of the other file stay usable.

use crate::error::{Error, Result};
use aws_runtime::env_config::file::{EnvConfigFileKind as ProfileFileKind, EnvConfigFiles as ProfileFiles};
use aws_types::os_shim_internal::{Env, Fs};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where the profiles come from. `from_env` follows the CLI's rules; tests build one directly.
#[derive(Debug, Clone)]
pub struct ProfileSource {
    pub config_file: PathBuf,
    pub credentials_file: PathBuf,
    /// The profile to preselect (`AWS_PROFILE`).
    pub preferred: Option<String>,
}

impl ProfileSource {
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let home = var("HOME").or_else(|| var("USERPROFILE")).unwrap_or_default();
        let path = |env_key: &str, default: &str| {
            let raw = var(env_key).unwrap_or_else(|| format!("~/.aws/{default}"));
            expand_home(&raw, &home)
        };
        ProfileSource {
            config_file: path("AWS_CONFIG_FILE", "config"),
            credentials_file: path("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
            preferred: var("AWS_PROFILE"),
        }
    }

    fn files(&self) -> [(ProfileFileKind, &Path); 2] {
        [
            (ProfileFileKind::Config, self.config_file.as_path()),
            (ProfileFileKind::Credentials, self.credentials_file.as_path()),
        ]
    }
}

fn expand_home(raw: &str, home: &str) -> PathBuf {
    match raw.strip_prefix("~/") {
        Some(rest) if !home.is_empty() => Path::new(home).join(rest),
        _ => PathBuf::from(raw),
    }
}

/// How a profile gets its credentials; decides what "select" will have to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
pub enum ProfileKind {
    StaticKeys,
    Sso,
    AssumeRole,
    CredentialProcess,
    WebIdentity,
    /// Neither keys nor a way to get them that this build supports (a `login_session`
    /// profile is one): selecting it will fail with a clear error.
    NoCredentials,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub name: String,
    pub region: Option<String>,
    pub kind: ProfileKind,
    /// The role assumed (assume-role, web identity) or the SSO role name.
    pub role_arn: Option<String>,
    /// Where the credentials come from: the source profile or credential source of an
    /// assume-role profile, the SSO session or start URL, the credential process's program
    /// (its name only: its arguments may carry tokens).
    pub source: Option<String>,
    pub endpoint_url: Option<String>,
    /// The MFA device whose code the profile's credentials need (`mfa_serial`), when
    /// Gatehouse honours it: on an assume-role profile with a `source_profile` and on one
    /// with static keys.
    pub mfa_serial: Option<String>,
    pub state: ProfileState,
}

impl Profile {
    /// The MFA device to ask a code for before this profile can be used.
    pub fn needs_mfa(&self) -> Option<&str> {
        self.mfa_serial.as_deref()
    }
}

/// Whether a profile can be connected right away. The files alone say `Ready`, `NeedsMfa`
/// or `Broken`; `Connections::list_profiles` knows the sessions and the SSO token cache,
/// and says `MfaSession` or `SsoExpired`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ProfileState {
    Ready,
    /// No live session: connecting asks for a code from the profile's MFA device.
    NeedsMfa,
    /// A session obtained with a code, valid until `expires` (RFC 3339); kept in memory only.
    MfaSession {
        expires: String,
    },
    /// An SSO profile without a usable token: none cached (`None`), or the cached one ended
    /// at `expired` (RFC 3339) and cannot be refreshed. Signing in makes it `Ready`.
    SsoExpired {
        expired: Option<String>,
    },
    /// Its configuration cannot give credentials whatever the user does in the app;
    /// `reason` says what to change in the file.
    Broken {
        reason: String,
    },
}

/// A file that could not be read; its profiles are missing from the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct FileProblem {
    pub file: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProfileList {
    pub profiles: Vec<Profile>,
    /// The profile to select first: `AWS_PROFILE` if it exists, else `default` if it exists.
    pub preselected: Option<String>,
    pub problems: Vec<FileProblem>,
    pub config_file: String,
    pub credentials_file: String,
}

/// The files that parse, ready for aws-config's loaders. A broken file is left out here so
/// that credential resolution for the other file's profiles still works.
pub(crate) async fn healthy_files(source: &ProfileSource) -> (ProfileFiles, Vec<FileProblem>) {
    let fs = Fs::real();
    let env = Env::real();
    let mut builder = ProfileFiles::builder();
    let mut problems = Vec::new();
    for (kind, path) in source.files() {
        if !path.exists() {
            continue;
        }
        let alone = ProfileFiles::builder().with_file(kind, path).build();
        match aws_config::profile::load(&fs, &env, &alone, None).await {
            Ok(_) => builder = builder.with_file(kind, path),
            Err(e) => problems.push(FileProblem {
                file: path.display().to_string(),
                message: describe_load_error(&error_chain(&e), path),
            }),
        }
    }
    // aws-config refuses an empty file set; no file at all reads as no profiles.
    builder = builder.with_contents(ProfileFileKind::Config, "");
    (builder.build(), problems)
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(inner) = cur {
        parts.push(inner.to_string());
        cur = inner.source();
    }
    parts.join(": ")
}

/// The parser's message already names the file, which the UI shows anyway: keep the reason.
fn describe_load_error(raw: &str, path: &Path) -> String {
    let shown = path.display().to_string();
    let msg = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let msg = msg
        .replace("could not parse profile file: ", "")
        .replace(&format!("error parsing {shown} "), "")
        .replace(&shown, "this file");
    format!("Cannot be read as an AWS profile file ({msg}). Its profiles are not listed until it is fixed.")
}

/// The `keys` one profile of `files` sets, for what `Profile` does not carry (keys, session
/// name, external id); none when the profile is missing.
pub(crate) async fn properties(files: &ProfileFiles, name: &str, keys: &[&str]) -> Option<HashMap<String, String>> {
    let set = aws_config::profile::load(&Fs::real(), &Env::real(), files, None).await.ok()?;
    let p = set.get_profile(name)?;
    Some(keys.iter().filter_map(|k| p.get(k).map(|v| (k.to_string(), v.to_string()))).collect())
}

pub async fn list_profiles(source: &ProfileSource) -> Result<ProfileList> {
    let (files, problems) = healthy_files(source).await;
    let mut profiles = Vec::new();
    {
        let set = aws_config::profile::load(&Fs::real(), &Env::real(), &files, None).await.map_err(|e| {
            Error::ProfileConfig { file: source.config_file.display().to_string(), reason: e.to_string() }
        })?;
        for name in set.profiles() {
            if let Some(p) = set.get_profile(name) {
                let mut profile = describe(name, |k| p.get(k));
                if profile.kind == ProfileKind::Sso {
                    if let Err(reason) = crate::aws::sso::settings(&set, name) {
                        profile.state = ProfileState::Broken { reason };
                    }
                }
                profiles.push(profile);
            }
        }
        let broken: HashMap<String, String> = profiles
            .iter()
            .filter_map(|p| match &p.state {
                ProfileState::Broken { reason } => Some((p.name.clone(), reason.clone())),
                _ => None,
            })
            .collect();
        for p in &mut profiles {
            if p.kind == ProfileKind::AssumeRole && !matches!(p.state, ProfileState::Broken { .. }) {
                if let Some(reason) = chain_problem(&set, &p.name, &broken) {
                    p.state = ProfileState::Broken { reason };
                }
            }
        }
    }
    profiles.sort_by(|a, b| a.name.cmp(&b.name));
    let has = |n: &str| profiles.iter().any(|p| p.name == n);
    let preselected =
        source.preferred.clone().filter(|n| has(n)).or_else(|| has("default").then(|| "default".to_string()));
    Ok(ProfileList {
        profiles,
        preselected,
        problems,
        config_file: source.config_file.display().to_string(),
        credentials_file: source.credentials_file.display().to_string(),
    })
}

/// The program a `credential_process` command line runs, by its file name: no argument,
/// no `NAME=value` before it, no folder (arguments and variables may carry tokens or
/// passwords, and the profile list is shown in the window).
fn program_name(command: &str) -> String {
    let mut rest = command.trim_start();
    loop {
        // A word: quoted as a shell or cmd.exe quotes it, else up to the next space.
        let (word, after) = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => match rest[1..].find(q) {
                Some(end) => (&rest[1..end + 1], &rest[end + 2..]),
                None => (&rest[1..], ""),
            },
            _ => rest.split_once(char::is_whitespace).unwrap_or((rest, "")),
        };
        let assignment = word
            .split_once('=')
            .is_some_and(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        if assignment && !after.trim().is_empty() {
            rest = after.trim_start();
            continue;
        }
        let name = word.rsplit(['/', '\\']).next().unwrap_or(word);
        return if name.is_empty() || assignment { "a program".into() } else { name.to_string() };
    }
}

/// Classifies a profile the way aws-config's credential chain treats the *selected* profile
/// (`profile/credentials/repr.rs`): a `role_arn` makes it an assume-role profile even with
/// keys beside it, and static keys are the last base provider, after SSO and a credential
/// process. (Keys win only in a source profile further down a chain.)
fn describe<'a>(name: &str, get: impl Fn(&str) -> Option<&'a str>) -> Profile {
    let owned = |k: &str| get(k).map(str::to_string);
    let (kind, role_arn, source) = if get("role_arn").is_some() && get("web_identity_token_file").is_some() {
        (ProfileKind::WebIdentity, owned("role_arn"), owned("web_identity_token_file"))
    } else if get("role_arn").is_some() {
        let src = owned("source_profile").or_else(|| owned("credential_source"));
        (ProfileKind::AssumeRole, owned("role_arn"), src)
    } else if get("sso_session").is_some() || get("sso_start_url").is_some() {
        let src = owned("sso_session").or_else(|| owned("sso_start_url"));
        let role = match (get("sso_account_id"), get("sso_role_name")) {
            (Some(acct), Some(role)) => Some(format!("{role} in {acct}")),
            _ => None,
        };
        (ProfileKind::Sso, role, src)
    } else if get("login_session").is_some() {
        (ProfileKind::NoCredentials, None, owned("login_session"))
    } else if get("credential_process").is_some() {
        (ProfileKind::CredentialProcess, None, get("credential_process").map(program_name))
    } else if get("aws_access_key_id").is_some() {
        (ProfileKind::StaticKeys, None, None)
    } else {
        (ProfileKind::NoCredentials, None, None)
    };
    // aws-config and the CLI ignore `mfa_serial` on static keys; Gatehouse trades them for a
    // session with GetSessionToken, as aws-vault does, so that policies requiring
    // `aws:MultiFactorAuthPresent` work. A `credential_source` role is left to aws-config as
    // before: there are no source keys of ours to send the code with.
    let mfa_serial = match kind {
        ProfileKind::AssumeRole if get("source_profile").is_some() => owned("mfa_serial"),
        ProfileKind::StaticKeys => owned("mfa_serial"),
        _ => None,
    };
    Profile {
        name: name.to_string(),
        region: owned("region"),
        kind,
        role_arn,
        source,
        endpoint_url: owned("endpoint_url"),
        state: match broken(name, kind, &get) {
            Some(reason) => ProfileState::Broken { reason },
            None if mfa_serial.is_some() => ProfileState::NeedsMfa,
            None => ProfileState::Ready,
        },
        mfa_serial,
    }
}

/// Why a profile's own lines cannot give credentials, as aws-config would refuse them.
/// (SSO settings span two sections and are checked in `list_profiles`.)
fn broken<'a>(name: &str, kind: ProfileKind, get: &impl Fn(&str) -> Option<&'a str>) -> Option<String> {
    match kind {
        ProfileKind::AssumeRole => match (get("source_profile"), get("credential_source")) {
            (None, None) => Some(format!(
                "profile {name} has role_arn but neither source_profile nor credential_source: there are no \
                 credentials to assume the role with"
            )),
            (Some(_), Some(_)) => Some(format!(
                "profile {name} has both source_profile and credential_source; aws-config accepts only one"
            )),
            _ => None,
        },
        // Only with aws-config's `credentials-login` feature, which this build leaves out.
        ProfileKind::NoCredentials if get("login_session").is_some() => Some(
            "AWS console login sessions (`aws login`) are not supported by this build yet; use `aws configure sso` \
             or keys"
                .to_string(),
        ),
        _ => None,
    }
}

/// A role profile is no better than the profiles its `source_profile` chain goes through:
/// why that chain cannot give credentials, as aws-config would find when connecting.
fn chain_problem(
    set: &aws_config::profile::ProfileSet,
    name: &str,
    broken: &HashMap<String, String>,
) -> Option<String> {
    let mut current = name;
    // Longer chains than this are circles in practice.
    for _ in 0..16 {
        let p = set.get_profile(current)?;
        if p.get("role_arn").is_none() || p.get("web_identity_token_file").is_some() {
            return None;
        }
        let source = p.get("source_profile").filter(|s| *s != current)?;
        if set.get_profile(source).is_none() {
            return Some(format!("profile {current} has source_profile {source}, but there is no profile {source}"));
        }
        if let Some(reason) = broken.get(source) {
            return Some(format!("its source profile {source} cannot work: {reason}"));
        }
        current = source;
    }
    Some(format!("the source_profile chain of profile {name} goes round in a circle"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// The profiles of the config file `config` (no credentials file).
    async fn listed(config: &Path) -> ProfileList {
        let credentials_file = config.with_file_name("credentials");
        list_profiles(&ProfileSource { config_file: config.to_path_buf(), credentials_file, preferred: None })
            .await
            .unwrap()
    }

    fn state_of(list: &ProfileList, name: &str) -> ProfileState {
        list.profiles.iter().find(|p| p.name == name).unwrap().state.clone()
    }

    /// Why the profile `name` cannot work; it must be Broken.
    fn reason_of(list: &ProfileList, name: &str) -> String {
        match state_of(list, name) {
            ProfileState::Broken { reason } => reason,
            other => panic!("{name}: {other:?}"),
        }
    }

    fn kind_of(props: &[(&str, &str)]) -> Profile {
        let map: HashMap<&str, &str> = props.iter().copied().collect();
        describe("p", |k| map.get(k).copied())
    }

    #[test]
    fn classifies_each_way_of_getting_credentials() {
        // As aws-config resolves the selected profile: the role first, keys last.
        let both = kind_of(&[("aws_access_key_id", "AKIA"), ("role_arn", "x"), ("source_profile", "p")]);
        assert_eq!(both.kind, ProfileKind::AssumeRole);
        assert_eq!(kind_of(&[("aws_access_key_id", "AKIA"), ("sso_session", "corp")]).kind, ProfileKind::Sso);
        assert_eq!(
            kind_of(&[("aws_access_key_id", "AKIA"), ("credential_process", "c")]).kind,
            ProfileKind::CredentialProcess
        );
        assert_eq!(kind_of(&[("aws_access_key_id", "AKIA")]).kind, ProfileKind::StaticKeys);
        let ar = kind_of(&[("role_arn", "arn:aws:iam::1:role/R"), ("source_profile", "base")]);
        assert_eq!((ar.kind, ar.source.as_deref()), (ProfileKind::AssumeRole, Some("base")));
        let cs = kind_of(&[("role_arn", "arn:aws:iam::1:role/R"), ("credential_source", "Ec2InstanceMetadata")]);
        assert_eq!(cs.source.as_deref(), Some("Ec2InstanceMetadata"));
        let wi = kind_of(&[("role_arn", "r"), ("web_identity_token_file", "/t")]);
        assert_eq!(wi.kind, ProfileKind::WebIdentity);
        let sso = kind_of(&[("sso_session", "corp"), ("sso_account_id", "123"), ("sso_role_name", "Admin")]);
        assert_eq!((sso.kind, sso.role_arn.as_deref()), (ProfileKind::Sso, Some("Admin in 123")));
        assert_eq!(kind_of(&[("sso_start_url", "https://x")]).kind, ProfileKind::Sso);
        assert_eq!(kind_of(&[("credential_process", "/bin/creds")]).kind, ProfileKind::CredentialProcess);
        // Issue 20, item 8: the window gets the program's name only, never its arguments.
        let process = kind_of(&[("credential_process", "/usr/local/bin/vault-creds --token s.SECRET123 prod")]);
        assert_eq!(process.source.as_deref(), Some("vault-creds"));
        assert_eq!(kind_of(&[("region", "eu-west-1")]).kind, ProfileKind::NoCredentials);
    }

    #[test]
    fn a_credential_process_is_named_by_its_program_only() {
        for (command, program) in [
            ("aws-vault exec prod --json", "aws-vault"),
            ("/opt/bin/creds --password hunter2", "creds"),
            ("  creds", "creds"),
            ("\"C:\\Program Files\\Creds\\creds.exe\" --token abc", "creds.exe"),
            ("'/opt/my tools/creds' -t abc", "creds"),
            ("VAULT_TOKEN=s.SECRET /usr/bin/vault-creds prod", "vault-creds"),
            ("A=1 B=2 creds", "creds"),
            ("sh -c 'echo {\"AccessKeyId\":\"AKIA\"}'", "sh"),
            ("TOKEN=only-an-assignment", "a program"),
        ] {
            assert_eq!(program_name(command), program, "{command}");
        }
    }

    #[test]
    fn mfa_serial_counts_on_roles_and_static_keys_only() {
        let serial = ("mfa_serial", "arn:aws:iam::712000000001:mfa/ana");
        let role = kind_of(&[("role_arn", "r"), ("source_profile", "base"), serial]);
        assert_eq!((role.needs_mfa(), &role.state), (Some(serial.1), &ProfileState::NeedsMfa));
        let keys = kind_of(&[("aws_access_key_id", "AKIA"), serial]);
        assert_eq!((keys.needs_mfa(), &keys.state), (Some(serial.1), &ProfileState::NeedsMfa));
        // SSO and credential processes do their own second factor.
        let sso = kind_of(&[("sso_session", "corp"), serial]);
        assert_eq!((sso.needs_mfa(), &sso.state), (None, &ProfileState::Ready));
        let ec2 = kind_of(&[("role_arn", "r"), ("credential_source", "Ec2InstanceMetadata"), serial]);
        assert_eq!((ec2.needs_mfa(), &ec2.state), (None, &ProfileState::Ready));
        assert_eq!(kind_of(&[("aws_access_key_id", "AKIA")]).state, ProfileState::Ready);
    }

    #[test]
    fn profiles_that_cannot_work_say_why() {
        let reason = |props: &[(&str, &str)]| match kind_of(props).state {
            ProfileState::Broken { reason } => reason,
            other => panic!("{other:?}"),
        };
        assert!(reason(&[("role_arn", "r")]).contains("neither source_profile nor credential_source"));
        assert!(reason(&[("role_arn", "r"), ("source_profile", "b"), ("credential_source", "Environment")])
            .contains("only one"));
        let login = reason(&[("login_session", "arn:aws:iam::712000000001:user/ana"), ("credential_process", "c")]);
        assert!(login.contains("`aws login`") && login.contains("aws configure sso"), "{login}");
        // Broken wins over asking for a code that could not help.
        assert!(matches!(kind_of(&[("role_arn", "r"), ("mfa_serial", "m")]).state, ProfileState::Broken { .. }));
    }

    #[tokio::test]
    async fn sso_profiles_missing_what_signing_in_needs_say_what() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(
            &config,
            "[profile ok]\nsso_session = corp\nsso_account_id = 713000000001\nsso_role_name = Admin\n\
             [profile nosection]\nsso_session = gone\nsso_account_id = 713000000001\nsso_role_name = Admin\n\
             [profile nourl]\nsso_session = half\nsso_account_id = 713000000001\nsso_role_name = Admin\n\
             [profile legacy]\nsso_start_url = https://d-9.awsapps.com/start\nsso_account_id = 1\nsso_role_name = R\n\
             [profile norole]\nsso_session = corp\n\
             [sso-session corp]\nsso_start_url = https://d-9.awsapps.com/start\nsso_region = eu-west-1\n\
             [sso-session half]\nsso_region = eu-west-1\n",
        )
        .unwrap();
        let list = listed(&config).await;
        let state = |n: &str| state_of(&list, n);
        let reason = |n: &str| reason_of(&list, n);
        assert_eq!(state("ok"), ProfileState::Ready);
        assert!(reason("nosection").contains("no [sso-session gone] section"), "{}", reason("nosection"));
        assert!(reason("nourl").contains("[sso-session half] has no sso_start_url"), "{}", reason("nourl"));
        assert!(reason("legacy").contains("profile legacy has no sso_region"), "{}", reason("legacy"));
        assert!(reason("norole").contains("neither sso_account_id nor sso_role_name"), "{}", reason("norole"));
    }

    #[tokio::test]
    async fn a_role_whose_source_cannot_work_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(
            &config,
            "[profile keys]\naws_access_key_id = AKIATESTING\naws_secret_access_key = s\n\
             [profile fine]\nrole_arn = arn:aws:iam::713000000001:role/R\nsource_profile = keys\n\
             [profile self]\nrole_arn = arn:aws:iam::713000000001:role/R\nsource_profile = self\n\
             aws_access_key_id = AKIATESTING\naws_secret_access_key = s\n\
             [profile orphan]\nrole_arn = arn:aws:iam::713000000001:role/R\nsource_profile = gone\n\
             [profile console]\nlogin_session = arn:aws:iam::713000000001:user/ana\n\
             [profile via-console]\nrole_arn = arn:aws:iam::713000000001:role/R\nsource_profile = console\n\
             [profile deeper]\nrole_arn = arn:aws:iam::713000000001:role/R\nsource_profile = via-console\n\
             [profile loop-a]\nrole_arn = arn:aws:iam::713000000001:role/A\nsource_profile = loop-b\n\
             [profile loop-b]\nrole_arn = arn:aws:iam::713000000001:role/B\nsource_profile = loop-a\n",
        )
        .unwrap();
        let list = listed(&config).await;
        let state = |n: &str| state_of(&list, n);
        let reason = |n: &str| reason_of(&list, n);
        assert_eq!((state("fine"), state("self")), (ProfileState::Ready, ProfileState::Ready));
        assert_eq!(reason("orphan"), "profile orphan has source_profile gone, but there is no profile gone");
        assert!(reason("via-console").starts_with("its source profile console cannot work: AWS console login"));
        assert!(reason("deeper").starts_with("its source profile console cannot work"), "{}", reason("deeper"));
        assert!(reason("loop-a").contains("goes round in a circle"), "{}", reason("loop-a"));
    }

    #[test]
    fn tilde_means_home_only_at_the_start() {
        assert_eq!(expand_home("~/.aws/config", "/h"), PathBuf::from("/h/.aws/config"));
        assert_eq!(expand_home("/x/~/c", "/h"), PathBuf::from("/x/~/c"));
        assert_eq!(expand_home("~other/c", "/h"), PathBuf::from("~other/c"));
    }
}
