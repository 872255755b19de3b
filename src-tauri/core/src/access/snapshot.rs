//! The account's authorization details, read once (GetAccountAuthorizationDetails with
//! every filter) and parsed once: each policy document is parsed a single time and the
//! principals keep indices into the shared list, so that "who can" over thousands of
//! principals evaluates parsed policies without copying any.

use super::{AppliedPolicy, SnapshotInfo};
use crate::aws::connection::Connection;
use crate::error::Result;
use crate::iam::details;
use crate::iam::policies::name_from_arn;
use crate::policy::document;
use crate::policy::evaluate::{Context, Policy};
use crate::vocab::{rfc3339, Principal, PrincipalKind, Tag};
use std::collections::HashMap;

/// A user, group or role as the authorization details describe it, before its policies
/// are resolved. Documents are as IAM sends them (URL-encoded or not).
#[derive(Debug, Clone, Default)]
pub struct Entity {
    pub name: String,
    pub arn: String,
    pub id: String,
    pub tags: Vec<Tag>,
    /// (name, document) of each inline policy.
    pub inline: Vec<(String, String)>,
    /// ARNs of the attached managed policies.
    pub managed: Vec<String>,
    /// A user's groups, by name.
    pub groups: Vec<String>,
    /// The permissions boundary's ARN.
    pub boundary: Option<String>,
    /// A role's trust policy, as IAM sends it.
    pub trust: Option<String>,
}

/// A managed policy's default version.
#[derive(Debug, Clone, Default)]
pub struct ManagedDocument {
    pub arn: String,
    pub name: String,
    pub document: String,
}

/// Everything a snapshot is built from: what GetAccountAuthorizationDetails returns, or
/// what a test or benchmark makes by hand.
#[derive(Debug, Clone, Default)]
pub struct Details {
    pub account: String,
    pub users: Vec<Entity>,
    pub groups: Vec<Entity>,
    pub roles: Vec<Entity>,
    pub policies: Vec<ManagedDocument>,
}

/// One parsed policy document, shared by everyone it applies to.
#[derive(Debug)]
pub(crate) struct Doc {
    pub name: String,
    /// A managed policy's ARN; `None` for an inline policy.
    pub arn: Option<String>,
    /// Decoded and pretty-printed: exactly the text given to `Policy::parse`, so that the
    /// statements' offsets point into it.
    pub text: String,
    pub policy: Policy,
}

#[derive(Debug)]
pub(crate) struct Group {
    pub name: String,
    pub inline: Vec<usize>,
    pub managed: Vec<usize>,
}

#[derive(Debug)]
pub(crate) struct Member {
    pub kind: PrincipalKind,
    pub name: String,
    pub arn: String,
    pub id: String,
    pub tags: Vec<Tag>,
    pub inline: Vec<usize>,
    pub managed: Vec<usize>,
    /// Indices into the snapshot's groups (users only).
    pub groups: Vec<usize>,
    pub boundary: Option<usize>,
}

/// The account's authorization details, as read once.
#[derive(Debug)]
pub struct Snapshot {
    pub info: SnapshotInfo,
    pub account: String,
    pub(crate) docs: Vec<Doc>,
    pub(crate) groups: Vec<Group>,
    /// Users first, then roles, each sorted by name.
    pub(crate) members: Vec<Member>,
}

/// A policy as it reaches one principal: which document, and through which group.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Source {
    pub doc: usize,
    pub group: Option<usize>,
    pub inline: bool,
}

