//! Hand-built snapshots, no moto: the per-service summary, the order and ids of a
//! principal's policies, "who can"'s paths and the context the snapshot fills in.

use super::effective::summarise;
use super::*;
use crate::policy::evaluate::{Policy, OUT_OF_SCOPE};
use crate::vocab::{PrincipalKind, Tag};

/// One statement, as JSON: `extra` is spliced in (`"Condition": {…}`, …).
fn st(effect: &str, action: &str, actions: &[&str], resources: &[&str], extra: &str) -> String {
    let list = |v: &[&str]| v.iter().map(|x| format!("\"{x}\"")).collect::<Vec<_>>().join(",");
    let extra = if extra.is_empty() { String::new() } else { format!(",{extra}") };
    format!(r#"{{"Effect":"{effect}","{action}":[{}],"Resource":[{}]{extra}}}"#, list(actions), list(resources))
}

fn allow(actions: &[&str], resources: &[&str]) -> String {
    st("Allow", "Action", actions, resources, "")
}

fn deny(actions: &[&str], resources: &[&str]) -> String {
    st("Deny", "Action", actions, resources, "")
}

fn policy(statements: &[String]) -> Policy {
    let text = format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, statements.join(","));
    Policy::parse(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn service<'a>(services: &'a [ServiceAccess], prefix: &str) -> &'a ServiceAccess {
    services.iter().find(|s| s.prefix == prefix).unwrap_or_else(|| panic!("no {prefix} in the summary"))
}

fn level(s: &ServiceAccess, name: &str) -> (u32, u32) {
    s.levels.iter().find(|l| l.level == name).map(|l| (l.allowed, l.total)).unwrap_or_default()
}

#[test]
fn a_wildcard_counts_the_actions_it_expands_to_and_their_levels() {
    let cat = crate::policy::catalogue::catalogue();
    let s3 = cat.service("s3").unwrap();
    let gets = cat.expand("s3:Get*").len() as u32;
    let p = policy(&[allow(&["s3:Get*", "s3:ListBucket"], &["arn:aws:s3:::logs/*", "arn:aws:logs:*:*:*"])]);
    let sum = summarise(&[&p], None);
    let s = service(&sum.services, "s3");
    assert_eq!(s.allowed, gets + 1);
    assert_eq!(s.total as usize, cat.service_actions(s3).len());
    assert_eq!(s.resources, vec!["arn:aws:s3:::logs/*"], "another service's ARN is not an S3 resource");
    assert_eq!(level(s, "List").0, 1);
    assert_eq!(level(s, "Read").0 + level(s, "Tagging").0 + level(s, "Permissions management").0, gets);
    assert_eq!(level(s, "Write").0, 0);
    assert!(!s.full_access && !s.conditional && s.denied == 0);
    assert!(!sum.admin_equivalent);
    assert_eq!(sum.services.len(), 1, "no other service is touched: {:?}", sum.services);
}

#[test]
fn full_access_denials_and_admin_equivalence_stand_out() {
    let admin = policy(&[allow(&["*"], &["*"])]);
    let sum = summarise(&[&admin], None);
    assert!(sum.admin_equivalent);
    assert!(sum.services.iter().all(|s| s.full_access && s.allowed == s.total && s.resources == ["*"]));

    // A Deny elsewhere leaves the administrator an administrator (they can lift it), but
    // the service is no longer fully theirs.
    let no_delete = policy(&[deny(&["s3:DeleteBucket"], &["*"])]);
    let sum = summarise(&[&admin, &no_delete], None);
    assert!(sum.admin_equivalent);
    let s3 = service(&sum.services, "s3");
    assert_eq!((s3.denied, s3.allowed, s3.full_access), (1, s3.total - 1, false));
    assert!(service(&sum.services, "ec2").full_access);

    // Denying IAM's permissions management does take it away.
    let no_iam = policy(&[deny(&["iam:Put*"], &["*"])]);
    assert!(!summarise(&[&admin, &no_iam], None).admin_equivalent);

    // `s3:*` on every bucket is full access to S3, not admin.
    let s3_all = policy(&[allow(&["s3:*"], &["*"])]);
    let sum = summarise(&[&s3_all], None);
    assert!(service(&sum.services, "s3").full_access && !sum.admin_equivalent);
}

