//! A principal's effective permissions: the policies that apply, grouped by source, and a
//! per-service summary computed from the statements against the action catalogue (every
//! wildcard expanded), not by asking the evaluator 20,000 times.

use super::snapshot::Snapshot;
use super::{EffectivePermissions, LevelAccess, ServiceAccess};
use crate::error::{Error, Result};
use crate::policy::catalogue::{catalogue, Action, Catalogue, Level};
use crate::policy::evaluate::{Effect, Policy, Statement};
use crate::vocab::{Principal, PrincipalKind};
use std::collections::{BTreeSet, HashMap};

pub fn effective_permissions(snapshot: &Snapshot, principal: &Principal) -> Result<EffectivePermissions> {
    if principal.kind == PrincipalKind::Group {
        return Err(Error::InvalidInput(
            "Effective permissions are a user's or a role's: a group is not a principal that makes requests.".into(),
        ));
    }
    let m = snapshot.member(principal).ok_or_else(|| {
        Error::NoSuchEntity(format!("{} is not in the snapshot; read the account again.", principal.name))
    })?;
    let sources = snapshot.sources(m);
    let identity: Vec<&Policy> = sources.iter().map(|s| &snapshot.docs[s.doc].policy).collect();
    let boundary = m.boundary.map(|b| &snapshot.docs[b].policy);
    let summary = summarise(&identity, boundary);
    Ok(EffectivePermissions {
        principal: principal.clone(),
        policies: sources.iter().map(|s| snapshot.applied(s)).collect(),
        boundary: m.boundary.map(|b| snapshot.applied_boundary(b)),
        services: summary.services,
        admin_equivalent: summary.admin_equivalent,
    })
}

pub(crate) struct Summary {
    pub services: Vec<ServiceAccess>,
    pub admin_equivalent: bool,
}

/// Per action of the catalogue, what the statements say about it.
#[derive(Clone, Copy, Default)]
struct Flags {
    /// Some identity Allow names it (on some resource, maybe under conditions).
    allow: bool,
    /// Some identity Allow names it on every resource with no condition.
    allow_all: bool,
    /// The same two for the permissions boundary.
    bound: bool,
    bound_all: bool,
    /// Some Deny names it; `deny_all`: on every resource with no condition.
    deny: bool,
    deny_all: bool,
    /// Some Allow that names it has a condition.
    conditional: bool,
}

/// The position of `a` in the catalogue's action list (the list `expand` borrows from).
fn index_of(cat: &Catalogue, a: &Action) -> usize {
    let base = cat.actions.as_ptr() as usize;
    (a as *const Action as usize - base) / size_of::<Action>()
}

/// Every catalogue action the statement's `Action` (or `NotAction`) covers.
fn covered(cat: &Catalogue, s: &Statement) -> Vec<bool> {
    let mut hit = vec![false; cat.actions.len()];
    for pattern in &s.actions {
        for a in cat.expand(pattern) {
            hit[index_of(cat, a)] = true;
        }
    }
    if s.not_action {
        hit.iter_mut().for_each(|h| *h = !*h);
    }
    hit
}

/// Whether the statement covers every resource: `Resource: "*"` (a `NotResource` always
/// leaves something out).
fn every_resource(s: &Statement) -> bool {
    !s.not_resource && s.resources.iter().any(|r| r == "*")
}

/// The statement's resources as the summary shows them, for one service: patterns naming
/// another service's ARNs are left out.
fn resources_for(cat: &Catalogue, service: usize, s: &Statement) -> Vec<String> {
    if s.not_resource {
        return vec![format!("* except {}", s.resources.join(", "))];
    }
    let svc = &cat.services[service];
    s.resources
        .iter()
        .filter(|r| match r.split(':').nth(2) {
            Some(arn_service) if r.starts_with("arn:") => {
                arn_service.contains(['*', '?']) || cat.arn_service_matches(svc, arn_service)
            }
            _ => true,
        })
        .cloned()
        .collect()
}

/// Whether IAM's permissions-management action `a` is one a principal needs to rewrite its
/// own policies: a Deny of any of them keeps an "allow everything" from being admin.
fn iam_permissions_management(cat: &Catalogue, a: &Action) -> bool {
    a.level == Level::PermissionsManagement && cat.services[a.service].prefix == "iam"
}