impl Snapshot {
    /// Resolves the details' references and parses every document once. A policy that
    /// does not parse, or a managed policy that is attached but absent from the details,
    /// counts as granting nothing and is named in `info.warnings`.
    pub fn build(details: Details, read_at: String, calls: u32) -> Snapshot {
        let mut warnings = Vec::new();
        let mut docs = Vec::new();
        let mut by_arn: HashMap<String, usize> = HashMap::new();
        let add = |docs: &mut Vec<Doc>, warnings: &mut Vec<String>, name: &str, arn: Option<&str>, raw: &str| {
            let text = document::decode(raw);
            let policy = Policy::parse(&text).unwrap_or_else(|e| {
                warnings.push(format!("{name} could not be read and counts as granting nothing: {e}"));
                Policy::default()
            });
            docs.push(Doc { name: name.to_string(), arn: arn.map(str::to_string), text, policy });
            docs.len() - 1
        };
        let policies = details.policies.len();
        for p in &details.policies {
            let name = if p.name.is_empty() { name_from_arn(&p.arn) } else { p.name.as_str() };
            let i = add(&mut docs, &mut warnings, name, Some(&p.arn), &p.document);
            by_arn.insert(p.arn.clone(), i);
        }
        let mut missing: Vec<String> = Vec::new();
        let mut resolve = |arns: &[String]| -> Vec<usize> {
            arns.iter()
                .filter_map(|arn| {
                    let found = by_arn.get(arn).copied();
                    if found.is_none() && !missing.contains(arn) {
                        missing.push(arn.clone());
                    }
                    found
                })
                .collect()
        };
        let mut groups = Vec::new();
        for g in &details.groups {
            let managed = resolve(&g.managed);
            let inline = g.inline.iter().map(|(n, d)| add(&mut docs, &mut warnings, n, None, d)).collect();
            groups.push(Group { name: g.name.clone(), inline, managed });
        }
        let group_index: HashMap<&str, usize> = groups.iter().enumerate().map(|(i, g)| (g.name.as_str(), i)).collect();
        let mut members = Vec::new();
        for (kind, list) in [(PrincipalKind::User, &details.users), (PrincipalKind::Role, &details.roles)] {
            let mut sorted: Vec<&Entity> = list.iter().collect();
            sorted.sort_by(|a, b| a.name.cmp(&b.name));
            for e in sorted {
                let managed = resolve(&e.managed);
                let boundary = e.boundary.as_ref().and_then(|b| resolve(std::slice::from_ref(b)).first().copied());
                let inline = e.inline.iter().map(|(n, d)| add(&mut docs, &mut warnings, n, None, d)).collect();
                let groups = e.groups.iter().filter_map(|g| group_index.get(g.as_str()).copied()).collect();
                members.push(Member {
                    kind,
                    name: e.name.clone(),
                    arn: e.arn.clone(),
                    id: e.id.clone(),
                    tags: e.tags.clone(),
                    inline,
                    managed,
                    groups,
                    boundary,
                });
            }
        }
        for arn in &missing {
            warnings.push(format!(
                "{arn} is attached but was not in the account's authorization details: it counts as granting nothing."
            ));
        }
        let info = SnapshotInfo {
            read_at,
            users: count(details.users.len()),
            groups: count(details.groups.len()),
            roles: count(details.roles.len()),
            policies: count(policies),
            calls,
            warnings,
        };
        Snapshot { info, account: details.account, docs, groups, members }
    }

    pub(crate) fn member(&self, principal: &Principal) -> Option<&Member> {
        let kind = principal.kind;
        self.members.iter().find(|m| m.kind == kind && m.name == principal.name)
    }

    /// The identity policies that apply to `m`, in the order the UI groups them: inline,
    /// managed, then each group's (inline, then managed).
    pub(crate) fn sources(&self, m: &Member) -> Vec<Source> {
        let mut out: Vec<Source> = m.inline.iter().map(|&doc| Source { doc, group: None, inline: true }).collect();
        out.extend(m.managed.iter().map(|&doc| Source { doc, group: None, inline: false }));
        for &g in &m.groups {
            let group = &self.groups[g];
            out.extend(group.inline.iter().map(|&doc| Source { doc, group: Some(g), inline: true }));
            out.extend(group.managed.iter().map(|&doc| Source { doc, group: Some(g), inline: false }));
        }
        out
    }

    /// A stable id for a policy as it reaches a principal: the same managed policy attached
    /// directly and through a group are two entries.
    pub(crate) fn source_id(&self, s: &Source) -> String {
        let doc = &self.docs[s.doc];
        let what = match &doc.arn {
            Some(arn) => format!("managed:{arn}"),
            None => format!("inline:{}", doc.name),
        };
        match s.group {
            Some(g) => format!("group:{}:{what}", self.groups[g].name),
            None => what,
        }
    }

    pub(crate) fn applied(&self, s: &Source) -> AppliedPolicy {
        let doc = &self.docs[s.doc];
        AppliedPolicy {
            id: self.source_id(s),
            name: doc.name.clone(),
            arn: doc.arn.clone(),
            via_group: s.group.map(|g| self.groups[g].name.clone()),
            inline: s.inline,
            boundary: false,
            document: doc.text.clone(),
        }
    }

    pub(crate) fn applied_boundary(&self, doc: usize) -> AppliedPolicy {
        let d = &self.docs[doc];
        AppliedPolicy {
            id: self.boundary_id(doc),
            name: d.name.clone(),
            arn: d.arn.clone(),
            via_group: None,
            inline: false,
            boundary: true,
            document: d.text.clone(),
        }
    }

    pub(crate) fn boundary_id(&self, doc: usize) -> String {
        let d = &self.docs[doc];
        format!("boundary:{}", d.arn.as_deref().unwrap_or(&d.name))
    }

