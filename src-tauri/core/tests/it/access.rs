//! Who can do what, against moto (with AWS's managed policies loaded): effective
//! permissions checked against boto3's own reads of the same policies, the simulator, and
//! "who can" over the sandbox's seed.

use gatehouse_core::access::{self, Snapshots, StatementAt};
use gatehouse_core::policy::evaluate::Decision;
use gatehouse_core::vocab::{Principal, PrincipalKind};
use serde_json::{json, Value};

use crate::common::Account;

const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/// ana: in `readers` (ReadOnlyAccess, and an inline Allow of ec2:StartInstances under MFA),
/// with her own inline Deny of s3:DeleteBucket and a customer policy attached directly.
const SETUP: &str = r#"
iam.create_user(UserName='ana', Tags=[{'Key': 'team', 'Value': 'platform'}])
iam.create_group(GroupName='readers')
iam.attach_group_policy(GroupName='readers', PolicyArn='arn:aws:iam::aws:policy/ReadOnlyAccess')
iam.put_group_policy(GroupName='readers', PolicyName='start-with-mfa', PolicyDocument=json.dumps({
    'Version': '2012-10-17', 'Statement': [{'Sid': 'StartWithMfa', 'Effect': 'Allow', 'Action': 'ec2:StartInstances',
    'Resource': '*', 'Condition': {'Bool': {'aws:MultiFactorAuthPresent': 'true'}}}]}))
iam.add_user_to_group(GroupName='readers', UserName='ana')
iam.put_user_policy(UserName='ana', PolicyName='no-bucket-deletes', PolicyDocument=json.dumps({
    'Version': '2012-10-17', 'Statement': [{'Sid': 'NoBucketDeletes', 'Effect': 'Deny', 'Action': 's3:DeleteBucket',
    'Resource': '*'}]}))
arn = iam.create_policy(PolicyName='deploy-logs', PolicyDocument=json.dumps({
    'Version': '2012-10-17', 'Statement': [{'Sid': 'DeployLogs', 'Effect': 'Allow', 'Action': ['logs:GetLogEvents',
    'logs:FilterLogEvents'], 'Resource': 'arn:aws:logs:*:*:log-group:deploy-*'}]}))['Policy']['Arn']
iam.attach_user_policy(UserName='ana', PolicyArn=arn)
print('{}')
"#;

/// What boto3 reads of ana's policies, one by one, each as (name, arn, group, inline, document).
const BOTO3_POLICIES: &str = r#"
out = []
def managed(arn, group):
    p = iam.get_policy(PolicyArn=arn)['Policy']
    v = iam.get_policy_version(PolicyArn=arn, VersionId=p['DefaultVersionId'])['PolicyVersion']
    out.append({'name': p['PolicyName'], 'arn': arn, 'group': group, 'inline': False, 'document': v['Document']})
for n in iam.list_user_policies(UserName='ana')['PolicyNames']:
    d = iam.get_user_policy(UserName='ana', PolicyName=n)['PolicyDocument']
    out.append({'name': n, 'arn': None, 'group': None, 'inline': True, 'document': d})
for p in iam.list_attached_user_policies(UserName='ana')['AttachedPolicies']:
    managed(p['PolicyArn'], None)
for g in iam.list_groups_for_user(UserName='ana')['Groups']:
    g = g['GroupName']
    for n in iam.list_group_policies(GroupName=g)['PolicyNames']:
        d = iam.get_group_policy(GroupName=g, PolicyName=n)['PolicyDocument']
        out.append({'name': n, 'arn': None, 'group': g, 'inline': True, 'document': d})
    for p in iam.list_attached_group_policies(GroupName=g)['AttachedPolicies']:
        managed(p['PolicyArn'], g)
print(json.dumps(out))
"#;

/// ana's authorization details from boto3's reads (as `BOTO3_POLICIES` prints them).
fn details_from(policies: &Value) -> access::Details {
    let mut ana = access::Entity { name: "ana".into(), ..access::Entity::default() };
    let mut groups: Vec<access::Entity> = Vec::new();
    let mut managed = Vec::new();
    for p in policies.as_array().unwrap() {
        let document = p["document"].to_string();
        let owner = match p["group"].as_str() {
            None => &mut ana,
            Some(g) => {
                if !groups.iter().any(|x| x.name == g) {
                    ana.groups.push(g.into());
                    groups.push(access::Entity { name: g.into(), ..access::Entity::default() });
                }
                groups.iter_mut().find(|x| x.name == g).unwrap()
            }
        };
        match p["arn"].as_str() {
            None => owner.inline.push((p["name"].as_str().unwrap().into(), document)),
            Some(arn) => {
                owner.managed.push(arn.into());
                managed.push(access::ManagedDocument { arn: arn.into(), name: String::new(), document });
            }
        }
    }
    access::Details { account: "710000000060".into(), users: vec![ana], groups, roles: vec![], policies: managed }
}