/// Whether the policy denies (under any condition) some IAM permissions-management action.
pub(crate) fn denies_permissions_management(policy: &Policy) -> bool {
    let cat = catalogue();
    policy.statements.iter().filter(|s| s.effect == Effect::Deny).any(|s| {
        covered(cat, s).iter().enumerate().any(|(i, &hit)| hit && iam_permissions_management(cat, &cat.actions[i]))
    })
}

pub(crate) fn summarise(identity: &[&Policy], boundary: Option<&Policy>) -> Summary {
    let cat = catalogue();
    let mut flags = vec![Flags::default(); cat.actions.len()];
    // Resource patterns per service index, from the identity Allows.
    let mut resources: HashMap<usize, BTreeSet<String>> = HashMap::new();
    let identity_statements = identity.iter().flat_map(|p| p.statements.iter().map(|s| (s, false)));
    let boundary_statements = boundary.into_iter().flat_map(|p| p.statements.iter().map(|s| (s, true)));
    for (s, in_boundary) in identity_statements.chain(boundary_statements) {
        let hit = covered(cat, s);
        let all = every_resource(s) && !s.conditional;
        let mut services = BTreeSet::new();
        for (i, _) in hit.iter().enumerate().filter(|(_, h)| **h) {
            let f = &mut flags[i];
            match (s.effect, in_boundary) {
                (Effect::Deny, _) => {
                    f.deny = true;
                    f.deny_all |= all;
                }
                (Effect::Allow, false) => {
                    f.allow = true;
                    f.allow_all |= all;
                    f.conditional |= s.conditional;
                    services.insert(cat.actions[i].service);
                }
                (Effect::Allow, true) => {
                    f.bound = true;
                    f.bound_all |= all;
                }
            }
        }
        for service in services {
            resources.entry(service).or_default().extend(resources_for(cat, service, s));
        }
    }
    let bounded = boundary.is_some();
    let allowed = |f: &Flags| f.allow && (!bounded || f.bound) && !f.deny_all;
    let full = |f: &Flags| f.allow_all && (!bounded || f.bound_all) && !f.deny;

    let mut services = Vec::new();
    for (si, svc) in cat.services.iter().enumerate() {
        let actions = cat.service_actions(svc);
        let start = actions.first().map_or(0, |a| index_of(cat, a));
        let fs = &flags[start..start + actions.len()];
        let n_allowed = fs.iter().filter(|f| allowed(f)).count();
        let n_denied = fs.iter().filter(|f| f.deny).count();
        if n_allowed == 0 && n_denied == 0 {
            continue;
        }
        let mut levels: Vec<LevelAccess> = Vec::new();
        for level in [Level::List, Level::Read, Level::Write, Level::PermissionsManagement, Level::Tagging] {
            let of_level = actions.iter().zip(fs).filter(|(a, _)| a.level == level);
            let (total, ok) = of_level.fold((0, 0), |(t, k), (_, f)| (t + 1, k + u32::from(allowed(f))));
            if total > 0 {
                levels.push(LevelAccess { level: level.as_str().to_string(), allowed: ok, total });
            }
        }
        let conditional = fs.iter().any(|f| allowed(f) && f.conditional);
        let mut resources: Vec<String> = resources.remove(&si).unwrap_or_default().into_iter().collect();
        if n_allowed == 0 {
            resources.clear();
        }
        services.push(ServiceAccess {
            prefix: svc.prefix.clone(),
            name: svc.name.clone(),
            allowed: count(n_allowed),
            total: count(actions.len()),
            levels,
            resources,
            denied: count(n_denied),
            conditional,
            full_access: !fs.is_empty() && fs.iter().all(full),
        });
    }
    services.sort_by(|a, b| b.allowed.cmp(&a.allowed).then_with(|| a.prefix.cmp(&b.prefix)));

    // Admin-equivalent: every action allowed on every resource with no condition. A Deny
    // does not take that away unless it covers IAM's permissions management: whoever may
    // rewrite their own policies can lift any other Deny.
    let iam_pm = |i: usize| iam_permissions_management(cat, &cat.actions[i]);
    let admin_equivalent = !flags.is_empty()
        && flags.iter().enumerate().all(|(i, f)| f.allow_all && (!bounded || f.bound_all) && !(f.deny && iam_pm(i)));
    Summary { services, admin_equivalent }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
