//! "Where is this?" across every account the administrator has a profile for: a name
//! (users, groups, roles, customer managed policies) or an access key id.

use crate::access::{self, Details};
use crate::aws::connection::{Connection, Connections};
use crate::error::{Error, ErrorCode, Result};
use futures_util::stream::{self, StreamExt, TryStreamExt};
use serde::Serialize;
use std::sync::Arc;

/// Accounts searched at once: enough to hide the latency of the slow ones, few enough to
/// stay clear of IAM's per-account throttling and not to open dozens of connections.
const AT_ONCE: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SearchState {
    Searching,
    Done {
        matches: u32,
    },
    Failed {
        message: String,
    },
    /// Not searched: the profile needs a code from its MFA device, which a search over
    /// many profiles does not prompt for.
    NeedsMfa,
}

/// One profile's progress, sent as it happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FleetProgress {
    pub profile: String,
    pub state: SearchState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
pub enum MatchKind {
    User,
    Group,
    Role,
    Policy,
    AccessKey,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FleetMatch {
    pub profile: String,
    pub account: String,
    pub kind: MatchKind,
    /// The entity's name; for an access key, the key id.
    pub name: String,
    pub path: String,
    /// The entity's ARN; for an access key, its user's.
    pub arn: String,
    /// The user an access key belongs to.
    pub owner: Option<String>,
}

/// A profile that could not be searched; `code` says why (`MfaRequired`, `EndpointUnreachable`…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FleetFailure {
    pub profile: String,
    pub code: ErrorCode,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    pub matches: Vec<FleetMatch>,
    pub failures: Vec<FleetFailure>,
    /// For an access key id: the account STS says it belongs to, also when none of the
    /// profiles reaches that account (and so no match names its user).
    pub key_account: Option<String>,
}

/// What a search looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// A case-insensitive part of a name (held lower-case).
    Name(String),
    /// An access key id (`AKIA…` long-term, `ASIA…` temporary), matched exactly.
    AccessKey(String),
}

impl Query {
    pub fn parse(raw: &str) -> Result<Query> {
        let q = raw.trim();
        if q.is_empty() {
            return Err(Error::InvalidInput("Type part of a name, or an access key id, to search for.".into()));
        }
        let key_like = q.len() == 20
            && (q.starts_with("AKIA") || q.starts_with("ASIA"))
            && q.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        Ok(if key_like { Query::AccessKey(q.to_string()) } else { Query::Name(q.to_lowercase()) })
    }
}

pub type Progress<'a> = &'a (dyn Fn(FleetProgress) + Send + Sync);

/// Searches `profiles` for `query`, at most [`AT_ONCE`] at a time. A profile that fails
/// (unreachable, denied, needing MFA) is named in `failures` and the others go on.
pub async fn search(
    connections: &Connections,
    profiles: &[String],
    query: &str,
    on_progress: Progress<'_>,
) -> Result<SearchResults> {
    match Query::parse(query)? {
        Query::Name(part) => Ok(search_names(connections, profiles, &part, on_progress).await),
        Query::AccessKey(key) => {
            let (matched, key_account, failures) = find_key(connections, profiles, &key, on_progress).await;
            let key_account = matched.as_ref().map(|m| m.account.clone()).or(key_account);
            Ok(SearchResults { matches: matched.into_iter().collect(), failures, key_account })
        }
    }
}

/// Who owns an access key, among `profiles`' accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccessKeyOwner {
    pub key_id: String,
    /// The key's user, when one of the profiles reaches its account.
    pub found: Option<FleetMatch>,
    /// The account STS says the key belongs to, even when no profile reaches it.
    pub account: Option<String>,
    pub failures: Vec<FleetFailure>,
}

pub async fn find_access_key_owner(
    connections: &Connections,
    profiles: &[String],
    key_id: &str,
    on_progress: Progress<'_>,
) -> Result<AccessKeyOwner> {
    let Query::AccessKey(key) = Query::parse(key_id)? else {
        return Err(Error::InvalidInput(format!(
            "{} is not an access key id (20 letters and digits starting with AKIA or ASIA).",
            key_id.trim()
        )));
    };
    let (found, stated, failures) = find_key(connections, profiles, &key, on_progress).await;
    let account = found.as_ref().map(|m| m.account.clone()).or(stated);
    Ok(AccessKeyOwner { key_id: key, found, account, failures })
}