#[test]
fn not_action_conditions_and_the_boundary_shape_the_summary() {
    // PowerUserAccess's shape: everything but IAM.
    let power = policy(&[st("Allow", "NotAction", &["iam:*"], &["*"], "")]);
    let sum = summarise(&[&power], None);
    assert!(!sum.services.iter().any(|s| s.prefix == "iam"), "NotAction iam:* leaves IAM out");
    assert!(service(&sum.services, "ec2").full_access);
    assert!(!sum.admin_equivalent);

    let mfa = r#""Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#;
    let sum = summarise(&[&policy(&[st("Allow", "Action", &["ec2:StartInstances"], &["*"], mfa)])], None);
    let ec2 = service(&sum.services, "ec2");
    assert!(ec2.conditional && ec2.allowed == 1 && !ec2.full_access);

    // A boundary allowing only S3: the admin's policy grants nothing else.
    let admin = policy(&[allow(&["*"], &["*"])]);
    let boundary = policy(&[allow(&["s3:*"], &["*"])]);
    let sum = summarise(&[&admin], Some(&boundary));
    assert_eq!(sum.services.iter().map(|s| s.prefix.as_str()).collect::<Vec<_>>(), ["s3"]);
    assert!(!sum.admin_equivalent);
}

/// A document of one Allow of `action` on `*`, its Sid `sid`; URL-encoded, as IAM sends it.
fn doc(sid: &str, action: &str) -> String {
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"{sid}","Effect":"Allow","Action":"{action}","Resource":"*"}}]}}"#
    );
    percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

const ACCOUNT: &str = "123456789012";

fn details() -> Details {
    let arn = |name: &str| format!("arn:aws:iam::{ACCOUNT}:policy/{name}");
    Details {
        account: ACCOUNT.into(),
        users: vec![
            Entity {
                name: "ana".into(),
                arn: format!("arn:aws:iam::{ACCOUNT}:user/ana"),
                id: "AIDAANA".into(),
                tags: vec![Tag { key: "team".into(), value: "platform".into() }],
                inline: vec![("own".into(), doc("own0", "s3:GetObject"))],
                managed: vec![arn("deploy"), "arn:aws:iam::aws:policy/NotInTheDetails".into()],
                groups: vec!["admins".into()],
                boundary: None,
                trust: None,
            },
            Entity { name: "bo".into(), id: "AIDABO".into(), groups: vec!["admins".into()], ..Entity::default() },
        ],
        groups: vec![Entity {
            name: "admins".into(),
            inline: vec![("break-glass".into(), doc("breakglass0", "*"))],
            managed: vec![arn("deploy")],
            ..Entity::default()
        }],
        roles: vec![Entity {
            name: "ci".into(),
            arn: format!("arn:aws:iam::{ACCOUNT}:role/ci"),
            id: "AROACI".into(),
            managed: vec![arn("deploy")],
            boundary: Some(arn("deploy")),
            ..Entity::default()
        }],
        policies: vec![ManagedDocument { arn: arn("deploy"), name: String::new(), document: doc("deploy0", "*") }],
    }
}

fn snapshot() -> Snapshot {
    Snapshot::build(details(), "2026-11-24T08:00:00Z".into(), 1)
}

#[test]
fn a_users_policies_come_inline_managed_then_each_groups_with_stable_ids() {
    let s = snapshot();
    assert_eq!((s.info.users, s.info.groups, s.info.roles, s.info.policies), (2, 1, 1, 1));
    assert!(
        s.info.warnings.iter().any(|w| w.contains("NotInTheDetails")),
        "a missing managed policy is said: {:?}",
        s.info.warnings
    );
    let e = effective_permissions(&s, &Principal::user("ana")).unwrap();
    let ids: Vec<&str> = e.policies.iter().map(|p| p.id.as_str()).collect();
    let deploy = format!("arn:aws:iam::{ACCOUNT}:policy/deploy");
    assert_eq!(
        ids,
        [
            "inline:own".to_string(),
            format!("managed:{deploy}"),
            "group:admins:inline:break-glass".into(),
            format!("group:admins:managed:{deploy}"),
        ]
    );
    assert_eq!(e.policies[1].name, "deploy", "a name missing from the details comes from the ARN");
    assert_eq!(e.policies[3].via_group.as_deref(), Some("admins"));
    assert!(e.policies[0].inline && !e.policies[1].inline);
    assert!(e.policies[0].document.starts_with("{\n  \""), "decoded and pretty-printed");
    assert!(e.admin_equivalent && e.boundary.is_none());

    let ci = effective_permissions(&s, &Principal::role("ci")).unwrap();
    assert!(ci.boundary.as_ref().is_some_and(|b| b.boundary && b.id == format!("boundary:{deploy}")));
    assert!(effective_permissions(&s, &Principal::group("admins")).is_err());
    assert!(effective_permissions(&s, &Principal::user("nobody")).is_err());
}