fn as_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The statement's text in the document the UI shows (the test documents are ASCII, so
/// UTF-16 offsets are byte offsets).
fn statement_text<'a>(policies: &'a [access::AppliedPolicy], at: &StatementAt) -> &'a str {
    let p = policies.iter().find(|p| p.id == at.policy).unwrap_or_else(|| panic!("no policy {}", at.policy));
    &p.document[at.from as usize..at.to as usize]
}

#[tokio::test]
async fn effective_permissions_and_the_simulator_from_one_snapshot() {
    let a = Account::new("710000000060").await;
    let conn = a.conn();
    a.moto.boto3(SETUP);
    let snapshots = Snapshots::default();
    let snapshot = snapshots.load("t", &conn).await.unwrap();
    assert!(snapshot.info.warnings.is_empty(), "{:?}", snapshot.info.warnings);
    assert_eq!((snapshot.info.users, snapshot.info.groups, snapshot.info.roles), (1, 1, 0));
    assert!(snapshot.info.policies > 1_582, "AWS's managed policies and ours: {}", snapshot.info.policies);
    println!("snapshot: {} policies in {} call(s)", snapshot.info.policies, snapshot.info.calls);

    // The same policies as boto3 reads them one call at a time, in the UI's grouping.
    let ana = Principal::user("ana");
    let effective = access::effective_permissions(&snapshot, &ana).unwrap();
    let ours: Vec<Value> = effective
        .policies
        .iter()
        .map(|p| {
            json!({"name": p.name, "arn": p.arn, "group": p.via_group, "inline": p.inline,
                   "document": as_json(&p.document)})
        })
        .collect();
    let theirs = a.moto.boto3(BOTO3_POLICIES);
    assert_eq!(Value::Array(ours), theirs);
    // And the per-service summary computed from boto3's documents, put back together as
    // authorization details by this test, is the same.
    let rebuilt = access::Snapshot::build(details_from(&theirs), String::new(), 0);
    let again = access::effective_permissions(&rebuilt, &ana).unwrap();
    assert_eq!(again.services, effective.services);
    assert_eq!(again.admin_equivalent, effective.admin_equivalent);
    assert!(effective.boundary.is_none() && !effective.admin_equivalent);
    let service = |prefix: &str| effective.services.iter().find(|s| s.prefix == prefix).unwrap();
    let s3 = service("s3");
    assert_eq!(s3.denied, 1, "s3:DeleteBucket");
    assert!(s3.allowed > 0 && !s3.full_access && s3.resources == ["*"]);
    assert!(s3.levels.iter().any(|l| l.level == "Write" && l.allowed == 0), "ReadOnlyAccess writes nothing in S3");
    let logs = service("logs");
    assert!(logs.resources.contains(&"arn:aws:logs:*:*:log-group:deploy-*".to_string()), "{:?}", logs.resources);
    assert!(service("ec2").conditional, "StartInstances under MFA");

    // The simulator.
    let ask = |actions: &[&str], resource: &str, context: Vec<access::ContextEntry>| access::SimulationRequest {
        principal: ana.clone(),
        actions: actions.iter().map(|a| (*a).to_string()).collect(),
        resource: resource.into(),
        context,
    };
    let sim =
        access::simulate(&snapshot, &ask(&["s3:DeleteBucket", "s3:GetObject"], "arn:aws:s3:::reports/q3.csv", vec![]))
            .unwrap();
    assert!(sim.out_of_scope.contains("resource-based policies") && sim.out_of_scope.contains("session policies"));
    let delete = &sim.results[0];
    assert_eq!(delete.decision, Decision::ExplicitDeny, "{delete:?}");
    assert_eq!(delete.deciding.len(), 1, "{delete:?}");
    let deny = &delete.deciding[0];
    assert_eq!((deny.policy.as_str(), deny.policy_name.as_str()), ("inline:no-bucket-deletes", "no-bucket-deletes"));
    assert_eq!((deny.sid.as_deref(), deny.index, deny.via_group.as_deref()), (Some("NoBucketDeletes"), 0, None));
    assert!(statement_text(&sim.policies, deny).contains("\"NoBucketDeletes\""));

    let get = &sim.results[1];
    assert_eq!(get.decision, Decision::Allowed, "{get:?}");
    let allow = &get.deciding[0];
    assert_eq!(allow.policy, format!("group:readers:managed:{READ_ONLY}"));
    assert_eq!((allow.policy_name.as_str(), allow.via_group.as_deref()), ("ReadOnlyAccess", Some("readers")));
    assert!(statement_text(&sim.policies, allow).contains("s3:Get"));

    // Implicitly denied without MFA, with the statement that came closest; allowed with it.
    let sim = access::simulate(&snapshot, &ask(&["ec2:StartInstances"], "", vec![])).unwrap();
    let start = &sim.results[0];
    assert_eq!(start.decision, Decision::ImplicitDeny, "{start:?}");
    let closest = start.closest.as_ref().expect("the closest statement");
    assert_eq!(closest.sid.as_deref(), Some("StartWithMfa"));
    assert!(start.reason.as_deref().is_some_and(|r| r.contains("MultiFactorAuthPresent")), "{:?}", start.reason);
    let mfa = vec![access::ContextEntry { key: "aws:MultiFactorAuthPresent".into(), values: vec!["true".into()] }];
    let sim = access::simulate(&snapshot, &ask(&["ec2:StartInstances"], "", mfa)).unwrap();
    assert_eq!(sim.results[0].decision, Decision::Allowed, "{:?}", sim.results[0]);

    // A second question uses the kept snapshot.
    let kept = snapshots.get("t", &conn).await.unwrap();
    assert!(std::sync::Arc::ptr_eq(&kept, &snapshot), "kept, not read again");
}