/// The profile's connection: the live one, else a new one. A profile needing MFA is not
/// prompted; its `MfaRequired` error says so.
pub(super) async fn connection(connections: &Connections, profile: &str) -> Result<Arc<Connection>> {
    if let Ok(conn) = connections.get(profile) {
        return Ok(conn);
    }
    connections.connect(profile).await?;
    connections.get(profile)
}

fn failure(profile: &str, e: &Error, on_progress: Progress<'_>) -> FleetFailure {
    let state = match e.code() {
        ErrorCode::MfaRequired => SearchState::NeedsMfa,
        _ => SearchState::Failed { message: e.to_string() },
    };
    on_progress(FleetProgress { profile: profile.to_string(), state });
    FleetFailure { profile: profile.to_string(), code: e.code(), message: e.to_string() }
}

fn done(profile: &str, matches: usize, on_progress: Progress<'_>) {
    let matches = u32::try_from(matches).unwrap_or(u32::MAX);
    on_progress(FleetProgress { profile: profile.to_string(), state: SearchState::Done { matches } });
}

fn searching(profile: &str, on_progress: Progress<'_>) {
    on_progress(FleetProgress { profile: profile.to_string(), state: SearchState::Searching });
}

type Connected = (String, Arc<Connection>);

/// Connects every profile, a few at a time: the reachable ones in the order given, and
/// the failures.
async fn connect_all(
    connections: &Connections,
    profiles: &[String],
    on_progress: Progress<'_>,
) -> (Vec<Connected>, Vec<FleetFailure>) {
    // Owned items: a future borrowing its closure's argument is not `Send` for every
    // lifetime, which a Tauri command's future must be.
    let connected = stream::iter(profiles.iter().cloned())
        .map(|profile| async move {
            searching(&profile, on_progress);
            match connection(connections, &profile).await {
                Ok(c) => Ok((profile, c)),
                Err(e) => Err(failure(&profile, &e, on_progress)),
            }
        })
        .buffer_unordered(AT_ONCE)
        .collect::<Vec<_>>()
        .await;
    let mut failures = Vec::new();
    let mut reachable = Vec::new();
    for r in connected {
        match r {
            Ok(c) => reachable.push(c),
            Err(f) => failures.push(f),
        }
    }
    reachable.sort_by_key(|(p, _)| profiles.iter().position(|q| q == p));
    (reachable, failures)
}

/// Every profile is connected first so that an account reached by several profiles is
/// read once, through the first of them; the others report the same count.
async fn search_names(
    connections: &Connections,
    profiles: &[String],
    part: &str,
    on_progress: Progress<'_>,
) -> SearchResults {
    let (reachable, failures) = connect_all(connections, profiles, on_progress).await;
    let accounts = listing_order(None, reachable.clone(), |(_, c)| c.identity.account.as_str()).concat();
    // One GetAccountAuthorizationDetails per account holds every name searched, instead
    // of a listing per kind. Each account's matches are taken as soon as it is read, so
    // only the accounts being read are held here, not every account at once.
    let per_account = stream::iter(accounts)
        .map(|(profile, conn)| async move {
            let found = access::read_details(&conn, false).await.map(|(d, _)| name_matches(&d, &profile, part));
            (profile, conn, found)
        })
        .buffer_unordered(AT_ONCE)
        .collect::<Vec<_>>()
        .await;
    let mut results = SearchResults { failures, ..SearchResults::default() };
    for (_, conn, read) in per_account {
        let sharing = reachable.iter().filter(|(_, c)| c.identity.account == conn.identity.account);
        match read {
            Ok(found) => {
                sharing.for_each(|(p, _)| done(p, found.len(), on_progress));
                results.matches.extend(found);
            }
            Err(e) => results.failures.extend(sharing.map(|(p, _)| failure(p, &e, on_progress))),
        }
    }
    sort(&mut results);
    results
}

fn sort(results: &mut SearchResults) {
    results.matches.sort_by(|a, b| (&a.account, &a.profile, &a.name).cmp(&(&b.account, &b.profile, &b.name)));
    results.failures.sort_by(|a, b| a.profile.cmp(&b.profile));
}

