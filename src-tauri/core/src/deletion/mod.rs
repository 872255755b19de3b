//! Deleting what IAM lets go of only once nothing depends on it, the way AWS requires: a
//! user, group or role (its credentials, MFA devices, memberships and policies first), or a
//! customer-managed policy (detached from everyone and its other versions deleted first).
//! One planner and one executor serve every kind of target.
//!
//! A plan is computed from what the target has *now*, and every step treats "already
//! gone" as done, so running the deletion again after an interruption finishes the job.

mod aws;

use crate::error::{Error, IpcError, Result};
use crate::iam::policies::{is_aws_managed, name_from_arn};
use crate::iam::principals::check_principal;
use crate::rules;
use crate::vocab::{Changed, Entity, Principal, PrincipalKind};
use serde::{Deserialize, Serialize};

/// What one deletion removes: a user, group or role, or a customer-managed policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(untagged)]
pub enum Target {
    Principal(Principal),
    /// A customer-managed policy, by ARN.
    Policy {
        arn: String,
    },
}

impl Target {
    pub fn policy(arn: &str) -> Self {
        Target::Policy { arn: arn.into() }
    }

    /// The principal's name or the policy's ARN: what IAM's calls take.
    fn id(&self) -> &str {
        match self {
            Target::Principal(p) => &p.name,
            Target::Policy { arn } => arn,
        }
    }

    fn entity(&self) -> Entity {
        match self {
            Target::Principal(p) => Entity::principal(p),
            Target::Policy { arn } => Entity::policy(arn),
        }
    }

    /// "user ana", "policy deploy": how the plan and the progress name it.
    fn describe(&self) -> String {
        match self {
            Target::Principal(p) => describe_principal(p),
            Target::Policy { arn } => format!("policy {}", name_from_arn(arn)),
        }
    }
}

impl From<Principal> for Target {
    fn from(p: Principal) -> Self {
        Target::Principal(p)
    }
}

fn describe_principal(p: &Principal) -> String {
    let kind = match p.kind {
        PrincipalKind::User => "user",
        PrincipalKind::Group => "group",
        PrincipalKind::Role => "role",
    };
    format!("{kind} {}", p.name)
}

/// The target's identifier, by its kind's rules, before anything is read.
fn check(target: &Target) -> Result<()> {
    match target {
        Target::Principal(p) => check_principal(p),
        Target::Policy { arn } => {
            rules::policy_arn(arn)?;
            if is_aws_managed(arn) {
                return Err(Error::InvalidInput(format!(
                    "{} is managed by AWS: no account can delete it. Detach it where it is not wanted instead.",
                    name_from_arn(arn)
                )));
            }
            Ok(())
        }
    }
}

/// Everything that blocks a deletion. Lists that do not apply to a kind stay empty (a
/// group has no access keys, a user no members, a policy neither).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dependencies {
    pub login_profile: bool,
    pub access_keys: Vec<String>,
    pub signing_certificates: Vec<String>,
    pub ssh_public_keys: Vec<String>,
    pub service_specific_credentials: Vec<String>,
    /// MFA device serial numbers; virtual devices' serials are ARNs containing `:mfa/`.
    pub mfa_devices: Vec<String>,
    /// Virtual devices named for the user that no one holds (`mfa::orphaned_devices`):
    /// they do not block the deletion, but they keep a seed and block a new user of this
    /// name from enrolling, so they go with the user.
    pub unassigned_mfa_devices: Vec<String>,
    /// For a user, its groups; for a group, its members.
    pub memberships: Vec<String>,
    pub instance_profiles: Vec<String>,
    pub attached_policies: Vec<String>,
    pub inline_policies: Vec<String>,
    pub permissions_boundary: bool,
    /// For a managed policy, the users, groups and roles it is attached to.
    pub attached_to: Vec<Principal>,
    /// For a managed policy, its versions but the default, oldest first: deleting the
    /// policy takes its default version along, and only that one.
    pub versions: Vec<String>,
    /// Dependencies that could not be listed (no permission, or an operation the endpoint
    /// lacks). Deletion may then stop on DeleteConflict; the plan says so up front.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum Step {
    DeleteLoginProfile,
    DeleteAccessKey {
        id: String,
    },
    DeleteSigningCertificate {
        id: String,
    },
    DeleteSshPublicKey {
        id: String,
    },
    DeleteServiceSpecificCredential {
        id: String,
    },
    DeactivateMfaDevice {
        serial: String,
    },
    DeleteVirtualMfaDevice {
        serial: String,
    },
    /// A user leaving a group, or a member leaving the group being deleted.
    RemoveFromGroup {
        group: String,
        user: String,
    },
    RemoveFromInstanceProfile {
        instance_profile: String,
    },
    DetachPolicy {
        arn: String,
    },
    DeleteInlinePolicy {
        name: String,
    },
    DeletePermissionsBoundary,
    /// The managed policy being deleted leaving a user, group or role.
    DetachFrom {
        principal: Principal,
    },
    DeletePolicyVersion {
        id: String,
    },
    /// The target itself, once nothing blocks it.
    Delete,
}

