//! Deleting a user, group or role the way AWS requires: every dependency first, in AWS's
//! order, then the principal itself. One planner and one executor serve all three kinds.
//!
//! A plan is computed from what the principal has *now*, and every step treats "already
//! gone" as done, so running the deletion again after an interruption finishes the job.

mod aws;
pub mod policy;

use crate::error::{Error, IpcError, Result};
use crate::iam::principals::check_principal;
use crate::vocab::{Principal, PrincipalKind};
use serde::Serialize;

/// Everything that blocks a principal's deletion. Lists that do not apply to a kind stay
/// empty (a group has no access keys, a user no members).
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
    DeletePrincipal,
}

impl Step {
    /// What the confirmation screen and the progress line say.
    pub fn describe(&self, p: &Principal) -> String {
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
            Step::DeletePrincipal => format!("Delete {} {}", kind_word(p.kind), p.name),
        }
    }
}

fn kind_word(k: PrincipalKind) -> &'static str {
    match k {
        PrincipalKind::User => "user",
        PrincipalKind::Group => "group",
        PrincipalKind::Role => "role",
    }
}

/// The steps, in the order AWS requires: credentials, MFA (deactivate, then delete the
/// virtual device), memberships, managed policies, inline policies, boundary, principal.
pub fn plan(p: &Principal, deps: &Dependencies) -> Vec<Step> {
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
    for other in &deps.memberships {
        steps.push(match p.kind {
            PrincipalKind::Group => Step::RemoveFromGroup { group: p.name.clone(), user: other.clone() },
            _ => Step::RemoveFromGroup { group: other.clone(), user: p.name.clone() },
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
    steps.push(Step::DeletePrincipal);
    steps
}

/// Reads what blocks a deletion and carries out one step. The AWS implementation is in
/// `aws`; tests use a fake that enforces AWS's DeleteConflict rules.
#[allow(async_fn_in_trait)]
pub trait DeletionOps {
    /// `Ok(None)` when the principal does not exist (any more).
    async fn dependencies(&self, p: &Principal) -> Result<Option<Dependencies>>;
    /// Carries out `step`; NoSuchEntity (already done) is success.
    async fn apply(&self, p: &Principal, step: &Step) -> Result<()>;
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
    p: &Principal,
    steps: Vec<Step>,
    mut on_step: impl FnMut(usize, &Step),
) -> Outcome {
    let mut done = Vec::new();
    let mut rest = steps.into_iter();
    while let Some(step) = rest.next() {
        on_step(done.len(), &step);
        match ops.apply(p, &step).await {
            Ok(()) | Err(Error::NoSuchEntity(_)) => done.push(step),
            Err(e) => {
                return Outcome { done, failed: Some((step, e)), remaining: rest.collect() };
            }
        }
    }
    Outcome { done, failed: None, remaining: Vec::new() }
}

/// Plans from the principal's current state and executes. Running it again after an
/// interruption re-plans from what is left, so it always finishes the job.
pub async fn delete(ops: &impl DeletionOps, p: &Principal, on_step: impl FnMut(usize, &Step)) -> Result<Outcome> {
    check_principal(p)?;
    let Some(deps) = ops.dependencies(p).await? else {
        return Ok(Outcome { done: Vec::new(), failed: None, remaining: Vec::new() });
    };
    Ok(execute(ops, p, plan(p, &deps), on_step).await)
}

/// One step of a deletion plan, with the sentence the confirmation screen shows.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct PlannedStep {
    pub step: Step,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DeletionPlan {
    pub principal: Principal,
    pub steps: Vec<PlannedStep>,
    /// Dependencies that could not be listed; deletion may stop on DeleteConflict.
    pub warnings: Vec<String>,
    /// The principal no longer exists: nothing to do.
    pub gone: bool,
}

/// The step about to run, streamed to the UI while a deletion runs.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DeletionProgress {
    pub principal: Principal,
    pub text: String,
}

/// What happened to one principal: what was done, the step that failed and why (with
/// AWS's code), and what was not attempted.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DeletionResult {
    pub principal: Principal,
    pub done: Vec<String>,
    pub failed: Option<String>,
    pub error: Option<IpcError>,
    pub remaining: Vec<String>,
}

/// The plan for each principal, from what each has now.
pub async fn plan_all(ops: &impl DeletionOps, principals: Vec<Principal>) -> Result<Vec<DeletionPlan>> {
    let mut plans = Vec::new();
    principals.iter().try_for_each(check_principal)?;
    for p in principals {
        let deps = ops.dependencies(&p).await?;
        let steps = deps.as_ref().map(|d| plan(&p, d)).unwrap_or_default();
        plans.push(DeletionPlan {
            steps: steps.into_iter().map(|s| PlannedStep { text: s.describe(&p), step: s }).collect(),
            warnings: deps.as_ref().map(|d| d.warnings.clone()).unwrap_or_default(),
            gone: deps.is_none(),
            principal: p,
        });
    }
    Ok(plans)
}

/// Deletes each principal in turn, re-planning from its current state, and reports every
/// step as it starts. One failure does not stop the others.
pub async fn delete_all(
    ops: &impl DeletionOps,
    principals: Vec<Principal>,
    mut on_progress: impl FnMut(DeletionProgress),
) -> Vec<DeletionResult> {
    let mut results = Vec::new();
    for p in principals {
        let report = |_: usize, s: &Step| on_progress(DeletionProgress { principal: p.clone(), text: s.describe(&p) });
        let result = match delete(ops, &p, report).await {
            Ok(outcome) => DeletionResult {
                done: outcome.done.iter().map(|s| s.describe(&p)).collect(),
                failed: outcome.failed.as_ref().map(|(s, _)| s.describe(&p)),
                error: outcome.failed.as_ref().map(|(_, e)| IpcError::from(e)),
                remaining: outcome.remaining.iter().map(|s| s.describe(&p)).collect(),
                principal: p,
            },
            Err(e) => DeletionResult {
                done: vec![],
                failed: Some("Reading what to delete".into()),
                error: Some(IpcError::from(&e)),
                remaining: vec![],
                principal: p,
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
    /// finds them, by the name in their serial.
    #[derive(Default)]
    struct FakeIam {
        principals: Mutex<HashMap<Principal, Dependencies>>,
        unassigned: Mutex<Vec<String>>,
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
        async fn dependencies(&self, p: &Principal) -> Result<Option<Dependencies>> {
            Ok(self.deps(p))
        }

        async fn apply(&self, p: &Principal, step: &Step) -> Result<()> {
            self.calls.lock().unwrap().push(step.clone());
            if self.fail_once.lock().unwrap().as_ref() == Some(step) {
                *self.fail_once.lock().unwrap() = None;
                return Err(Error::Throttling("Rate exceeded".into()));
            }
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
                Step::DeletePrincipal => {
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
        let p = Principal::user("ana");
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
                Step::DeletePrincipal => "delete",
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
        let g = Principal::group("devops");
        let steps = plan(
            &g,
            &Dependencies { memberships: vec!["ana".into()], inline_policies: vec!["x".into()], ..Default::default() },
        );
        assert_eq!(
            steps,
            [
                Step::RemoveFromGroup { group: "devops".into(), user: "ana".into() },
                Step::DeleteInlinePolicy { name: "x".into() },
                Step::DeletePrincipal,
            ]
        );
        let r = Principal::role("app");
        let steps = plan(&r, &Dependencies { instance_profiles: vec!["app-ip".into()], ..Default::default() });
        assert_eq!(
            steps,
            [Step::RemoveFromInstanceProfile { instance_profile: "app-ip".into() }, Step::DeletePrincipal]
        );
        assert_eq!(plan(&r, &Dependencies::default()), [Step::DeletePrincipal]);
    }

    #[tokio::test]
    async fn deletes_a_user_with_every_kind_of_dependency() {
        let p = Principal::user("ana");
        let iam = FakeIam::with(&p, loaded_user());
        let mut seen = Vec::new();
        let outcome = delete(&iam, &p, |i, s| seen.push((i, s.clone()))).await.unwrap();
        assert!(outcome.is_complete(), "{outcome:?}");
        assert_eq!(outcome.done.len(), 15);
        assert_eq!(seen.len(), 15, "progress is reported for every step");
        assert!(iam.deps(&p).is_none(), "the user is gone");
    }

    #[tokio::test]
    async fn skipping_the_plan_hits_delete_conflict_as_on_aws() {
        let p = Principal::user("ana");
        let iam = FakeIam::with(&p, loaded_user());
        let outcome = execute(&iam, &p, vec![Step::DeletePrincipal], |_, _| {}).await;
        let (step, err) = outcome.failed.unwrap();
        assert_eq!(step, Step::DeletePrincipal);
        assert_eq!(err.code(), crate::error::ErrorCode::DeleteConflict);
        // And a virtual MFA device cannot be deleted before it is deactivated.
        let serial = "arn:aws:iam::111111111111:mfa/ana".to_string();
        let outcome = execute(&iam, &p, vec![Step::DeleteVirtualMfaDevice { serial }], |_, _| {}).await;
        assert_eq!(outcome.failed.unwrap().1.code(), crate::error::ErrorCode::DeleteConflict);
    }

    #[tokio::test]
    async fn an_interrupted_deletion_says_what_remains_and_a_second_run_finishes_it() {
        let p = Principal::user("ana");
        let iam = FakeIam::with(&p, loaded_user());
        *iam.fail_once.lock().unwrap() = Some(Step::RemoveFromGroup { group: "readonly".into(), user: "ana".into() });

        let first = delete(&iam, &p, |_, _| {}).await.unwrap();
        assert!(!first.is_complete());
        assert_eq!(first.done.len(), 10, "everything before the failing step was done");
        let (failed, err) = first.failed.as_ref().unwrap();
        assert_eq!(*failed, Step::RemoveFromGroup { group: "readonly".into(), user: "ana".into() });
        assert_eq!(err.code(), crate::error::ErrorCode::Throttling);
        assert_eq!(first.remaining.len(), 4, "detach, inline, boundary, delete remain");
        assert!(iam.deps(&p).is_some());

        iam.calls.lock().unwrap().clear();
        let second = delete(&iam, &p, |_, _| {}).await.unwrap();
        assert!(second.is_complete(), "{second:?}");
        assert_eq!(second.done.len(), 5, "only what was left is planned again");
        assert!(iam.deps(&p).is_none());

        let third = delete(&iam, &p, |_, _| {}).await.unwrap();
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

        let plans = plan_all(&iam, vec![ana.clone(), bob.clone(), gone.clone()]).await.unwrap();
        assert_eq!(plans.iter().map(|p| p.steps.len()).collect::<Vec<_>>(), [15, 2, 0]);
        assert_eq!(plans[1].steps[0].text, "Delete access key AKIAB");
        assert!(plans[2].gone && !plans[0].gone);

        let mut progress = Vec::new();
        let results = delete_all(&iam, vec![ana.clone(), bob.clone()], |p| progress.push(p.text)).await;
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
        let p = Principal::user("ana");
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
                Step::DeletePrincipal,
            ],
            "nothing to deactivate: only deleted"
        );
    }

    /// The device is deactivated, then the deletion stops: ListMFADevices no longer shows
    /// it, and before this the second run finished without it, leaving its seed behind.
    #[tokio::test]
    async fn a_deletion_interrupted_between_deactivating_and_deleting_a_device_leaves_no_device() {
        let p = Principal::user("ana");
        let serial = "arn:aws:iam::111111111111:mfa/ana".to_string();
        let iam = FakeIam::with(&p, Dependencies { mfa_devices: vec![serial.clone()], ..Dependencies::default() });
        *iam.fail_once.lock().unwrap() = Some(Step::DeleteVirtualMfaDevice { serial: serial.clone() });

        let first = delete(&iam, &p, |_, _| {}).await.unwrap();
        assert_eq!(first.done, [Step::DeactivateMfaDevice { serial: serial.clone() }]);
        assert_eq!(iam.unassigned.lock().unwrap().clone(), std::slice::from_ref(&serial), "a device no one holds");
        assert!(iam.deps(&p).unwrap().mfa_devices.is_empty(), "and ListMFADevices no longer lists it");

        let second = delete(&iam, &p, |_, _| {}).await.unwrap();
        assert!(second.is_complete(), "{second:?}");
        assert_eq!(second.done, [Step::DeleteVirtualMfaDevice { serial }, Step::DeletePrincipal]);
        assert!(iam.unassigned.lock().unwrap().is_empty(), "no device is left holding a seed");
    }

    #[tokio::test]
    async fn an_abandoned_enrolment_goes_with_the_user_and_joanas_device_stays() {
        let p = Principal::user("ana");
        let devices = [
            "arn:aws:iam::111111111111:mfa/ana",
            "arn:aws:iam::111111111111:mfa/joana",
            "arn:aws:iam::111111111111:mfa/ops/ana",
        ];
        let deps =
            Dependencies { unassigned_mfa_devices: devices.map(String::from).to_vec(), ..Dependencies::default() };
        let iam = FakeIam::with(&p, deps);
        let planned = plan_all(&iam, vec![p.clone()]).await.unwrap();
        let texts: Vec<&str> = planned[0].steps.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Delete virtual MFA device arn:aws:iam::111111111111:mfa/ana",
                "Delete virtual MFA device arn:aws:iam::111111111111:mfa/ops/ana",
                "Delete user ana",
            ]
        );
        let outcome = delete(&iam, &p, |_, _| {}).await.unwrap();
        assert!(outcome.is_complete(), "{outcome:?}");
        assert_eq!(iam.unassigned.lock().unwrap().clone(), ["arn:aws:iam::111111111111:mfa/joana"]);
    }

    #[tokio::test]
    async fn a_step_already_done_elsewhere_counts_as_done() {
        let p = Principal::user("ana");
        let deps = Dependencies { access_keys: vec!["AKIA1".into()], ..Default::default() };
        let iam = FakeIam::with(&p, deps.clone());
        let steps = plan(&p, &deps);
        // Someone deletes the key in the console between planning and executing.
        iam.principals.lock().unwrap().get_mut(&p).unwrap().access_keys.clear();
        let outcome = execute(&iam, &p, steps, |_, _| {}).await;
        assert!(outcome.is_complete(), "{outcome:?}");
    }
}