/// The users, groups, roles and customer managed policies whose name contains `part`
/// (lower-case).
pub fn name_matches(details: &Details, profile: &str, part: &str) -> Vec<FleetMatch> {
    let hit = |name: &str| name.to_lowercase().contains(part);
    let entry = |kind, name: &str, arn: &str| FleetMatch {
        profile: profile.to_string(),
        account: details.account.clone(),
        kind,
        name: name.to_string(),
        path: path_from_arn(arn),
        arn: arn.to_string(),
        owner: None,
    };
    let principals =
        [(MatchKind::User, &details.users), (MatchKind::Group, &details.groups), (MatchKind::Role, &details.roles)];
    let mut out: Vec<FleetMatch> = principals
        .into_iter()
        .flat_map(|(kind, list)| list.iter().filter(|e| hit(&e.name)).map(move |e| (kind, e)))
        .map(|(kind, e)| entry(kind, &e.name, &e.arn))
        .collect();
    out.extend(details.policies.iter().filter(|p| hit(&p.name)).map(|p| entry(MatchKind::Policy, &p.name, &p.arn)));
    out
}

/// An IAM ARN's path: `arn:aws:iam::1:user/ops/ana` is in `/ops/`. The details do not
/// carry paths, the ARN always does.
fn path_from_arn(arn: &str) -> String {
    let resource = arn.splitn(6, ':').nth(5).unwrap_or_default();
    match (resource.find('/'), resource.rfind('/')) {
        (Some(first), Some(last)) if last > first => resource[first..=last].to_string(),
        _ => "/".to_string(),
    }
}

/// Finds the user that owns `key`. IAM has no reverse lookup from a key to its user: STS
/// GetAccessKeyInfo names the account, then that account's users' keys are listed
/// (ListAccessKeys per user) until the key turns up. An account STS names that no profile
/// reaches is not searched for elsewhere. When STS cannot narrow it down (the call is
/// denied) or the key is not where it says, every reachable account is listed: moto, for
/// one, answers its own account for a key it does not hold.
async fn find_key(
    connections: &Connections,
    profiles: &[String],
    key: &str,
    on_progress: Progress<'_>,
) -> (Option<FleetMatch>, Option<String>, Vec<FleetFailure>) {
    // In the order given, so that the profile asking STS is the first listed that works.
    let (reachable, mut failures) = connect_all(connections, profiles, on_progress).await;
    let mut stated = None;
    for (_, conn) in &reachable {
        if let Ok(account) = conn.access_key_account(key).await {
            stated = Some(account);
            break;
        }
    }
    let groups = listing_order(stated.as_deref(), reachable.clone(), |(_, c)| c.identity.account.as_str());
    let mut found = None;
    let mut searched = Vec::new();
    for group in groups {
        let results = stream::iter(group)
            .map(|(profile, conn)| async move {
                let r = key_in_account(&conn, &profile, key).await;
                (profile, r)
            })
            .buffer_unordered(AT_ONCE)
            .collect::<Vec<_>>()
            .await;
        for (profile, r) in results {
            match r {
                Ok(m) => {
                    done(&profile, usize::from(m.is_some()), on_progress);
                    found = found.or(m);
                }
                Err(e) => failures.push(failure(&profile, &e, on_progress)),
            }
            searched.push(profile);
        }
        if found.is_some() {
            break;
        }
    }
    // Profiles not listed: their account was not the key's, or another profile listed it.
    let owner_account = found.as_ref().map(|m| m.account.as_str());
    for (profile, conn) in &reachable {
        if !searched.contains(profile) {
            done(profile, usize::from(owner_account == Some(conn.identity.account.as_str())), on_progress);
        }
    }
    failures.sort_by(|a, b| a.profile.cmp(&b.profile));
    (found, stated, failures)
}

/// The accounts to list for a key, in rounds: the account STS named, then (only if the key
/// was not there) every other; none when STS named an account no profile reaches, since
/// STS knows. One profile per account: listing an account twice finds nothing new.
fn listing_order<T>(stated: Option<&str>, reachable: Vec<T>, account: impl Fn(&T) -> &str) -> Vec<Vec<T>> {
    let mut first_of_account: Vec<T> = Vec::new();
    for r in reachable {
        if !first_of_account.iter().any(|f| account(f) == account(&r)) {
            first_of_account.push(r);
        }
    }
    let (likely, rest): (Vec<T>, Vec<T>) = first_of_account.into_iter().partition(|r| Some(account(r)) == stated);
    match stated {
        Some(_) if likely.is_empty() => Vec::new(),
        _ => vec![likely, rest],
    }
}