#[tokio::test]
async fn who_can_create_access_keys_in_the_sandbox_seed() {
    let a = Account::new("710000000061").await;
    let conn = a.conn();
    a.moto.seed("acme");
    let started = std::time::Instant::now();
    let snapshot = Snapshots::default().load("t", &conn).await.unwrap();
    println!(
        "snapshot of the acme seed: {} policies, {} call(s), {} ms",
        snapshot.info.policies,
        snapshot.info.calls,
        started.elapsed().as_millis()
    );
    assert!(snapshot.info.warnings.is_empty(), "{:?}", snapshot.info.warnings);

    let answer = access::who_can(&snapshot, &["iam:CreateAccessKey".to_string(), "*".to_string()], None).unwrap();
    println!("who can: {} principals in {} ms", answer[0].evaluated, answer[0].millis);
    let names = |i: usize| -> Vec<(PrincipalKind, String, String)> {
        answer[i].grants.iter().map(|g| (g.principal.kind, g.principal.name.clone(), g.path.clone())).collect()
    };
    // The administrators group's members, and the two roles with AdministratorAccess
    // attached directly (OrganizationAccountAccessRole, break-glass): the seed's other
    // policies (PowerUserAccess's NotAction iam:*, SystemAdministrator, DataScientist,
    // ReadOnlyAccess) do not allow iam:CreateAccessKey.
    let group = "group administrators, managed policy AdministratorAccess";
    let role = "managed policy AdministratorAccess";
    let expected: Vec<(PrincipalKind, String, String)> = [
        (PrincipalKind::User, "alice.nguyen", group),
        (PrincipalKind::User, "maya.cohen", group),
        (PrincipalKind::User, "terraform", group),
        (PrincipalKind::User, "victor.hugo", group),
        (PrincipalKind::Role, "OrganizationAccountAccessRole", role),
        (PrincipalKind::Role, "break-glass", role),
    ]
    .into_iter()
    .map(|(k, n, p)| (k, n.to_string(), p.to_string()))
    .collect();
    assert_eq!(answer[0].evaluated, 36 + 5);
    assert_eq!(names(1), expected, "admin-equivalent");
    assert_eq!(names(0), expected, "iam:CreateAccessKey");
    let members = a
        .moto
        .boto3("print(json.dumps(sorted(u['UserName'] for u in iam.get_group(GroupName='administrators')['Users'])))");
    assert_eq!(members, json!(["alice.nguyen", "maya.cohen", "terraform", "victor.hugo"]));
}