impl Step {
    /// What the confirmation screen and the progress line say.
    pub fn describe(&self, target: &Target) -> String {
        match self {
            Step::DeleteLoginProfile => "Remove console access (login profile)".into(),
            Step::DeleteAccessKey { id } => format!("Delete access key {id}"),
            Step::DeleteSigningCertificate { id } => format!("Delete signing certificate {id}"),
            Step::DeleteSshPublicKey { id } => format!("Delete SSH public key {id}"),
            Step::DeleteServiceSpecificCredential { id } => format!("Delete service-specific credential {id}"),
            Step::DeactivateMfaDevice { serial } => format!("Deactivate MFA device {serial}"),
            Step::DeleteVirtualMfaDevice { serial } => format!("Delete virtual MFA device {serial}"),
            Step::RemoveFromGroup { group, user } => format!("Remove {user} from group {group}"),
            Step::RemoveFromInstanceProfile { instance_profile } => {
                format!("Remove the role from instance profile {instance_profile}")
            }
            Step::DetachPolicy { arn } => format!("Detach managed policy {arn}"),
            Step::DeleteInlinePolicy { name } => format!("Delete inline policy {name}"),
            Step::DeletePermissionsBoundary => "Remove the permissions boundary".into(),
            Step::DetachFrom { principal } => format!("Detach from {}", describe_principal(principal)),
            Step::DeletePolicyVersion { id } => format!("Delete version {id}"),
            Step::Delete => format!("Delete {}", target.describe()),
        }
    }

    /// What the step changed once done: its own object, and what holds it from the other
    /// side (the group a user left, the policy detached from a role), since that shows it too.
    /// A user's keys, MFA devices and login profile are only ever planned for a user.
    pub fn changed(&self, target: &Target) -> Changed {
        let it = target.entity();
        let user = target.id().to_string();
        let both = |a: Entity, b: Entity| Changed::updated(a).and(Changed::updated(b));
        match self {
            Step::DeleteLoginProfile => Changed::deleted(Entity::LoginProfile { user }),
            Step::DeleteAccessKey { id } => Changed::deleted(Entity::AccessKey { user, id: id.clone() }),
            // The device outlives its user's hold on it; the next step deletes a virtual one.
            Step::DeactivateMfaDevice { serial } => {
                Changed::updated(Entity::MfaDevice { user, serial: serial.clone() })
            }
            Step::DeleteVirtualMfaDevice { serial } => {
                Changed::deleted(Entity::MfaDevice { user, serial: serial.clone() })
            }
            Step::RemoveFromGroup { group, user } => both(Entity::group(group), Entity::user(user)),
            Step::RemoveFromInstanceProfile { instance_profile } => {
                both(Entity::InstanceProfile { name: instance_profile.clone() }, it)
            }
            Step::DetachPolicy { arn } => both(it, Entity::policy(arn)),
            Step::DetachFrom { principal } => both(Entity::principal(principal), it),
            Step::DeleteSigningCertificate { .. }
            | Step::DeleteSshPublicKey { .. }
            | Step::DeleteServiceSpecificCredential { .. }
            | Step::DeleteInlinePolicy { .. }
            | Step::DeletePermissionsBoundary
            | Step::DeletePolicyVersion { .. } => Changed::updated(it),
            Step::Delete => Changed::deleted(it),
        }
    }
}

/// The steps, in the order AWS requires: credentials, MFA (deactivate, then delete the
/// virtual device), memberships, managed policies, inline policies, boundary; for a managed
/// policy, every attachment, then its other versions; then the target itself.
pub fn plan(target: &Target, deps: &Dependencies) -> Vec<Step> {
    let mut steps = Vec::new();
    if deps.login_profile {
        steps.push(Step::DeleteLoginProfile);
    }
    steps.extend(deps.access_keys.iter().map(|id| Step::DeleteAccessKey { id: id.clone() }));
    steps.extend(deps.signing_certificates.iter().map(|id| Step::DeleteSigningCertificate { id: id.clone() }));
    steps.extend(deps.ssh_public_keys.iter().map(|id| Step::DeleteSshPublicKey { id: id.clone() }));
    steps.extend(
        deps.service_specific_credentials.iter().map(|id| Step::DeleteServiceSpecificCredential { id: id.clone() }),
    );
    for serial in &deps.mfa_devices {
        steps.push(Step::DeactivateMfaDevice { serial: serial.clone() });
        if serial.contains(":mfa/") {
            steps.push(Step::DeleteVirtualMfaDevice { serial: serial.clone() });
        }
    }
    steps.extend(
        deps.unassigned_mfa_devices
            .iter()
            .filter(|s| !deps.mfa_devices.contains(s))
            .map(|serial| Step::DeleteVirtualMfaDevice { serial: serial.clone() }),
    );
    let name = target.id();
    let is_group = matches!(target, Target::Principal(p) if p.kind == PrincipalKind::Group);
    for other in &deps.memberships {
        steps.push(if is_group {
            Step::RemoveFromGroup { group: name.into(), user: other.clone() }
        } else {
            Step::RemoveFromGroup { group: other.clone(), user: name.into() }
        });
    }
    steps.extend(
        deps.instance_profiles.iter().map(|ip| Step::RemoveFromInstanceProfile { instance_profile: ip.clone() }),
    );
    steps.extend(deps.attached_policies.iter().map(|arn| Step::DetachPolicy { arn: arn.clone() }));
    steps.extend(deps.inline_policies.iter().map(|name| Step::DeleteInlinePolicy { name: name.clone() }));
    if deps.permissions_boundary {
        steps.push(Step::DeletePermissionsBoundary);
    }
    steps.extend(deps.attached_to.iter().map(|p| Step::DetachFrom { principal: p.clone() }));
    steps.extend(deps.versions.iter().map(|id| Step::DeletePolicyVersion { id: id.clone() }));
    steps.push(Step::Delete);
    steps
}

