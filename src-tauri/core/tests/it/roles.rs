//! Roles, trust policies, instance profiles and permissions boundaries against moto; every
//! change read back with boto3.

use gatehouse_core::deletion::{self, Step, Target};
use gatehouse_core::error::ErrorCode;
use gatehouse_core::iam::roles::{self, InlinePolicy, NewRole};
use gatehouse_core::iam::trust::{self, TrustSpec};
use gatehouse_core::iam::{instance_profiles, principals};
use gatehouse_core::vocab::{Principal, Tag};
use serde_json::{json, Value};

use crate::common::Account;

const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const BOUNDARY: &str = "arn:aws:iam::aws:policy/PowerUserAccess";

fn ec2() -> String {
    trust::build(&TrustSpec::Service { principals: vec!["ec2.amazonaws.com".into()] })
}

fn logs_policy() -> String {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]})
        .to_string()
}

fn new_role(name: &str) -> NewRole {
    NewRole {
        name: name.into(),
        path: "/".into(),
        description: String::new(),
        trust_policy: ec2(),
        max_session_duration: None,
        policies: vec![],
        inline_policies: vec![],
        permissions_boundary: None,
        tags: vec![],
    }
}

#[tokio::test]
async fn creating_listing_and_changing_roles() {
    let a = Account::new("710000000030").await;
    let conn = a.conn();
    let made = a.moto.boto3(
        r#"
oidc = iam.create_open_id_connect_provider(Url='https://token.actions.githubusercontent.com',
    ClientIDList=['sts.amazonaws.com'], ThumbprintList=['a' * 40])['OpenIDConnectProviderArn']
saml = iam.create_saml_provider(Name='okta', SAMLMetadataDocument='x' * 1000)['SAMLProviderArn']
linked = iam.create_service_linked_role(AWSServiceName='elasticbeanstalk.amazonaws.com')['Role']['RoleName']
print(json.dumps({'oidc': oidc, 'saml': saml, 'linked': linked}))
"#,
    );

    let providers = roles::list_identity_providers(&conn).await.unwrap();
    assert_eq!(providers.oidc.len(), 1);
    assert_eq!(providers.oidc[0].arn, made["oidc"].as_str().unwrap());
    assert_eq!(providers.oidc[0].url, "token.actions.githubusercontent.com");
    assert_eq!(providers.oidc[0].audiences, ["sts.amazonaws.com"]);
    assert_eq!(providers.saml.len(), 1);
    assert_eq!(
        (providers.saml[0].name.as_str(), providers.saml[0].arn.as_str()),
        ("okta", made["saml"].as_str().unwrap())
    );

    // A role for EC2, its trust policy built by Gatehouse.
    let row = roles::create_role(&conn, &new_role("web")).await.unwrap();
    assert_eq!(row.trusted, ["EC2"]);
    assert_eq!(row.max_session_duration, 3600);
    let seen = a.moto.boto3("print(json.dumps(iam.get_role(RoleName='web')['Role']['AssumeRolePolicyDocument']))");
    assert_eq!(seen["Statement"][0]["Principal"], json!({"Service": "ec2.amazonaws.com"}));
    assert_eq!(seen["Statement"][0]["Action"], "sts:AssumeRole");

    // Everything at once.
    let full = NewRole {
        name: "deployer".into(),
        path: "/ci/".into(),
        description: "Deploys from CI".into(),
        trust_policy: trust::build(&TrustSpec::Account {
            account_id: "111122223333".into(),
            external_id: Some("ext-1".into()),
            require_mfa: true,
        }),
        max_session_duration: Some(7200),
        policies: vec![READ_ONLY.into()],
        inline_policies: vec![InlinePolicy { name: "logs".into(), document: logs_policy() }],
        permissions_boundary: Some(BOUNDARY.into()),
        tags: vec![Tag { key: "team".into(), value: "platform".into() }],
    };
    let row = roles::create_role(&conn, &full).await.unwrap();
    assert_eq!(row.trusted, ["account 111122223333 with MFA and with external ID"]);
    let seen = a.moto.boto3(
        r#"
r = iam.get_role(RoleName='deployer')['Role']
print(json.dumps({
  'path': r['Path'], 'description': r.get('Description'), 'max': r['MaxSessionDuration'],
  'boundary': r.get('PermissionsBoundary', {}).get('PermissionsBoundaryArn'),
  'tags': [t['Key'] + '=' + t['Value'] for t in iam.list_role_tags(RoleName='deployer')['Tags']],
  'attached': [p['PolicyArn'] for p in iam.list_attached_role_policies(RoleName='deployer')['AttachedPolicies']],
  'inline': iam.list_role_policies(RoleName='deployer')['PolicyNames'],
  'condition': r['AssumeRolePolicyDocument']['Statement'][0]['Condition'],
}))"#,
    );
    assert_eq!(
        seen,
        json!({"path": "/ci/", "description": "Deploys from CI", "max": 7200, "boundary": BOUNDARY,
               "tags": ["team=platform"], "attached": [READ_ONLY], "inline": ["logs"],
               "condition": {"StringEquals": {"sts:ExternalId": "ext-1"}, "Bool": {"aws:MultiFactorAuthPresent": "true"}}})
    );

    // Rules broken before AWS is asked.
    let short = NewRole { max_session_duration: Some(900), ..new_role("short") };
    assert_eq!(roles::create_role(&conn, &short).await.unwrap_err().code(), ErrorCode::InvalidInput);
    let bad = NewRole { trust_policy: "{".into(), ..new_role("bad") };
    assert_eq!(roles::create_role(&conn, &bad).await.unwrap_err().code(), ErrorCode::MalformedPolicyDocument);
    // A step that fails after the role exists keeps AWS's code and says what was done.
    let half = NewRole { policies: vec!["arn:aws:iam::aws:policy/NoSuchPolicyHere".into()], ..new_role("half") };
    let err = roles::create_role(&conn, &half).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoSuchEntity, "{err}");
    assert!(err.to_string().contains("created role half"), "{err}");

    roles::update_role(&conn, "web", "Web servers", 10800).await.unwrap();
    let github = TrustSpec::WebIdentity {
        provider_arn: made["oidc"].as_str().unwrap().into(),
        audience: Some("sts.amazonaws.com".into()),
        subject: Some("repo:acme/web:*".into()),
    };
    roles::update_trust_policy(&conn, "web", &trust::build(&github)).await.unwrap();
    let seen = a.moto.boto3(
        "r = iam.get_role(RoleName='web')['Role']\n\
         print(json.dumps({'d': r.get('Description'), 'max': r['MaxSessionDuration'], 'trust': r['AssumeRolePolicyDocument']}))",
    );
    assert_eq!((seen["d"].as_str(), seen["max"].as_i64()), (Some("Web servers"), Some(10800)));
    assert_eq!(seen["trust"]["Statement"][0]["Action"], "sts:AssumeRoleWithWebIdentity");
    assert_eq!(
        seen["trust"]["Statement"][0]["Condition"]["StringLike"],
        json!({"token.actions.githubusercontent.com:sub": "repo:acme/web:*"})
    );
    let err = roles::update_role(&conn, "web", "", 60).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);

    // A service-linked role's trust belongs to its service.
    let linked = made["linked"].as_str().unwrap();
    let err = roles::update_trust_policy(&conn, linked, &ec2()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("service-linked"), "{err}");

    let list = roles::list_roles(&conn).await.unwrap();
    let by_name = |n: &str| list.iter().find(|r| r.name == n).unwrap_or_else(|| panic!("{n} listed"));
    let web = by_name("web");
    assert_eq!(web.trusted, ["GitHub OIDC"]);
    assert_eq!((web.description.as_str(), web.max_session_duration), ("Web servers", 10800));
    // moto never records a role's use: RoleLastUsed is empty, so nothing to show. AWS
    // fills it in once the role is assumed.
    assert_eq!(web.last_used, None);
    let deployer = by_name("deployer");
    assert_eq!(deployer.attached_policies, [READ_ONLY]);
    assert_eq!(deployer.inline_policies, ["logs"]);
    assert_eq!(deployer.permissions_boundary.as_deref(), Some(BOUNDARY));
    assert_eq!(deployer.tags, [Tag { key: "team".into(), value: "platform".into() }]);
    assert_eq!((deployer.path.as_str(), deployer.max_session_duration), ("/ci/", 7200));
    assert!(!deployer.service_linked);
    let linked_row = by_name(linked);
    assert!(linked_row.service_linked);
    assert_eq!(linked_row.trusted, ["elasticbeanstalk.amazonaws.com"]);

    let detail = roles::get_role(&conn, "deployer").await.unwrap();
    assert_eq!(&detail.row, deployer, "the list and the detail agree");
    assert!(detail.trust_policy.contains("\n  \"Statement\""), "decoded and pretty: {}", detail.trust_policy);
    assert_eq!(roles::get_role(&conn, "nobody").await.unwrap_err().code(), ErrorCode::NoSuchEntity);
}