    /// A policy's path to the principal, as "who can" shows it.
    pub(crate) fn path(&self, s: &Source) -> String {
        let doc = &self.docs[s.doc];
        let what =
            if s.inline { format!("inline policy {}", doc.name) } else { format!("managed policy {}", doc.name) };
        match s.group {
            Some(g) => format!("group {}, {what}", self.groups[g].name),
            None => what,
        }
    }

    /// What the snapshot knows of the principal, as AWS puts it in every request's context.
    pub(crate) fn context(&self, m: &Member) -> Context {
        let mut c = Context::default();
        let one = |v: &str| vec![v.to_string()];
        if m.kind == PrincipalKind::User {
            c.insert("aws:username", one(&m.name));
        }
        c.insert("aws:userid", one(&m.id));
        c.insert("aws:PrincipalArn", one(&m.arn));
        c.insert("aws:PrincipalAccount", one(&self.account));
        // A role's requests come from its sessions: AWS says AssumedRole, not Role.
        c.insert("aws:PrincipalType", one(if m.kind == PrincipalKind::User { "User" } else { "AssumedRole" }));
        for t in &m.tags {
            c.insert(&format!("aws:PrincipalTag/{}", t.key), one(&t.value));
        }
        c
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The account's authorization details from the connection's shared read: users, groups
/// and roles with their policies, and the customer managed policies' default documents,
/// with AWS's managed policies too when `aws_managed` (~1,300 documents: who-can needs them,
/// the audit not). The parts are read side by side, or not at all when already read.
pub async fn read(conn: &Connection, aws_managed: bool) -> Result<(Details, u32)> {
    let (principals, roles, local, aws) =
        tokio::join!(details::principals(conn), details::roles(conn), details::local_policies(conn), async {
            match aws_managed {
                true => details::aws_policies(conn).await.map(Some),
                false => Ok(None),
            }
        },);
    let ((principals, c1), (roles, c2), (local, c3)) = (principals?, roles?, local?);
    let aws = aws?;
    let calls = c1 + c2 + c3 + aws.as_ref().map_or(0, |(_, c)| *c);
    let mut d = Details { account: conn.identity.account.clone(), ..Details::default() };
    let (tags, managed) = (details::tags, details::attached);
    let inline = |l| details::inline(l).collect();
    for u in &principals.users {
        d.users.push(Entity {
            name: u.user_name.clone().unwrap_or_default(),
            arn: u.arn.clone().unwrap_or_default(),
            id: u.user_id.clone().unwrap_or_default(),
            tags: tags(&u.tags),
            inline: inline(&u.user_policy_list),
            managed: managed(&u.attached_managed_policies),
            groups: u.group_list.clone().unwrap_or_default(),
            boundary: u.permissions_boundary.as_ref().and_then(|b| b.permissions_boundary_arn.clone()),
            trust: None,
        });
    }
    for g in &principals.groups {
        d.groups.push(Entity {
            name: g.group_name.clone().unwrap_or_default(),
            arn: g.arn.clone().unwrap_or_default(),
            id: g.group_id.clone().unwrap_or_default(),
            inline: inline(&g.group_policy_list),
            managed: managed(&g.attached_managed_policies),
            ..Entity::default()
        });
    }
    for r in roles.iter() {
        d.roles.push(Entity {
            name: r.role_name.clone().unwrap_or_default(),
            arn: r.arn.clone().unwrap_or_default(),
            id: r.role_id.clone().unwrap_or_default(),
            tags: tags(&r.tags),
            inline: inline(&r.role_policy_list),
            managed: managed(&r.attached_managed_policies),
            groups: Vec::new(),
            boundary: r.permissions_boundary.as_ref().and_then(|b| b.permissions_boundary_arn.clone()),
            trust: r.assume_role_policy_document.clone(),
        });
    }
    let aws_list = aws.as_ref().map(|(list, _)| list.as_slice()).unwrap_or_default();
    for p in local.iter().chain(aws_list) {
        let arn = p.arn.clone().unwrap_or_default();
        let default = p.default_version_id.clone().unwrap_or_default();
        let versions = p.policy_version_list.as_deref().unwrap_or_default();
        let version = versions
            .iter()
            .find(|v| v.is_default_version)
            .or_else(|| versions.iter().find(|v| v.version_id.as_deref() == Some(default.as_str())));
        // moto's entries lack PolicyName: the ARN's last segment is the name.
        let name = p.policy_name.clone().unwrap_or_else(|| name_from_arn(&arn).to_string());
        let document = version.and_then(|v| v.document.clone()).unwrap_or_default();
        d.policies.push(ManagedDocument { arn, name, document });
    }
    Ok((d, calls))
}

pub(crate) fn now_rfc3339() -> String {
    rfc3339(&aws_sdk_iam::primitives::DateTime::from(std::time::SystemTime::now()))
}
