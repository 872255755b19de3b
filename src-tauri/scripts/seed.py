#!/usr/bin/env python3
"""Seeds a moto IAM endpoint with a realistic organisation, as boto3 users would build it.

Used by the local sandbox and by the tests. Prints a JSON account of what it created.

    seed.py --endpoint http://127.0.0.1:5000 --org acme
"""
import argparse
import json
import sys

import boto3

MANAGED = "arn:aws:iam::aws:policy/"

# Groups and the AWS-managed policy each one carries.
GROUPS = {
    "administrators": "AdministratorAccess",
    "developers": "PowerUserAccess",
    "devops": "job-function/SystemAdministrator",
    "analysts": "job-function/DataScientist",
    "readonly": "ReadOnlyAccess",
}

# org -> list of (user name, path, groups, tags)
ORGS = {
    "acme": [
        ("alice.nguyen", "/engineering/", ["administrators"], {"team": "platform", "cost-center": "1001"}),
        ("bob.martin", "/engineering/", ["developers"], {"team": "payments"}),
        ("carla.rossi", "/engineering/", ["developers"], {"team": "payments"}),
        ("dev.patel", "/engineering/", ["developers", "readonly"], {"team": "search"}),
        ("eve.kowalski", "/engineering/", ["developers"], {"team": "search"}),
        ("farid.haddad", "/engineering/", ["developers"], {"team": "mobile"}),
        ("grace.obi", "/engineering/", ["developers"], {"team": "mobile"}),
        ("hiro.tanaka", "/engineering/", ["developers"], {"team": "identity"}),
        ("ines.garcia", "/engineering/", ["developers"], {"team": "identity"}),
        ("jonas.berg", "/ops/", ["devops"], {"team": "sre", "oncall": "yes"}),
        ("kate.murphy", "/ops/", ["devops"], {"team": "sre"}),
        ("liam.walsh", "/ops/", ["devops", "readonly"], {"team": "network"}),
        ("maya.cohen", "/ops/", ["administrators", "devops"], {"team": "sre", "oncall": "yes"}),
        ("nina.petrova", "/data/", ["analysts"], {"team": "bi"}),
        ("omar.farouk", "/data/", ["analysts"], {"team": "bi"}),
        ("priya.shah", "/data/", ["analysts"], {"team": "ml"}),
        ("quentin.roux", "/data/", ["analysts"], {"team": "ml"}),
        ("rosa.lima", "/data/", ["analysts", "readonly"], {"team": "ml"}),
        ("sam.okafor", "/finance/", ["readonly"], {"team": "finops"}),
        ("tara.singh", "/finance/", ["readonly"], {"team": "finops"}),
        ("uma.reddy", "/security/", ["readonly"], {"team": "secops"}),
        ("victor.hugo", "/security/", ["administrators"], {"team": "secops"}),
        ("wendy.zhang", "/engineering/", ["developers"], {"team": "platform"}),
        ("xavier.dupont", "/engineering/", [], {"team": "platform", "status": "offboarding"}),
        ("yara.haddad", "/support/", ["readonly"], {"team": "support"}),
        ("zoe.clark", "/support/", ["readonly"], {"team": "support"}),
        ("adam.lewis", "/contractors/", ["developers"], {"vendor": "northwind", "expires": "2027-03-31"}),
        ("bella.costa", "/contractors/", ["analysts"], {"vendor": "northwind", "expires": "2027-01-15"}),
        ("ci-deploy", "/service/", ["devops"], {"purpose": "github-actions"}),
        ("backup-agent", "/service/", [], {"purpose": "nightly backups"}),
        ("terraform", "/service/", ["administrators"], {"purpose": "infrastructure as code"}),
        ("grafana-reader", "/service/", ["readonly"], {"purpose": "dashboards"}),
        ("legacy-ftp", "/", [], {}),
        ("chris.evans", "/", ["developers"], {}),
        ("dana.white", "/", ["readonly"], {}),
        ("erik.larsen", "/ops/", ["devops"], {"team": "network"}),
    ],
    "globex": [
        ("staging-admin", "/", ["administrators"], {"env": "staging"}),
        ("qa.helen", "/qa/", ["developers"], {"team": "qa"}),
        ("qa.ivan", "/qa/", ["developers"], {"team": "qa"}),
        ("qa.judy", "/qa/", ["readonly"], {"team": "qa"}),
        ("load-tester", "/service/", ["devops"], {"purpose": "k6 load tests"}),
        ("release-bot", "/service/", ["devops"], {"purpose": "release pipeline"}),
        ("intern.kim", "/interns/", ["readonly"], {"expires": "2026-12-20"}),
        ("data-sync", "/service/", ["analysts"], {"purpose": "nightly sync from prod"}),
    ],
}