/// Reads what blocks a deletion and carries out one step. The AWS implementation is in
/// `aws`; tests use a fake that enforces AWS's DeleteConflict rules.
#[allow(async_fn_in_trait)]
pub trait DeletionOps {
    /// `Ok(None)` when the target does not exist (any more).
    async fn dependencies(&self, target: &Target) -> Result<Option<Dependencies>>;
    /// Carries out `step`; NoSuchEntity (already done) is success.
    async fn apply(&self, target: &Target, step: &Step) -> Result<()>;
}

#[derive(Debug)]
pub struct Outcome {
    pub done: Vec<Step>,
    /// The step that failed, and why; nothing after it was attempted.
    pub failed: Option<(Step, Error)>,
    pub remaining: Vec<Step>,
}

impl Outcome {
    pub fn is_complete(&self) -> bool {
        self.failed.is_none() && self.remaining.is_empty()
    }
}

/// Runs `steps` in order, reporting each before it starts; stops at the first failure.
pub async fn execute(
    ops: &impl DeletionOps,
    target: &Target,
    steps: Vec<Step>,
    mut on_step: impl FnMut(usize, &Step),
) -> Outcome {
    let mut done = Vec::new();
    let mut rest = steps.into_iter();
    while let Some(step) = rest.next() {
        on_step(done.len(), &step);
        match ops.apply(target, &step).await {
            Ok(()) | Err(Error::NoSuchEntity(_)) => done.push(step),
            Err(e) => {
                return Outcome { done, failed: Some((step, e)), remaining: rest.collect() };
            }
        }
    }
    Outcome { done, failed: None, remaining: Vec::new() }
}

/// Plans from the target's current state and executes. Running it again after an
/// interruption re-plans from what is left, so it always finishes the job.
pub async fn delete(ops: &impl DeletionOps, target: &Target, on_step: impl FnMut(usize, &Step)) -> Result<Outcome> {
    check(target)?;
    let Some(deps) = ops.dependencies(target).await? else {
        return Ok(Outcome { done: Vec::new(), failed: None, remaining: Vec::new() });
    };
    Ok(execute(ops, target, plan(target, &deps), on_step).await)
}

/// One step of a deletion plan, with the sentence the confirmation screen shows.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct PlannedStep {
    pub step: Step,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DeletionPlan {
    pub target: Target,
    pub steps: Vec<PlannedStep>,
    /// Dependencies that could not be listed; deletion may stop on DeleteConflict.
    pub warnings: Vec<String>,
    /// The target no longer exists: nothing to do.
    pub gone: bool,
}

/// The step about to run, streamed to the UI while a deletion runs.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DeletionProgress {
    pub target: Target,
    pub text: String,
}

/// What happened to one target: what was done, the step that failed and why (with AWS's
/// code), what was not attempted, and everything the steps done changed.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DeletionResult {
    pub target: Target,
    pub done: Vec<String>,
    pub failed: Option<String>,
    pub error: Option<IpcError>,
    pub remaining: Vec<String>,
    pub changed: Changed,
}

/// The plan for each target, from what each has now.
pub async fn plan_all(ops: &impl DeletionOps, targets: Vec<Target>) -> Result<Vec<DeletionPlan>> {
    let mut plans = Vec::new();
    targets.iter().try_for_each(check)?;
    for target in targets {
        let deps = ops.dependencies(&target).await?;
        let steps = deps.as_ref().map(|d| plan(&target, d)).unwrap_or_default();
        plans.push(DeletionPlan {
            steps: steps.into_iter().map(|s| PlannedStep { text: s.describe(&target), step: s }).collect(),
            warnings: deps.as_ref().map(|d| d.warnings.clone()).unwrap_or_default(),
            gone: deps.is_none(),
            target,
        });
    }
    Ok(plans)
}

