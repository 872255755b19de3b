//! How long "who can do this?" takes over an account at IAM's quotas: a synthetic snapshot
//! built in memory (no moto, no AWS) of BENCH_USERS users (default 5,000), 500 roles and
//! 300 customer-managed policies, 40 groups, inline policies, boundaries and conditions.
//! Prints a Markdown table for docs/benchmarks.md.

use gatehouse_core::access::{self, Details, Entity, ManagedDocument, Snapshot};
use gatehouse_core::vocab::Tag;
use std::time::{Duration, Instant};

const ACCOUNT: &str = "123456789012";
const RUNS: usize = 7;

/// Actions the policies draw from: a mix of services, wildcards and IAM.
const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:List*",
    "ec2:Describe*",
    "ec2:StartInstances",
    "ec2:StopInstances",
    "logs:*",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "lambda:InvokeFunction",
    "sqs:SendMessage",
    "kms:Decrypt",
    "iam:Get*",
    "iam:List*",
    "iam:PassRole",
    "iam:CreateAccessKey",
    "iam:PutUserPolicy",
    "cloudwatch:PutMetricData",
    "sts:AssumeRole",
    "ssm:GetParameter*",
];

fn policy_document(i: usize) -> String {
    let pick = |k: usize| ACTIONS[(i * 7 + k * 3) % ACTIONS.len()];
    let actions: Vec<String> = (0..1 + i % 4).map(|k| format!("\"{}\"", pick(k))).collect();
    let resource = match i % 5 {
        0 => "\"*\"".to_string(),
        1 => format!("\"arn:aws:s3:::bucket-{i}/*\""),
        2 => "\"arn:aws:s3:::home/${aws:username}/*\"".to_string(),
        3 => format!("[\"arn:aws:dynamodb:*:{ACCOUNT}:table/t-{i}\", \"arn:aws:logs:*:*:*\"]"),
        _ => "\"*\"".to_string(),
    };
    let condition = match i % 6 {
        0 => r#","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#.to_string(),
        1 => r#","Condition":{"StringEquals":{"aws:PrincipalTag/team":"platform"}}"#.to_string(),
        2 => r#","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16"]}}"#.to_string(),
        _ => String::new(),
    };
    let deny = if i.is_multiple_of(10) {
        r#",{"Effect":"Deny","Action":["iam:DeleteUser","s3:DeleteBucket"],"Resource":"*"}"#
    } else if i % 10 == 5 {
        r#",{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}"#
    } else {
        ""
    };
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"S{i}","Effect":"Allow","Action":[{}],"Resource":{resource}{condition}}}{deny}]}}"#,
        actions.join(",")
    )
}

fn arn(i: usize) -> String {
    format!("arn:aws:iam::{ACCOUNT}:policy/team-{}/policy-{i:03}", i % 12)
}

fn details(users: usize, roles: usize, policies: usize) -> Details {
    let admin = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    let mut d = Details { account: ACCOUNT.into(), ..Details::default() };
    d.policies = (0..policies)
        .map(|i| ManagedDocument { arn: arn(i), name: String::new(), document: policy_document(i) })
        .collect();
    d.policies.push(ManagedDocument {
        arn: "arn:aws:iam::aws:policy/AdministratorAccess".into(),
        name: "AdministratorAccess".into(),
        document: admin.into(),
    });
    let groups = 40;
    d.groups = (0..groups)
        .map(|g| Entity {
            name: format!("team-{g:02}"),
            managed: if g == 0 {
                vec!["arn:aws:iam::aws:policy/AdministratorAccess".into()]
            } else {
                (0..3).map(|k| arn((g * 5 + k * 11) % policies)).collect()
            },
            inline: if g % 4 == 1 { vec![(format!("team-{g}-extra"), policy_document(g + 1000))] } else { vec![] },
            ..Entity::default()
        })
        .collect();
    d.users = (0..users)
        .map(|i| Entity {
            name: format!("user-{i:05}"),
            arn: format!("arn:aws:iam::{ACCOUNT}:user/user-{i:05}"),
            id: format!("AIDA{i:016}"),
            tags: vec![Tag {
                key: "team".into(),
                value: if i.is_multiple_of(3) { "platform".into() } else { "data".into() },
            }],
            inline: if i.is_multiple_of(10) { vec![("own".into(), policy_document(i + 2000))] } else { vec![] },
            managed: (0..i % 3).map(|k| arn((i * 13 + k) % policies)).collect(),
            // One user in a hundred is an administrator (team-00).
            groups: if i.is_multiple_of(100) {
                vec!["team-00".into()]
            } else {
                let first = 1 + i % (groups - 1);
                let mut g = vec![format!("team-{first:02}")];
                if i.is_multiple_of(3) {
                    g.push(format!("team-{:02}", 1 + (i * 7) % (groups - 1)));
                }
                g
            },
            boundary: (i % 50 == 7).then(|| arn(i % policies)),
            trust: None,
        })
        .collect();
    d.roles = (0..roles)
        .map(|i| Entity {
            name: format!("role-{i:04}"),
            arn: format!("arn:aws:iam::{ACCOUNT}:role/role-{i:04}"),
            id: format!("AROA{i:016}"),
            inline: if i.is_multiple_of(4) { vec![("inline".into(), policy_document(i + 3000))] } else { vec![] },
            managed: (0..1 + i % 3).map(|k| arn((i * 17 + k * 5) % policies)).collect(),
            boundary: (i % 10 == 3).then(|| arn((i + 1) % policies)),
            ..Entity::default()
        })
        .collect();
    d
}