#[test]
fn who_is_admin_equivalent_and_by_which_path() {
    let s = snapshot();
    let answer = who_can(&s, &["*".to_string()], None).unwrap();
    assert_eq!(answer.len(), 1);
    let grants: Vec<(PrincipalKind, &str, &str)> =
        answer[0].grants.iter().map(|g| (g.principal.kind, g.principal.name.as_str(), g.path.as_str())).collect();
    assert_eq!(
        grants,
        [
            (PrincipalKind::User, "ana", "managed policy deploy"),
            (PrincipalKind::User, "bo", "group admins, inline policy break-glass"),
            (PrincipalKind::Role, "ci", "managed policy deploy"),
        ]
    );
    let ana = &answer[0].grants[0];
    assert_eq!(
        ana.paths,
        ["managed policy deploy", "group admins, inline policy break-glass", "group admins, managed policy deploy"]
    );
    assert_eq!(ana.deciding.sid.as_deref(), Some("deploy0"));
    assert_eq!(ana.deciding.policy, format!("managed:arn:aws:iam::{ACCOUNT}:policy/deploy"));
    assert_eq!(answer[0].evaluated, 3);
    // The range points into the document the UI shows (ASCII here: UTF-16 = bytes).
    let e = effective_permissions(&s, &Principal::user("ana")).unwrap();
    let shown = e.policies.iter().find(|p| p.id == ana.deciding.policy).unwrap();
    let text = &shown.document[ana.deciding.from as usize..ana.deciding.to as usize];
    assert!(text.starts_with('{') && text.ends_with('}') && text.contains("\"deploy0\""), "{text}");
}

#[test]
fn the_context_says_what_the_snapshot_knows_of_the_principal() {
    let s = snapshot();
    let ana = s.member(&Principal::user("ana")).unwrap();
    let c = s.context(ana);
    let get = |k: &str| c.get(k).map(<[String]>::to_vec).unwrap_or_default();
    assert_eq!(get("aws:username"), ["ana"]);
    assert_eq!(get("aws:userid"), ["AIDAANA"]);
    assert_eq!(get("aws:PrincipalArn"), [format!("arn:aws:iam::{ACCOUNT}:user/ana")]);
    assert_eq!(get("aws:PrincipalAccount"), [ACCOUNT]);
    assert_eq!(get("aws:PrincipalType"), ["User"]);
    assert_eq!(get("aws:principaltag/team"), ["platform"]);
    let ci = s.context(s.member(&Principal::role("ci")).unwrap());
    assert!(ci.get("aws:username").is_none(), "a role has no user name");
    assert_eq!(ci.get("aws:PrincipalType").unwrap(), ["AssumedRole"]);
}

#[test]
fn the_presets_ask_about_every_escalation_action_the_audit_flags() {
    let presets = presets();
    let asked: Vec<&str> = presets.iter().flat_map(|p| &p.actions).map(String::as_str).collect();
    for (action, _) in crate::policy::admin::ESCALATION_ACTIONS {
        assert!(asked.contains(action), "{action}");
    }
    // A role that may only lift a permissions boundary is found by "change policies".
    let mut d = details();
    d.roles.push(Entity {
        name: "lifter".into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:role/lifter"),
        id: "AROALIFTER".into(),
        inline: vec![("lift".into(), doc("lift0", "iam:DeleteRolePermissionsBoundary"))],
        ..Entity::default()
    });
    let s = Snapshot::build(d, "2026-11-24T08:00:00Z".into(), 1);
    let change = presets.iter().find(|p| p.id == "change-policies").unwrap();
    let answer = who_can(&s, &change.actions, None).unwrap();
    let found: Vec<&str> = answer
        .iter()
        .filter(|a| a.grants.iter().any(|g| g.principal == Principal::role("lifter")))
        .map(|a| a.action.as_str())
        .collect();
    assert_eq!(found, ["iam:DeleteRolePermissionsBoundary"]);
}

#[test]
fn a_deny_of_iam_permissions_management_takes_admin_away_in_both_answers() {
    let mut d = details();
    d.users[1].inline = vec![(
        "no-policy-changes".into(),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:Put*","Resource":"*"}]}"#.into(),
    )];
    let s = Snapshot::build(d, "2026-11-24T08:00:00Z".into(), 1);
    let admins: Vec<String> =
        who_can(&s, &["*".to_string()], None).unwrap()[0].grants.iter().map(|g| g.principal.name.clone()).collect();
    assert_eq!(admins, ["ana", "ci"]);
    assert!(!effective_permissions(&s, &Principal::user("bo")).unwrap().admin_equivalent);
    assert!(effective_permissions(&s, &Principal::user("ana")).unwrap().admin_equivalent);
}