ROLES = {
    "acme": [
        ("OrganizationAccountAccessRole", {"AWS": "arn:aws:iam::999999999999:root"}, "AdministratorAccess"),
        ("ec2-app-server", {"Service": "ec2.amazonaws.com"}, "ReadOnlyAccess"),
        ("lambda-payments", {"Service": "lambda.amazonaws.com"}, None),
        ("github-actions-deploy", {"Federated": "arn:aws:iam::{account}:oidc-provider/token.actions.githubusercontent.com"}, "PowerUserAccess"),
        ("break-glass", {"AWS": "arn:aws:iam::{account}:root"}, "AdministratorAccess"),
    ],
    "globex": [
        ("OrganizationAccountAccessRole", {"AWS": "arn:aws:iam::999999999999:root"}, "AdministratorAccess"),
        ("ecs-task-runner", {"Service": "ecs-tasks.amazonaws.com"}, None),
    ],
}

# A customer managed policy that went through several revisions.
S3_POLICY_VERSIONS = [
    ["s3:ListBucket"],
    ["s3:ListBucket", "s3:GetObject"],
    ["s3:ListBucket", "s3:GetObject", "s3:PutObject"],
    ["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
]


def policy(actions, resource="*"):
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}],
    })


def seed(iam, org):
    account = boto3.client(
        "sts", endpoint_url=iam.meta.endpoint_url, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    ).get_caller_identity()["Account"]
    for group, managed in GROUPS.items():
        iam.create_group(GroupName=group, Path="/")
        iam.attach_group_policy(GroupName=group, PolicyArn=MANAGED + managed)

    users = []
    for name, path, groups, tags in ORGS[org]:
        iam.create_user(
            UserName=name, Path=path,
            Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
        )
        for g in groups:
            iam.add_user_to_group(GroupName=g, UserName=name)
        users.append({"name": name, "path": path, "groups": groups})

    # Credentials as real accounts have them: console access for people, keys for
    # services, MFA for most administrators. (Secrets created here are thrown away.)
    for name, path, groups, _tags in ORGS[org]:
        if path.startswith("/service/"):
            iam.create_access_key(UserName=name)
        elif path not in ("/contractors/",) and name != ORGS[org][0][0]:
            iam.create_login_profile(UserName=name, Password="Sandbox-Passw0rd!", PasswordResetRequired=False)
            if "administrators" in groups:
                serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]["SerialNumber"]
                iam.enable_mfa_device(UserName=name, SerialNumber=serial,
                                      AuthenticationCode1="123456", AuthenticationCode2="654321")

    bucket = f"{org}-artifacts"
    created = iam.create_policy(
        PolicyName=f"{org}-artifacts-s3", Path="/",
        Description=f"Access to the {bucket} bucket",
        PolicyDocument=policy(S3_POLICY_VERSIONS[0], f"arn:aws:s3:::{bucket}/*"),
    )["Policy"]
    for actions in S3_POLICY_VERSIONS[1:]:
        iam.create_policy_version(
            PolicyArn=created["Arn"], SetAsDefault=True,
            PolicyDocument=policy(actions, f"arn:aws:s3:::{bucket}/*"),
        )
    iam.attach_group_policy(GroupName="developers", PolicyArn=created["Arn"])

    # A user with a direct attachment and an inline policy, as real accounts have.
    first = ORGS[org][1][0]
    iam.attach_user_policy(UserName=first, PolicyArn=created["Arn"])
    iam.put_user_policy(
        UserName=first, PolicyName="read-build-logs",
        PolicyDocument=policy(["logs:GetLogEvents", "logs:FilterLogEvents"]),
    )

    roles = []
    for name, principal, managed in ROLES[org]:
        principal = {k: v.format(account=account) for k, v in principal.items()}
        trust = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]}
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
        if managed:
            iam.attach_role_policy(RoleName=name, PolicyArn=MANAGED + managed)
        roles.append(name)

    return {
        "account": account,
        "org": org,
        "users": users,
        "groups": list(GROUPS),
        "roles": roles,
        "policies": [created["Arn"]],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--org", choices=sorted(ORGS), default="acme")
    args = ap.parse_args()
    iam = boto3.client(
        "iam", endpoint_url=args.endpoint, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )
    json.dump(seed(iam, args.org), sys.stdout)


if __name__ == "__main__":
    main()