fn boto3_profiles(a: &Account) -> Value {
    a.moto.boto3(
        "print(json.dumps({p['InstanceProfileName']: [r['RoleName'] for r in p['Roles']] \
         for p in iam.list_instance_profiles()['InstanceProfiles']}))",
    )
}

#[tokio::test]
async fn instance_profiles_and_deleting_a_role_with_everything() {
    let a = Account::new("710000000031").await;
    let conn = a.conn();
    let role = NewRole {
        policies: vec![READ_ONLY.into()],
        inline_policies: vec![InlinePolicy { name: "logs".into(), document: logs_policy() }],
        permissions_boundary: Some(BOUNDARY.into()),
        ..new_role("app")
    };
    roles::create_role(&conn, &role).await.unwrap();
    roles::create_role(&conn, &new_role("spare")).await.unwrap();

    let row = instance_profiles::create(&conn, "app-profile", "/", Some("app")).await.unwrap();
    assert_eq!((row.name.as_str(), row.roles.as_slice()), ("app-profile", ["app".to_string()].as_slice()));
    instance_profiles::create(&conn, "empty", "/", None).await.unwrap();
    instance_profiles::create(&conn, "spare-profile", "/", Some("spare")).await.unwrap();
    assert_eq!(boto3_profiles(&a), json!({"app-profile": ["app"], "empty": [], "spare-profile": ["spare"]}));

    instance_profiles::remove_role(&conn, "spare-profile", "spare").await.unwrap();
    instance_profiles::add_role(&conn, "empty", "spare").await.unwrap();
    assert_eq!(boto3_profiles(&a), json!({"app-profile": ["app"], "empty": ["spare"], "spare-profile": []}));
    // Deleting one that holds a role removes the role first.
    instance_profiles::delete(&conn, "empty").await.unwrap();
    instance_profiles::delete(&conn, "empty").await.unwrap();
    let listed: Vec<String> =
        instance_profiles::list_instance_profiles(&conn).await.unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(listed, ["app-profile", "spare-profile"]);
    assert_eq!(boto3_profiles(&a), json!({"app-profile": ["app"], "spare-profile": []}));
    let spare = a.moto.boto3("print(json.dumps(iam.get_role(RoleName='spare')['Role']['RoleName']))");
    assert_eq!(spare, "spare", "the role outlives its instance profile");

    // The role with an instance profile, a managed and an inline policy and a boundary.
    let p = Target::from(Principal::role("app"));
    let plans = deletion::plan_all(&*conn, vec![p.clone()]).await.unwrap();
    let steps: Vec<Step> = plans[0].steps.iter().map(|s| s.step.clone()).collect();
    assert_eq!(
        steps,
        [
            Step::RemoveFromInstanceProfile { instance_profile: "app-profile".into() },
            Step::DetachPolicy { arn: READ_ONLY.into() },
            Step::DeleteInlinePolicy { name: "logs".into() },
            Step::DeletePermissionsBoundary,
            Step::Delete,
        ]
    );
    let results = deletion::delete_all(&*conn, vec![p.clone()], |_| {}).await;
    assert!(results[0].failed.is_none() && results[0].remaining.is_empty(), "{:?}", results[0]);
    assert_eq!(results[0].done.len(), 5);
    let after = a.moto.boto3(
        r#"
try:
    iam.get_role(RoleName='app'); role = True
except iam.exceptions.NoSuchEntityException:
    role = False
print(json.dumps({'role': role,
  'profile': [r['RoleName'] for r in iam.get_instance_profile(InstanceProfileName='app-profile')['InstanceProfile']['Roles']],
  'entities': len(iam.list_entities_for_policy(PolicyArn='arn:aws:iam::aws:policy/ReadOnlyAccess')['PolicyRoles'])}))
"#,
    );
    assert_eq!(after, json!({"role": false, "profile": [], "entities": 0}), "nothing dangles");
    assert!(deletion::plan_all(&*conn, vec![p]).await.unwrap()[0].gone);
}

