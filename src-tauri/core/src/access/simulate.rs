//! "Can P do A on R?": the evaluator run over the principal's policies from the snapshot,
//! with the request's context filled from what the snapshot knows of the principal.

use super::snapshot::{Member, Snapshot, Source};
use super::{Simulation, SimulationRequest, SimulationResult, StatementAt};
use crate::error::{Error, Result};
use crate::policy::evaluate::{evaluate, Policy, Request, StatementRef, OUT_OF_SCOPE};
use crate::vocab::{Principal, PrincipalKind};

pub fn simulate(snapshot: &Snapshot, request: &SimulationRequest) -> Result<Simulation> {
    let m = principal_member(snapshot, &request.principal)?;
    if request.actions.is_empty() {
        return Err(Error::InvalidInput("Choose at least one action to simulate.".into()));
    }
    let resource = match request.resource.trim() {
        "" => "*",
        r => r,
    };
    let mut context = snapshot.context(m);
    // What the person asking says wins over what the snapshot knows.
    for entry in &request.context {
        if !entry.key.trim().is_empty() {
            context.insert(entry.key.trim(), entry.values.clone());
        }
    }
    let sources = snapshot.sources(m);
    let identity: Vec<&Policy> = sources.iter().map(|s| &snapshot.docs[s.doc].policy).collect();
    let boundary = m.boundary.map(|b| &snapshot.docs[b].policy);
    let results = request
        .actions
        .iter()
        .map(|action| {
            let action = action.trim();
            let e = evaluate(&identity, boundary, &Request { action, resource, context: &context });
            SimulationResult {
                action: action.to_string(),
                decision: e.decision,
                deciding: e.deciding.iter().filter_map(|r| statement_at(snapshot, m, &sources, r)).collect(),
                closest: e.closest.as_ref().and_then(|miss| statement_at(snapshot, m, &sources, &miss.at)),
                reason: e.closest.map(|miss| miss.reason),
                boundary_denied: e.boundary_denied,
            }
        })
        .collect();
    let mut policies: Vec<_> = sources.iter().map(|s| snapshot.applied(s)).collect();
    policies.extend(m.boundary.map(|b| snapshot.applied_boundary(b)));
    // The evaluator's own statement of its scope, and the snapshot's age: changes made
    // since it was read are not seen either.
    let mut out_of_scope = format!("{OUT_OF_SCOPE} The account as read at {}.", snapshot.info.read_at);
    if request.actions.iter().any(|a| may_be_kms(a)) {
        out_of_scope.push(' ');
        out_of_scope.push_str(KMS_KEY_POLICY);
    }
    Ok(Simulation { policies, results, out_of_scope })
}

/// AWS's rule for KMS: a key's own policy decides whether IAM policies count at all.
pub const KMS_KEY_POLICY: &str = "For KMS actions, AWS also requires the KMS key's own key policy to let IAM \
policies apply (the default key policy does, by allowing the account kms:*); for a key whose policy does not, what \
is shown as allowed here is denied.";

/// Whether an action (or a pattern of actions) may name a KMS action: `kms:Decrypt`,
/// `kms:*`, `*`, `k*:Get*`.
fn may_be_kms(action: &str) -> bool {
    let action = action.trim().to_ascii_lowercase();
    let service = action.split_once(':').map_or(action.as_str(), |(s, _)| s);
    action == "*" || crate::policy::catalogue::glob_match(service.as_bytes(), b"kms")
}

pub(crate) fn principal_member<'a>(snapshot: &'a Snapshot, principal: &Principal) -> Result<&'a Member> {
    if principal.kind == PrincipalKind::Group {
        return Err(Error::InvalidInput("Choose a user or a role: a group makes no requests, its members do.".into()));
    }
    snapshot.member(principal).ok_or_else(|| {
        Error::NoSuchEntity(format!("{} is not in the snapshot; read the account again.", principal.name))
    })
}

/// Where an evaluator's statement reference is: `r.policy` indexes `sources`, and
/// `sources.len()` is the boundary.
pub(crate) fn statement_at(
    snapshot: &Snapshot,
    m: &Member,
    sources: &[Source],
    r: &StatementRef,
) -> Option<StatementAt> {
    let (doc, policy, via_group) = match sources.get(r.policy) {
        Some(s) => (s.doc, snapshot.source_id(s), s.group.map(|g| snapshot.groups[g].name.clone())),
        None if r.policy == sources.len() => {
            let b = m.boundary?;
            (b, snapshot.boundary_id(b), None)
        }
        None => return None,
    };
    let d = &snapshot.docs[doc];
    let st = d.policy.statements.get(r.statement)?;
    Some(StatementAt {
        policy,
        policy_name: d.name.clone(),
        via_group,
        sid: st.sid.clone(),
        index: u32::try_from(r.statement).unwrap_or(u32::MAX),
        from: st.from,
        to: st.to,
    })
}
