//! "Who can do this?" across the account: every user and role evaluated once per action,
//! over the snapshot's shared parsed policies, with no call to AWS.

use super::effective::denies_permissions_management;
use super::simulate::statement_at;
use super::snapshot::{Member, Snapshot};
use super::{Grant, WhoCan};
use crate::error::{Error, Result};
use crate::policy::admin::grants_everything;
use crate::policy::evaluate::{evaluate, Decision, Policy, Request, StatementRef};
use crate::vocab::Principal;
use std::time::Instant;

/// Every user and role allowed each of `actions` (on `resource`, `*` when `None`).
///
/// The action `*` asks who is admin-equivalent: an identity policy (and the boundary, when
/// one is set) allows `*` on `*` with no condition, and no Deny touches IAM's permissions
/// management (as in the effective permissions' `admin_equivalent`, except that an
/// "allow everything" spread over many statements is not recognised here). The evaluator
/// cannot answer it as an ordinary action: `NotAction: iam:*` (PowerUserAccess) would
/// count as matching it.
pub fn who_can(snapshot: &Snapshot, actions: &[String], resource: Option<&str>) -> Result<Vec<WhoCan>> {
    let started = Instant::now();
    let actions: Vec<&str> = actions.iter().map(|a| a.trim()).filter(|a| !a.is_empty()).collect();
    if actions.is_empty() {
        return Err(Error::InvalidInput("Name at least one action.".into()));
    }
    let resource = resource.map(str::trim).filter(|r| !r.is_empty()).unwrap_or("*");
    let mut grants: Vec<Vec<Grant>> = vec![Vec::new(); actions.len()];
    // Which documents keep an "allow everything" from being admin: worked out once each,
    // and only for those that apply to someone (most of AWS's 1,500 policies do not).
    let mut blocks_admin: Vec<Option<bool>> = vec![None; snapshot.docs.len()];
    let mut identity: Vec<&Policy> = Vec::new();
    for m in &snapshot.members {
        let sources = snapshot.sources(m);
        identity.clear();
        identity.extend(sources.iter().map(|s| &snapshot.docs[s.doc].policy));
        let boundary = m.boundary.map(|b| &snapshot.docs[b].policy);
        let context = snapshot.context(m);
        for (a, action) in actions.iter().enumerate() {
            let deciding = if *action == "*" {
                let blocked = sources.iter().map(|s| s.doc).chain(m.boundary).any(|d| {
                    *blocks_admin[d].get_or_insert_with(|| denies_permissions_management(&snapshot.docs[d].policy))
                });
                if blocked {
                    continue;
                }
                admin_statements(&identity, boundary)
            } else {
                let e = evaluate(&identity, boundary, &Request { action, resource, context: &context });
                if e.decision != Decision::Allowed {
                    continue;
                }
                e.deciding
            };
            // The boundary's statements limit; the identity policies' ones are the path.
            let mut own = deciding.iter().filter(|r| r.policy < sources.len());
            let Some(first) = own.next() else { continue };
            let Some(at) = statement_at(snapshot, m, &sources, first) else { continue };
            let mut paths = vec![snapshot.path(&sources[first.policy])];
            for r in own {
                let p = snapshot.path(&sources[r.policy]);
                if !paths.contains(&p) {
                    paths.push(p);
                }
            }
            grants[a].push(Grant { principal: principal(m), deciding: at, path: paths[0].clone(), paths });
        }
    }
    let evaluated = u32::try_from(snapshot.members.len()).unwrap_or(u32::MAX);
    let millis = u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX);
    Ok(actions
        .into_iter()
        .zip(grants)
        .map(|(action, grants)| WhoCan {
            action: action.to_string(),
            resource: resource.to_string(),
            grants,
            evaluated,
            millis,
        })
        .collect())
}

fn principal(m: &Member) -> Principal {
    Principal { kind: m.kind, name: m.name.clone() }
}

/// The identity statements that make the principal admin-equivalent (none if it is not).
fn admin_statements(identity: &[&Policy], boundary: Option<&Policy>) -> Vec<StatementRef> {
    if boundary.is_some_and(|b| !b.statements.iter().any(grants_everything)) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (policy, p) in identity.iter().enumerate() {
        for (statement, s) in p.statements.iter().enumerate() {
            if grants_everything(s) {
                out.push(StatementRef { policy, statement });
            }
        }
    }
    out
}