/// Deletes each target in turn, re-planning from its current state, and reports every
/// step as it starts. One failure does not stop the others.
pub async fn delete_all(
    ops: &impl DeletionOps,
    targets: Vec<Target>,
    mut on_progress: impl FnMut(DeletionProgress),
) -> Vec<DeletionResult> {
    let mut results = Vec::new();
    for t in targets {
        let report = |_: usize, s: &Step| on_progress(DeletionProgress { target: t.clone(), text: s.describe(&t) });
        let result = match delete(ops, &t, report).await {
            Ok(outcome) => DeletionResult {
                done: outcome.done.iter().map(|s| s.describe(&t)).collect(),
                failed: outcome.failed.as_ref().map(|(s, _)| s.describe(&t)),
                error: outcome.failed.as_ref().map(|(_, e)| IpcError::from(e)),
                remaining: outcome.remaining.iter().map(|s| s.describe(&t)).collect(),
                // A step found already done (NoSuchEntity) counts too: someone else made
                // the change, and the window still shows what was there before.
                changed: outcome.done.iter().fold(Changed::none(), |c, s| c.and(s.changed(&t))),
                target: t,
            },
            Err(e) => DeletionResult {
                done: vec![],
                failed: Some("Reading what to delete".into()),
                error: Some(IpcError::from(&e)),
                remaining: vec![],
                changed: Changed::none(),
                target: t,
            },
        };
        results.push(result);
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::mfa::is_named_for;
    use std::collections::HashMap;
    use std::sync::Mutex;

    /// IAM as AWS enforces it: deleting something that still has dependencies raises
    /// DeleteConflict, a virtual MFA device cannot be deleted while enabled, and a step can
    /// be made to fail once to simulate an interruption. Virtual devices no user holds are
    /// the account's, not a user's: deactivating a device puts it there (and ListMFADevices
    /// no longer shows it), deleting a user leaves them, and only ListVirtualMFADevices
    /// finds them, by the name in their serial. A managed policy cannot be deleted while it
    /// is attached to anyone or has versions besides its default; who it is attached to is
    /// one relation, seen from either side.
    #[derive(Default)]
    struct FakeIam {
        principals: Mutex<HashMap<Principal, Dependencies>>,
        unassigned: Mutex<Vec<String>>,
        /// Each managed policy's versions but the default.
        policies: Mutex<HashMap<String, Vec<String>>>,
        fail_once: Mutex<Option<Step>>,
        calls: Mutex<Vec<Step>>,
    }

    impl FakeIam {
        fn with(p: &Principal, mut deps: Dependencies) -> Self {
            let f = FakeIam::default();
            f.unassigned.lock().unwrap().append(&mut deps.unassigned_mfa_devices);
            f.principals.lock().unwrap().insert(p.clone(), deps);
            f
        }
        fn deps(&self, p: &Principal) -> Option<Dependencies> {
            let mut d = self.principals.lock().unwrap().get(p)?.clone();
            if p.kind == PrincipalKind::User {
                let unassigned = self.unassigned.lock().unwrap();
                d.unassigned_mfa_devices = unassigned.iter().filter(|s| is_named_for(s, &p.name)).cloned().collect();
            }
            Some(d)
        }
        fn policy_deps(&self, arn: &str) -> Option<Dependencies> {
            let versions = self.policies.lock().unwrap().get(arn)?.clone();
            let mut attached_to: Vec<Principal> = (self.principals.lock().unwrap().iter())
                .filter(|(_, d)| d.attached_policies.iter().any(|a| a == arn))
                .map(|(p, _)| p.clone())
                .collect();
            // As ListEntitiesForPolicy answers: users, then groups, then roles.
            attached_to.sort_by_key(|p| (p.kind as u8, p.name.clone()));
            Some(Dependencies { attached_to, versions, ..Dependencies::default() })
        }
    }

    fn conflict(what: &str) -> Error {
        Error::DeleteConflict(format!("Cannot delete entity, must {what} first."))
    }

    fn remove(list: &mut Vec<String>, item: &str) -> Result<()> {
        let before = list.len();
        list.retain(|x| x != item);
        if list.len() == before {
            return Err(Error::NoSuchEntity(format!("{item} not found")));
        }
        Ok(())
    }

    impl DeletionOps for FakeIam {
        async fn dependencies(&self, target: &Target) -> Result<Option<Dependencies>> {
            Ok(match target {
                Target::Principal(p) => self.deps(p),
                Target::Policy { arn } => self.policy_deps(arn),
            })
        }

        async fn apply(&self, target: &Target, step: &Step) -> Result<()> {
            self.calls.lock().unwrap().push(step.clone());
            if self.fail_once.lock().unwrap().as_ref() == Some(step) {
                *self.fail_once.lock().unwrap() = None;
                return Err(Error::Throttling("Rate exceeded".into()));
            }
            match target {
                Target::Principal(p) => self.apply_to_principal(p, step),
                Target::Policy { arn } => self.apply_to_policy(arn, step),
            }
        }
    }

    impl FakeIam {
        fn apply_to_principal(&self, p: &Principal, step: &Step) -> Result<()> {
            let mut all = self.principals.lock().unwrap();
            let in_use = all
                .values()
                .any(|d| matches!(step, Step::DeleteVirtualMfaDevice { serial } if d.mfa_devices.contains(serial)));
            let mut unassigned = self.unassigned.lock().unwrap();
            let Some(d) = all.get_mut(p) else {
                return Err(Error::NoSuchEntity(format!("{} not found", p.name)));
            };
            match step {
                Step::DeleteLoginProfile => {
                    if !d.login_profile {
                        return Err(Error::NoSuchEntity("no login profile".into()));
                    }
                    d.login_profile = false;
                }
                Step::DeleteAccessKey { id } => remove(&mut d.access_keys, id)?,
                Step::DeleteSigningCertificate { id } => remove(&mut d.signing_certificates, id)?,
                Step::DeleteSshPublicKey { id } => remove(&mut d.ssh_public_keys, id)?,
                Step::DeleteServiceSpecificCredential { id } => remove(&mut d.service_specific_credentials, id)?,
                Step::DeactivateMfaDevice { serial } => {
                    remove(&mut d.mfa_devices, serial)?;
                    if serial.contains(":mfa/") {
                        unassigned.push(serial.clone());
                    }
                }
                Step::DeleteVirtualMfaDevice { serial } => {
                    if in_use {
                        return Err(conflict("deactivate the MFA device"));
                    }
                    remove(&mut unassigned, serial)?;
                }
                Step::RemoveFromGroup { group, user } => {
                    let other = if p.kind == PrincipalKind::Group { user } else { group };
                    remove(&mut d.memberships, other)?;
                }
                Step::RemoveFromInstanceProfile { instance_profile } => {
                    remove(&mut d.instance_profiles, instance_profile)?
                }
                Step::DetachPolicy { arn } => remove(&mut d.attached_policies, arn)?,
                Step::DeleteInlinePolicy { name } => remove(&mut d.inline_policies, name)?,
                Step::DeletePermissionsBoundary => d.permissions_boundary = false,
                Step::DetachFrom { .. } | Step::DeletePolicyVersion { .. } => panic!("{step:?} is not a principal's"),
                Step::Delete => {
                    let blocked = d.login_profile
                        || !d.access_keys.is_empty()
                        || !d.signing_certificates.is_empty()
                        || !d.ssh_public_keys.is_empty()
                        || !d.service_specific_credentials.is_empty()
                        || !d.mfa_devices.is_empty()
                        || !d.memberships.is_empty()
                        || !d.instance_profiles.is_empty()
                        || !d.attached_policies.is_empty()
                        || !d.inline_policies.is_empty();
                    if blocked {
                        return Err(conflict("remove all dependencies"));
                    }
                    all.remove(p);
                }
            }
            Ok(())
        }

        fn apply_to_policy(&self, arn: &str, step: &Step) -> Result<()> {
            let mut all = self.principals.lock().unwrap();
            let mut policies = self.policies.lock().unwrap();
            let Some(versions) = policies.get_mut(arn) else {
                return Err(Error::NoSuchEntity(format!("{arn} not found")));
            };
            match step {
                Step::DetachFrom { principal } => match all.get_mut(principal) {
                    Some(d) => remove(&mut d.attached_policies, arn)?,
                    None => return Err(Error::NoSuchEntity(format!("{} not found", principal.name))),
                },
                Step::DeletePolicyVersion { id } => remove(versions, id)?,
                Step::Delete => {
                    let attached = all.values().any(|d| d.attached_policies.iter().any(|a| a == arn));
                    if attached || !versions.is_empty() {
                        return Err(conflict("detach the policy and delete its other versions"));
                    }
                    policies.remove(arn);
                }
                _ => panic!("{step:?} is not a policy's"),
            }
            Ok(())
        }
    }

    fn loaded_user() -> Dependencies {
        Dependencies {
            login_profile: true,
            access_keys: vec!["AKIA1".into(), "AKIA2".into()],
            signing_certificates: vec!["CERT1".into()],
            ssh_public_keys: vec!["APKA1".into()],
            service_specific_credentials: vec!["ACCA1".into()],
            mfa_devices: vec!["arn:aws:iam::111111111111:mfa/ana".into(), "GAHT12345678".into()],
            memberships: vec!["developers".into(), "readonly".into()],
            attached_policies: vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()],
            inline_policies: vec!["logs".into()],
            permissions_boundary: true,
            ..Dependencies::default()
        }
    }

    #[test]
    fn plans_every_dependency_in_aws_order() {
        let p = Target::from(Principal::user("ana"));
        let steps = plan(&p, &loaded_user());
        let order: Vec<&str> = steps
            .iter()
            .map(|s| match s {
                Step::DeleteLoginProfile => "login",
                Step::DeleteAccessKey { .. } => "key",
                Step::DeleteSigningCertificate { .. } => "cert",
                Step::DeleteSshPublicKey { .. } => "ssh",
                Step::DeleteServiceSpecificCredential { .. } => "ssc",
                Step::DeactivateMfaDevice { .. } => "mfa-off",
                Step::DeleteVirtualMfaDevice { .. } => "mfa-del",
                Step::RemoveFromGroup { .. } => "group",
                Step::RemoveFromInstanceProfile { .. } => "ip",
                Step::DetachPolicy { .. } => "detach",
                Step::DeleteInlinePolicy { .. } => "inline",
                Step::DeletePermissionsBoundary => "boundary",
                Step::DetachFrom { .. } | Step::DeletePolicyVersion { .. } => "policy",
                Step::Delete => "delete",
            })
            .collect();
        assert_eq!(
            order,
            [
                "login", "key", "key", "cert", "ssh", "ssc", "mfa-off", "mfa-del", "mfa-off", "group", "group",
                "detach", "inline", "boundary", "delete"
            ],
            "the hardware device (no :mfa/ ARN) is only deactivated"
        );
        assert_eq!(steps[9], Step::RemoveFromGroup { group: "developers".into(), user: "ana".into() });
        assert_eq!(steps.last().unwrap().describe(&p), "Delete user ana");
    }

    #[test]
    fn one_planner_serves_groups_and_roles() {
        let g = Target::from(Principal::group("devops"));
        let steps = plan(
            &g,
            &Dependencies { memberships: vec!["ana".into()], inline_policies: vec!["x".into()], ..Default::default() },
        );
        assert_eq!(
            steps,
            [
                Step::RemoveFromGroup { group: "devops".into(), user: "ana".into() },
                Step::DeleteInlinePolicy { name: "x".into() },
                Step::Delete,
            ]
        );
        let r = Target::from(Principal::role("app"));
        let steps = plan(&r, &Dependencies { instance_profiles: vec!["app-ip".into()], ..Default::default() });
        assert_eq!(steps, [Step::RemoveFromInstanceProfile { instance_profile: "app-ip".into() }, Step::Delete]);
        assert_eq!(plan(&r, &Dependencies::default()), [Step::Delete]);
    }

    #[tokio::test]
    async fn deletes_a_user_with_every_kind_of_dependency() {
        let p = Principal::user("ana");
        let t = Target::from(p.clone());
        let iam = FakeIam::with(&p, loaded_user());
        let mut seen = Vec::new();
        let outcome = delete(&iam, &t, |i, s| seen.push((i, s.clone()))).await.unwrap();
        assert!(outcome.is_complete(), "{outcome:?}");
        assert_eq!(outcome.done.len(), 15);
        assert_eq!(seen.len(), 15, "progress is reported for every step");
        assert!(iam.deps(&p).is_none(), "the user is gone");
    }

    #[tokio::test]
    async fn skipping_the_plan_hits_delete_conflict_as_on_aws() {
        let p = Principal::user("ana");
        let t = Target::from(p.clone());
        let iam = FakeIam::with(&p, loaded_user());
        let outcome = execute(&iam, &t, vec![Step::Delete], |_, _| {}).await;
        let (step, err) = outcome.failed.unwrap();
        assert_eq!(step, Step::Delete);
        assert_eq!(err.code(), crate::error::ErrorCode::DeleteConflict);
        // And a virtual MFA device cannot be deleted before it is deactivated.
        let serial = "arn:aws:iam::111111111111:mfa/ana".to_string();
        let outcome = execute(&iam, &t, vec![Step::DeleteVirtualMfaDevice { serial }], |_, _| {}).await;
        assert_eq!(outcome.failed.unwrap().1.code(), crate::error::ErrorCode::DeleteConflict);
    }

    #[tokio::test]
    async fn an_interrupted_deletion_says_what_remains_and_a_second_run_finishes_it() {
        let p = Principal::user("ana");
        let t = Target::from(p.clone());
        let iam = FakeIam::with(&p, loaded_user());
        *iam.fail_once.lock().unwrap() = Some(Step::RemoveFromGroup { group: "readonly".into(), user: "ana".into() });

        let first = delete(&iam, &t, |_, _| {}).await.unwrap();
        assert!(!first.is_complete());
        assert_eq!(first.done.len(), 10, "everything before the failing step was done");
        let (failed, err) = first.failed.as_ref().unwrap();
        assert_eq!(*failed, Step::RemoveFromGroup { group: "readonly".into(), user: "ana".into() });
        assert_eq!(err.code(), crate::error::ErrorCode::Throttling);
        assert_eq!(first.remaining.len(), 4, "detach, inline, boundary, delete remain");
        assert!(iam.deps(&p).is_some());

        iam.calls.lock().unwrap().clear();
        let second = delete(&iam, &t, |_, _| {}).await.unwrap();
        assert!(second.is_complete(), "{second:?}");
        assert_eq!(second.done.len(), 5, "only what was left is planned again");
        assert!(iam.deps(&p).is_none());

        let third = delete(&iam, &t, |_, _| {}).await.unwrap();
        assert!(third.is_complete() && third.done.is_empty(), "deleting a deleted user is a no-op");
    }

    #[tokio::test]
    async fn several_principals_one_failure_does_not_stop_the_others() {
        let (ana, bob, gone) = (Principal::user("ana"), Principal::user("bob"), Principal::user("gone"));
        let iam = FakeIam::with(&ana, loaded_user());
        iam.principals
            .lock()
            .unwrap()
            .insert(bob.clone(), Dependencies { access_keys: vec!["AKIAB".into()], ..Default::default() });
        *iam.fail_once.lock().unwrap() =
            Some(Step::DetachPolicy { arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into() });

        let targets = [&ana, &bob, &gone].map(|p| Target::from(p.clone()));
        let plans = plan_all(&iam, targets.to_vec()).await.unwrap();
        assert_eq!(plans.iter().map(|p| p.steps.len()).collect::<Vec<_>>(), [15, 2, 0]);
        assert_eq!(plans[1].steps[0].text, "Delete access key AKIAB");
        assert!(plans[2].gone && !plans[0].gone);

        let mut progress = Vec::new();
        let results = delete_all(&iam, targets[..2].to_vec(), |p| progress.push(p.text)).await;
        assert_eq!(results[0].failed.as_deref(), Some("Detach managed policy arn:aws:iam::aws:policy/ReadOnlyAccess"));
        assert_eq!(results[0].error.as_ref().unwrap().code, crate::error::ErrorCode::Throttling, "AWS's code is kept");
        assert_eq!(
            results[0].remaining,
            ["Delete inline policy logs", "Remove the permissions boundary", "Delete user ana"]
        );
        assert!(results[1].failed.is_none() && results[1].done == ["Delete access key AKIAB", "Delete user bob"]);
        assert_eq!(progress.len(), 12 + 2, "every step that started was reported, the failing one too");
        assert!(iam.deps(&bob).is_none() && iam.deps(&ana).is_some());
    }

    #[test]
    fn devices_no_one_holds_but_named_for_the_user_are_deleted_after_its_own() {
        let p = Target::from(Principal::user("ana"));
        let (held, left) = ("arn:aws:iam::111111111111:mfa/ana", "arn:aws:iam::111111111111:mfa/team/ana");
        let deps = Dependencies {
            mfa_devices: vec![held.into()],
            unassigned_mfa_devices: vec![left.into()],
            memberships: vec!["developers".into()],
            ..Dependencies::default()
        };
        assert_eq!(
            plan(&p, &deps),
            [
                Step::DeactivateMfaDevice { serial: held.into() },
                Step::DeleteVirtualMfaDevice { serial: held.into() },
                Step::DeleteVirtualMfaDevice { serial: left.into() },
                Step::RemoveFromGroup { group: "developers".into(), user: "ana".into() },
                Step::Delete,
            ],
            "nothing to deactivate: only deleted"
        );
    }

    /// The device is deactivated, then the deletion stops: ListMFADevices no longer shows
    /// it, and before this the second run finished without it, leaving its seed behind.
    #[tokio::test]
    async fn a_deletion_interrupted_between_deactivating_and_deleting_a_device_leaves_no_device() {
        let p = Principal::user("ana");
        let t = Target::from(p.clone());
        let serial = "arn:aws:iam::111111111111:mfa/ana".to_string();
        let iam = FakeIam::with(&p, Dependencies { mfa_devices: vec![serial.clone()], ..Dependencies::default() });
        *iam.fail_once.lock().unwrap() = Some(Step::DeleteVirtualMfaDevice { serial: serial.clone() });

        let first = delete(&iam, &t, |_, _| {}).await.unwrap();
        assert_eq!(first.done, [Step::DeactivateMfaDevice { serial: serial.clone() }]);
        assert_eq!(iam.unassigned.lock().unwrap().clone(), std::slice::from_ref(&serial), "a device no one holds");
        assert!(iam.deps(&p).unwrap().mfa_devices.is_empty(), "and ListMFADevices no longer lists it");

        let second = delete(&iam, &t, |_, _| {}).await.unwrap();
        assert!(second.is_complete(), "{second:?}");
        assert_eq!(second.done, [Step::DeleteVirtualMfaDevice { serial }, Step::Delete]);
        assert!(iam.unassigned.lock().unwrap().is_empty(), "no device is left holding a seed");
    }

    #[tokio::test]
    async fn an_abandoned_enrolment_goes_with_the_user_and_joanas_device_stays() {
        let p = Principal::user("ana");
        let t = Target::from(p.clone());
        let devices = [
            "arn:aws:iam::111111111111:mfa/ana",
            "arn:aws:iam::111111111111:mfa/joana",
            "arn:aws:iam::111111111111:mfa/ops/ana",
        ];
        let deps =
            Dependencies { unassigned_mfa_devices: devices.map(String::from).to_vec(), ..Dependencies::default() };
        let iam = FakeIam::with(&p, deps);
        let planned = plan_all(&iam, vec![t.clone()]).await.unwrap();
        let texts: Vec<&str> = planned[0].steps.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Delete virtual MFA device arn:aws:iam::111111111111:mfa/ana",
                "Delete virtual MFA device arn:aws:iam::111111111111:mfa/ops/ana",
                "Delete user ana",
            ]
        );
        let outcome = delete(&iam, &t, |_, _| {}).await.unwrap();
        assert!(outcome.is_complete(), "{outcome:?}");
        assert_eq!(iam.unassigned.lock().unwrap().clone(), ["arn:aws:iam::111111111111:mfa/joana"]);
    }

    #[tokio::test]
    async fn a_step_already_done_elsewhere_counts_as_done() {
        let p = Principal::user("ana");
        let t = Target::from(p.clone());
        let deps = Dependencies { access_keys: vec!["AKIA1".into()], ..Default::default() };
        let iam = FakeIam::with(&p, deps.clone());
        let steps = plan(&t, &deps);
        // Someone deletes the key in the console between planning and executing.
        iam.principals.lock().unwrap().get_mut(&p).unwrap().access_keys.clear();
        let outcome = execute(&iam, &t, steps, |_, _| {}).await;
        assert!(outcome.is_complete(), "{outcome:?}");
    }

    const DEPLOY: &str = "arn:aws:iam::123456789012:policy/team/deploy";

    #[test]
    fn a_policy_is_detached_everywhere_then_its_versions_go_then_the_policy() {
        let deps = Dependencies {
            attached_to: vec![Principal::user("ana"), Principal::group("dev"), Principal::role("ci")],
            versions: vec!["v1".into(), "v3".into()],
            ..Dependencies::default()
        };
        let policy = Target::policy(DEPLOY);
        let got = plan(&policy, &deps);
        assert_eq!(
            got,
            [
                Step::DetachFrom { principal: Principal::user("ana") },
                Step::DetachFrom { principal: Principal::group("dev") },
                Step::DetachFrom { principal: Principal::role("ci") },
                Step::DeletePolicyVersion { id: "v1".into() },
                Step::DeletePolicyVersion { id: "v3".into() },
                Step::Delete,
            ]
        );
        let texts: Vec<String> = got.iter().map(|s| s.describe(&policy)).collect();
        assert_eq!(
            texts,
            [
                "Detach from user ana",
                "Detach from group dev",
                "Detach from role ci",
                "Delete version v1",
                "Delete version v3",
                "Delete policy deploy",
            ]
        );
        assert_eq!(plan(&policy, &Dependencies::default()), [Step::Delete]);
    }

    /// A fake account: ana in developers with a key and `DEPLOY` attached, which has an
    /// older version; the role ci has it attached too.
    fn account_with_a_policy() -> FakeIam {
        let ana = Dependencies {
            access_keys: vec!["AKIA1".into()],
            memberships: vec!["developers".into()],
            attached_policies: vec![DEPLOY.into()],
            ..Dependencies::default()
        };
        let iam = FakeIam::with(&Principal::user("ana"), ana);
        let ci = Dependencies { attached_policies: vec![DEPLOY.into()], ..Dependencies::default() };
        iam.principals.lock().unwrap().insert(Principal::role("ci"), ci);
        iam.policies.lock().unwrap().insert(DEPLOY.into(), vec!["v1".into()]);
        iam
    }

    #[tokio::test]
    async fn a_policy_still_attached_or_with_versions_cannot_go_and_its_plan_clears_both() {
        let iam = account_with_a_policy();
        let policy = Target::policy(DEPLOY);
        let outcome = execute(&iam, &policy, vec![Step::Delete], |_, _| {}).await;
        assert_eq!(outcome.failed.unwrap().1.code(), crate::error::ErrorCode::DeleteConflict);

        let outcome = delete(&iam, &policy, |_, _| {}).await.unwrap();
        assert!(outcome.is_complete(), "{outcome:?}");
        assert_eq!(outcome.done.len(), 4, "detach from ana and ci, delete v1, delete the policy");
        assert!(iam.policies.lock().unwrap().is_empty());
        let ci = iam.deps(&Principal::role("ci")).unwrap();
        assert!(ci.attached_policies.is_empty(), "the role keeps nothing of it");
        assert!(delete(&iam, &policy, |_, _| {}).await.unwrap().done.is_empty(), "deleting it again is a no-op");
    }

    #[tokio::test]
    async fn one_run_deletes_a_user_and_a_policy_and_says_what_each_changed() {
        use crate::vocab::{Change, How};
        let iam = account_with_a_policy();
        let ana = Target::from(Principal::user("ana"));
        let results = delete_all(&iam, vec![ana, Target::policy(DEPLOY)], |_| {}).await;
        assert!(results.iter().all(|r| r.failed.is_none()), "{results:?}");
        let change = |entity, how| Change { entity, how };
        assert_eq!(
            results[0].changed.0,
            [
                change(Entity::AccessKey { user: "ana".into(), id: "AKIA1".into() }, How::Deleted),
                change(Entity::group("developers"), How::Updated),
                change(Entity::user("ana"), How::Updated),
                change(Entity::policy(DEPLOY), How::Updated),
                change(Entity::user("ana"), How::Deleted),
            ],
            "the group ana left and the policy detached from her changed too"
        );
        assert_eq!(
            results[1].changed.0,
            [
                change(Entity::role("ci"), How::Updated),
                change(Entity::policy(DEPLOY), How::Updated),
                change(Entity::policy(DEPLOY), How::Deleted),
            ],
            "ana is gone already: only the role was detached"
        );
    }

    #[tokio::test]
    async fn a_failed_step_changed_nothing_and_what_was_not_read_changed_nothing() {
        let iam = account_with_a_policy();
        *iam.fail_once.lock().unwrap() = Some(Step::DeleteAccessKey { id: "AKIA1".into() });
        let ana = Target::from(Principal::user("ana"));
        let aws_managed = Target::policy("arn:aws:iam::aws:policy/ReadOnlyAccess");
        let results = delete_all(&iam, vec![ana, aws_managed], |_| {}).await;
        assert!(results[0].failed.is_some() && results[0].changed.is_empty(), "{:?}", results[0]);
        assert_eq!(results[1].failed.as_deref(), Some("Reading what to delete"));
        assert!(results[1].error.as_ref().unwrap().message.contains("managed by AWS"));
        assert!(results[1].changed.is_empty());
    }
}