#[tokio::test]
async fn permissions_boundaries() {
    let a = Account::new("710000000032").await;
    let conn = a.conn();
    roles::create_role(&conn, &new_role("bounded")).await.unwrap();
    let role = Principal::role("bounded");
    let boundary = || {
        a.moto.boto3(
            "print(json.dumps(iam.get_role(RoleName='bounded')['Role'].get('PermissionsBoundary', {}).get('PermissionsBoundaryArn')))",
        )
    };
    principals::set_permissions_boundary(&conn, &role, BOUNDARY).await.unwrap();
    assert_eq!(boundary(), BOUNDARY);
    principals::remove_permissions_boundary(&conn, &role).await.unwrap();
    assert_eq!(boundary(), Value::Null);

    let group = Principal::group("dev");
    let err = principals::set_permissions_boundary(&conn, &group, BOUNDARY).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("groups cannot have a permissions boundary"), "{err}");
    let err = principals::set_permissions_boundary(&conn, &role, "not-an-arn").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);

    // moto lacks PutUserPermissionsBoundary and DeleteUserPermissionsBoundary (HTTP 500
    // without an AWS code): the call fails with a sentence instead of panicking or hanging.
    // On AWS both work like the role's; only this error path can be tested here.
    a.moto.boto3("iam.create_user(UserName='ana'); print('{}')");
    let user = Principal::user("ana");
    let err = principals::set_permissions_boundary(&conn, &user, BOUNDARY).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::AwsService, "{err}");
    let err = principals::remove_permissions_boundary(&conn, &user).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::AwsService, "{err}");
}