/// Issue 20: an answer about KMS says that the key's own policy must let IAM policies
/// apply (AWS's rule), next to the out-of-scope sentence; other answers do not.
#[test]
fn a_kms_answer_names_the_key_policy_rule() {
    let s = Snapshot::build(details(), "2026-11-24T08:00:00Z".into(), 1);
    let ask = |actions: &[&str]| {
        let request = SimulationRequest {
            principal: Principal::user("ana"),
            actions: actions.iter().map(|a| a.to_string()).collect(),
            resource: "*".into(),
            context: vec![],
        };
        simulate(&s, &request).unwrap().out_of_scope
    };
    for kms in [&["kms:*"][..], &["kms:Decrypt"], &["s3:GetObject", "KMS:Encrypt"], &["*"], &["k*:Get*"]] {
        let said = ask(kms);
        assert!(said.starts_with(OUT_OF_SCOPE), "{said}");
        assert!(said.contains("KMS key's own key policy to let IAM policies apply"), "{kms:?}: {said}");
    }
    assert!(!ask(&["s3:GetObject", "iam:ListUsers"]).contains("KMS"));
}

#[test]
fn the_simulator_fills_the_context_from_the_snapshot_and_the_request_overrides_it() {
    let mut d = details();
    d.users[0].inline = vec![(
        "home".into(),
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"Home","Effect":"Allow","Action":"s3:GetObject",
            "Resource":"arn:aws:s3:::home/${aws:username}/*",
            "Condition":{"StringEquals":{"aws:PrincipalTag/team":"platform"}}}]}"#
            .into(),
    )];
    d.users[0].groups.clear();
    d.users[0].managed.clear();
    let s = Snapshot::build(d, "2026-11-24T08:00:00Z".into(), 1);
    let ask = |resource: &str, context: Vec<ContextEntry>| {
        let request = SimulationRequest {
            principal: Principal::user("ana"),
            actions: vec!["s3:GetObject".into()],
            resource: resource.into(),
            context,
        };
        simulate(&s, &request).unwrap().results.remove(0)
    };
    let own = ask("arn:aws:s3:::home/ana/notes.txt", vec![]);
    assert_eq!(own.decision, Decision::Allowed, "{own:?}");
    assert_eq!(own.deciding[0].sid.as_deref(), Some("Home"));
    assert_eq!(ask("arn:aws:s3:::home/bo/notes.txt", vec![]).decision, Decision::ImplicitDeny);
    let data = vec![ContextEntry { key: "aws:PrincipalTag/team".into(), values: vec!["data".into()] }];
    let other_team = ask("arn:aws:s3:::home/ana/notes.txt", data);
    assert_eq!(other_team.decision, Decision::ImplicitDeny);
    assert_eq!(other_team.closest.as_ref().and_then(|c| c.sid.as_deref()), Some("Home"));
    assert!(other_team.reason.as_deref().is_some_and(|r| r.contains("PrincipalTag")), "{:?}", other_team.reason);
}

#[test]
fn a_document_that_does_not_parse_grants_nothing_and_is_said() {
    let mut d = details();
    d.users[1].groups.clear();
    d.users[1].inline = vec![("broken".into(), r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}"#.into())];
    let s = Snapshot::build(d, "2026-11-24T08:00:00Z".into(), 1);
    assert!(s.info.warnings.iter().any(|w| w.starts_with("broken could not be read")), "{:?}", s.info.warnings);
    let e = effective_permissions(&s, &Principal::user("bo")).unwrap();
    assert_eq!(e.policies.len(), 1, "still listed, with its text");
    assert!(e.services.is_empty() && !e.admin_equivalent);
}

#[test]
fn a_kept_snapshot_answers_only_for_its_own_account() {
    let snapshots = Snapshots::default();
    snapshots.by_profile.lock().unwrap().insert("prod".into(), Arc::new(snapshot()));
    assert!(snapshots.kept("prod", ACCOUNT).is_some());
    // The profile now reaches another account: the old snapshot is not its answer.
    assert!(snapshots.kept("prod", "999999999999").is_none());
    assert!(snapshots.kept("staging", ACCOUNT).is_none());
}