/// The user of `conn`'s account holding `key`, listing the users' keys a few at a time
/// and stopping at the first hit.
async fn key_in_account(conn: &Connection, profile: &str, key: &str) -> Result<Option<FleetMatch>> {
    let users: Vec<aws_sdk_iam::types::User> = items!(conn, conn.iam.list_users())?;
    let hits = stream::iter(users)
        .map(|u| async move {
            let keys: Vec<aws_sdk_iam::types::AccessKeyMetadata> =
                items!(conn, conn.iam.list_access_keys().user_name(&u.user_name))?;
            Ok::<_, Error>(keys.iter().any(|k| k.access_key_id.as_deref() == Some(key)).then_some(u))
        })
        .buffer_unordered(AT_ONCE)
        .try_filter_map(|u| async move { Ok(u) });
    let first = std::pin::pin!(hits).try_next().await?;
    Ok(first.map(|u| FleetMatch {
        profile: profile.to_string(),
        account: conn.identity.account.clone(),
        kind: MatchKind::AccessKey,
        name: key.to_string(),
        path: u.path,
        arn: u.arn,
        owner: Some(u.user_name),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{Entity, ManagedDocument};

    #[test]
    fn a_query_is_an_access_key_id_only_when_it_looks_exactly_like_one() {
        assert_eq!(Query::parse(" AKIAIOSFODNN7EXAMPLE ").unwrap(), Query::AccessKey("AKIAIOSFODNN7EXAMPLE".into()));
        assert_eq!(Query::parse("ASIAIOSFODNN7EXAMPLE").unwrap(), Query::AccessKey("ASIAIOSFODNN7EXAMPLE".into()));
        // Too short, lower case, or another prefix: a name part.
        assert_eq!(Query::parse("AKIAIOSFODNN7").unwrap(), Query::Name("akiaiosfodnn7".into()));
        assert_eq!(Query::parse("akiaiosfodnn7example").unwrap(), Query::Name("akiaiosfodnn7example".into()));
        assert_eq!(Query::parse("AIDAIOSFODNN7EXAMPLE").unwrap(), Query::Name("aidaiosfodnn7example".into()));
        assert_eq!(Query::parse("  ").unwrap_err().code(), ErrorCode::InvalidInput);
    }

    #[test]
    fn a_key_is_looked_for_where_sts_says_then_elsewhere_but_never_past_an_unreachable_account() {
        let reachable = vec![("p1", "1"), ("p1b", "1"), ("p2", "2"), ("p3", "3")];
        let order = |stated| listing_order(stated, reachable.clone(), |r| r.1);
        assert_eq!(order(Some("2")), [vec![("p2", "2")], vec![("p1", "1"), ("p3", "3")]]);
        // STS denied: every account, each once.
        assert_eq!(order(None), [vec![], vec![("p1", "1"), ("p2", "2"), ("p3", "3")]]);
        assert!(order(Some("9")).is_empty(), "the key is in an account none of the profiles reaches");
    }

    #[test]
    fn names_match_case_insensitively_in_every_kind_with_their_path() {
        let entity = |name: &str, arn: &str| Entity { name: name.into(), arn: arn.into(), ..Entity::default() };
        let d = Details {
            account: "712000000001".into(),
            users: vec![
                entity("Ana-Admin", "arn:aws:iam::712000000001:user/ops/eu/Ana-Admin"),
                entity("bo", "arn:aws:iam::712000000001:user/bo"),
            ],
            groups: vec![entity("admins", "arn:aws:iam::712000000001:group/admins")],
            roles: vec![entity("ReadOnly", "arn:aws:iam::712000000001:role/ReadOnly")],
            policies: vec![ManagedDocument {
                arn: "arn:aws:iam::712000000001:policy/AdminBoundary".into(),
                name: "AdminBoundary".into(),
                document: "{}".into(),
            }],
        };
        let found = name_matches(&d, "p", "admin");
        let got: Vec<_> = found.iter().map(|m| (m.kind, m.name.as_str(), m.path.as_str())).collect();
        assert_eq!(
            got,
            [
                (MatchKind::User, "Ana-Admin", "/ops/eu/"),
                (MatchKind::Group, "admins", "/"),
                (MatchKind::Policy, "AdminBoundary", "/")
            ]
        );
        assert!(found.iter().all(|m| m.account == "712000000001" && m.profile == "p" && m.owner.is_none()));
        assert!(name_matches(&d, "p", "nobody").is_empty());
    }
}