fn median(mut times: Vec<Duration>) -> (Duration, Duration, Duration) {
    times.sort();
    (times[0], times[times.len() / 2], times[times.len() - 1])
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let users: usize = std::env::var("BENCH_USERS").ok().and_then(|v| v.parse().ok()).unwrap_or(5000);
    let (roles, policies) = (500, 300);
    let profile = if cfg!(debug_assertions) { "debug" } else { "release" };

    let mut builds = Vec::new();
    let mut snapshot = None;
    for _ in 0..3 {
        let d = details(users, roles, policies);
        let t = Instant::now();
        snapshot = Some(Snapshot::build(d, "2026-11-24T00:00:00Z".into(), 0));
        builds.push(t.elapsed());
    }
    let snapshot = snapshot.unwrap_or_else(|| unreachable!());
    assert!(snapshot.info.warnings.is_empty(), "{:?}", snapshot.info.warnings);

    let mut rows = vec![("building the snapshot (parse every document once)".to_string(), median(builds))];
    let questions: Vec<(String, Vec<String>, Option<&str>)> = vec![
        ("iam:CreateAccessKey".into(), vec!["iam:CreateAccessKey".into()], None),
        ("s3:GetObject on one object".into(), vec!["s3:GetObject".into()], Some("arn:aws:s3:::home/user-00042/a.txt")),
        ("admin-equivalent (`*`)".into(), vec!["*".into()], None),
    ]
    .into_iter()
    .chain(
        access::presets()
            .into_iter()
            .map(|p| (format!("preset \"{}\" ({} actions)", p.id, p.actions.len()), p.actions, None)),
    )
    .collect();
    let mut allowed = Vec::new();
    for (label, actions, resource) in &questions {
        let mut times = Vec::new();
        for _ in 0..RUNS {
            let t = Instant::now();
            let answer = access::who_can(&snapshot, actions, *resource).unwrap();
            times.push(t.elapsed());
            allowed = answer.iter().map(|a| a.grants.len()).collect();
        }
        rows.push((format!("who can: {label} → {allowed:?} allowed"), median(times)));
    }
    // user-00000 is an administrator (`*` on `*`, every action of the catalogue expanded);
    // user-00001 has a few narrower policies.
    for (name, label) in [("user-00000", "an administrator"), ("user-00001", "a user with a few policies")] {
        let who = gatehouse_core::vocab::Principal::user(name);
        let mut times = Vec::new();
        let mut services = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            services = access::effective_permissions(&snapshot, &who).unwrap().services.len();
            times.push(t.elapsed());
        }
        rows.push((format!("effective permissions of {label} ({services} services)"), median(times)));
    }

    println!(
        "\n{profile} build; {users} users, {roles} roles, {} managed policies, {} groups; min / median / max of {RUNS} runs (3 for the build)\n",
        snapshot.info.policies, snapshot.info.groups
    );
    println!("| measure | min / median / max |\n|---|---|");
    for (label, (lo, mid, hi)) in rows {
        println!("| {label} | {} / **{}** / {} |", ms(lo), ms(mid), ms(hi));
    }
}
