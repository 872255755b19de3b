use super::*;
use std::time::{Duration, Instant};

/// Well-known actions, in AWS's spelling: the catalogue must know every one.
const WELL_KNOWN: &str = "
s3:GetObject s3:PutObject s3:DeleteObject s3:ListBucket s3:ListAllMyBuckets s3:CreateBucket s3:DeleteBucket
s3:GetBucketPolicy s3:PutBucketPolicy s3:DeleteBucketPolicy s3:GetBucketLocation s3:GetObjectVersion
s3:DeleteObjectVersion s3:ListBucketVersions s3:GetBucketAcl s3:PutBucketAcl s3:GetObjectAcl s3:PutObjectAcl
s3:GetObjectTagging s3:PutObjectTagging s3:GetBucketTagging s3:PutBucketTagging s3:AbortMultipartUpload
s3:ListMultipartUploadParts s3:ListBucketMultipartUploads s3:GetBucketVersioning s3:PutBucketVersioning
s3:GetEncryptionConfiguration s3:PutEncryptionConfiguration s3:GetLifecycleConfiguration
s3:PutLifecycleConfiguration s3:GetBucketPublicAccessBlock s3:PutBucketPublicAccessBlock s3:GetBucketCORS
s3:PutBucketCORS s3:GetBucketWebsite s3:PutBucketWebsite s3:RestoreObject s3:GetBucketLogging
s3:PutBucketLogging s3:GetBucketNotification s3:PutBucketNotification s3:ReplicateObject
s3:GetReplicationConfiguration s3:PutReplicationConfiguration
ec2:RunInstances ec2:StartInstances ec2:StopInstances ec2:TerminateInstances ec2:RebootInstances
ec2:DescribeInstances ec2:DescribeImages ec2:DescribeSecurityGroups ec2:CreateSecurityGroup
ec2:DeleteSecurityGroup ec2:AuthorizeSecurityGroupIngress ec2:AuthorizeSecurityGroupEgress
ec2:RevokeSecurityGroupIngress ec2:RevokeSecurityGroupEgress ec2:DescribeVpcs ec2:CreateVpc ec2:DeleteVpc
ec2:DescribeSubnets ec2:CreateSubnet ec2:DeleteSubnet ec2:CreateTags ec2:DeleteTags ec2:DescribeTags
ec2:CreateVolume ec2:DeleteVolume ec2:AttachVolume ec2:DetachVolume ec2:DescribeVolumes ec2:CreateSnapshot
ec2:DeleteSnapshot ec2:DescribeSnapshots ec2:CreateImage ec2:DeregisterImage ec2:DescribeKeyPairs
ec2:CreateKeyPair ec2:DeleteKeyPair ec2:ImportKeyPair ec2:AllocateAddress ec2:ReleaseAddress
ec2:AssociateAddress ec2:DisassociateAddress ec2:DescribeAddresses ec2:CreateNetworkInterface
ec2:DeleteNetworkInterface ec2:DescribeNetworkInterfaces ec2:DescribeRegions ec2:DescribeAvailabilityZones
ec2:CreateInternetGateway ec2:AttachInternetGateway ec2:CreateRouteTable ec2:CreateRoute ec2:DeleteRoute
ec2:DescribeRouteTables ec2:ModifyInstanceAttribute ec2:GetConsoleOutput ec2:CreateLaunchTemplate
ec2:DescribeLaunchTemplates
iam:CreateUser iam:DeleteUser iam:GetUser iam:ListUsers iam:UpdateUser iam:CreateGroup iam:DeleteGroup
iam:GetGroup iam:ListGroups iam:AddUserToGroup iam:RemoveUserFromGroup iam:ListGroupsForUser iam:CreateRole
iam:DeleteRole iam:GetRole iam:ListRoles iam:UpdateRole iam:UpdateAssumeRolePolicy iam:PassRole
iam:CreatePolicy iam:DeletePolicy iam:GetPolicy iam:ListPolicies iam:CreatePolicyVersion
iam:DeletePolicyVersion iam:GetPolicyVersion iam:ListPolicyVersions iam:SetDefaultPolicyVersion
iam:AttachUserPolicy iam:DetachUserPolicy iam:AttachGroupPolicy iam:DetachGroupPolicy iam:AttachRolePolicy
iam:DetachRolePolicy iam:PutUserPolicy iam:GetUserPolicy iam:DeleteUserPolicy iam:ListUserPolicies
iam:PutGroupPolicy iam:PutRolePolicy iam:GetRolePolicy iam:DeleteRolePolicy iam:ListRolePolicies
iam:ListAttachedUserPolicies iam:ListAttachedRolePolicies iam:ListAttachedGroupPolicies iam:CreateAccessKey
iam:DeleteAccessKey iam:UpdateAccessKey iam:ListAccessKeys iam:GetAccessKeyLastUsed iam:CreateLoginProfile
iam:DeleteLoginProfile iam:GetLoginProfile iam:UpdateLoginProfile iam:ChangePassword
iam:CreateVirtualMFADevice iam:DeleteVirtualMFADevice iam:EnableMFADevice iam:DeactivateMFADevice
iam:ListMFADevices iam:ListVirtualMFADevices iam:ResyncMFADevice iam:TagUser iam:UntagUser iam:TagRole
iam:UntagRole iam:TagPolicy iam:ListUserTags iam:ListRoleTags iam:GenerateCredentialReport
iam:GetCredentialReport iam:GetAccountAuthorizationDetails iam:GetAccountSummary iam:GetAccountPasswordPolicy
iam:UpdateAccountPasswordPolicy iam:CreateServiceLinkedRole iam:DeleteServiceLinkedRole
iam:CreateInstanceProfile iam:AddRoleToInstanceProfile iam:ListInstanceProfiles iam:SimulatePrincipalPolicy
iam:ListEntitiesForPolicy iam:CreateSAMLProvider iam:CreateOpenIDConnectProvider iam:UploadServerCertificate
iam:ListServerCertificates iam:UploadSSHPublicKey iam:ListSSHPublicKeys iam:PutUserPermissionsBoundary
iam:PutRolePermissionsBoundary iam:CreateAccountAlias iam:ListAccountAliases
sts:AssumeRole sts:AssumeRoleWithSAML sts:AssumeRoleWithWebIdentity sts:GetCallerIdentity sts:GetSessionToken
sts:GetFederationToken sts:TagSession sts:SetSourceIdentity sts:DecodeAuthorizationMessage
lambda:InvokeFunction lambda:CreateFunction lambda:DeleteFunction lambda:GetFunction lambda:ListFunctions
lambda:UpdateFunctionCode lambda:UpdateFunctionConfiguration lambda:AddPermission lambda:RemovePermission
lambda:PublishVersion lambda:CreateAlias lambda:CreateEventSourceMapping lambda:ListEventSourceMappings
lambda:GetPolicy lambda:TagResource
dynamodb:GetItem dynamodb:PutItem dynamodb:UpdateItem dynamodb:DeleteItem dynamodb:Query dynamodb:Scan
dynamodb:BatchGetItem dynamodb:BatchWriteItem dynamodb:CreateTable dynamodb:DeleteTable
dynamodb:DescribeTable dynamodb:ListTables dynamodb:UpdateTable dynamodb:DescribeStream dynamodb:GetRecords
dynamodb:GetShardIterator dynamodb:ListStreams dynamodb:ConditionCheckItem
sqs:SendMessage sqs:ReceiveMessage sqs:DeleteMessage sqs:GetQueueUrl sqs:GetQueueAttributes
sqs:SetQueueAttributes sqs:CreateQueue sqs:DeleteQueue sqs:ListQueues sqs:PurgeQueue
sqs:ChangeMessageVisibility
sns:Publish sns:Subscribe sns:Unsubscribe sns:CreateTopic sns:DeleteTopic sns:ListTopics
sns:GetTopicAttributes sns:SetTopicAttributes sns:ListSubscriptionsByTopic
kms:Encrypt kms:Decrypt kms:GenerateDataKey kms:GenerateDataKeyWithoutPlaintext kms:ReEncryptFrom
kms:ReEncryptTo kms:DescribeKey kms:CreateKey kms:CreateGrant kms:ListKeys kms:ListAliases
kms:ScheduleKeyDeletion kms:EnableKeyRotation kms:PutKeyPolicy kms:GetKeyPolicy kms:Sign kms:Verify
logs:CreateLogGroup logs:CreateLogStream logs:PutLogEvents logs:DescribeLogGroups logs:DescribeLogStreams
logs:GetLogEvents logs:FilterLogEvents logs:DeleteLogGroup logs:PutRetentionPolicy logs:StartQuery
logs:GetQueryResults
cloudwatch:PutMetricData cloudwatch:GetMetricData cloudwatch:GetMetricStatistics cloudwatch:ListMetrics
cloudwatch:PutMetricAlarm cloudwatch:DescribeAlarms cloudwatch:DeleteAlarms cloudwatch:PutDashboard
cloudformation:CreateStack cloudformation:UpdateStack cloudformation:DeleteStack
cloudformation:DescribeStacks cloudformation:ListStacks cloudformation:DescribeStackEvents
cloudformation:CreateChangeSet cloudformation:ExecuteChangeSet cloudformation:ValidateTemplate
cloudformation:GetTemplate
ecr:GetAuthorizationToken ecr:BatchGetImage ecr:GetDownloadUrlForLayer ecr:BatchCheckLayerAvailability
ecr:PutImage ecr:InitiateLayerUpload ecr:UploadLayerPart ecr:CompleteLayerUpload ecr:CreateRepository
ecr:DescribeRepositories ecr:DescribeImages
ecs:CreateCluster ecs:DescribeClusters ecs:RunTask ecs:StartTask ecs:StopTask ecs:DescribeTasks ecs:ListTasks
ecs:RegisterTaskDefinition ecs:CreateService ecs:UpdateService ecs:DescribeServices
eks:DescribeCluster eks:ListClusters eks:CreateCluster eks:DeleteCluster eks:CreateNodegroup
eks:AccessKubernetesApi
rds:CreateDBInstance rds:DeleteDBInstance rds:DescribeDBInstances rds:ModifyDBInstance rds:RebootDBInstance
rds:CreateDBSnapshot rds:DescribeDBClusters rds-db:connect
route53:ChangeResourceRecordSets route53:ListHostedZones route53:GetHostedZone route53:ListResourceRecordSets
route53:CreateHostedZone route53:GetChange
secretsmanager:GetSecretValue secretsmanager:CreateSecret secretsmanager:PutSecretValue
secretsmanager:DescribeSecret secretsmanager:ListSecrets secretsmanager:DeleteSecret
secretsmanager:RotateSecret
ssm:GetParameter ssm:GetParameters ssm:GetParametersByPath ssm:PutParameter ssm:DeleteParameter
ssm:DescribeParameters ssm:SendCommand ssm:StartSession
states:StartExecution states:DescribeExecution states:CreateStateMachine states:ListStateMachines
events:PutEvents events:PutRule events:PutTargets events:DescribeRule
kinesis:PutRecord kinesis:PutRecords kinesis:GetRecords kinesis:GetShardIterator kinesis:DescribeStream
firehose:PutRecord firehose:PutRecordBatch
glue:GetTable glue:GetDatabase glue:CreateTable glue:StartJobRun athena:StartQueryExecution
athena:GetQueryExecution athena:GetQueryResults
apigateway:GET apigateway:POST apigateway:PUT apigateway:DELETE apigateway:PATCH execute-api:Invoke
execute-api:ManageConnections
cloudtrail:LookupEvents cloudtrail:DescribeTrails cloudtrail:CreateTrail cloudtrail:StartLogging
cloudtrail:StopLogging
codebuild:StartBuild codebuild:BatchGetBuilds codepipeline:StartPipelineExecution codecommit:GitPull
codecommit:GitPush codedeploy:CreateDeployment
elasticloadbalancing:DescribeLoadBalancers elasticloadbalancing:RegisterTargets
elasticloadbalancing:DeregisterTargets autoscaling:DescribeAutoScalingGroups
autoscaling:UpdateAutoScalingGroup autoscaling:SetDesiredCapacity
organizations:DescribeOrganization organizations:ListAccounts acm:RequestCertificate acm:DescribeCertificate
cloudfront:CreateInvalidation cloudfront:GetDistribution
sagemaker:CreateTrainingJob sagemaker:InvokeEndpoint bedrock:InvokeModel elasticfilesystem:ClientMount
elasticfilesystem:ClientWrite xray:PutTraceSegments xray:PutTelemetryRecords
";

#[test]
fn knows_well_known_actions_in_aws_spelling() {
    let names: Vec<&str> = WELL_KNOWN.split_whitespace().collect();
    assert!(names.len() >= 400, "{}", names.len());
    for name in names {
        let info = action(&name.to_ascii_lowercase()).unwrap_or_else(|| panic!("{name} is not in the catalogue"));
        assert_eq!(info.name, name, "AWS's spelling");
        assert!(!info.description.is_empty(), "{name}");
    }
}

#[test]
fn rejects_near_misses() {
    for name in [
        "s3:GetObjet",
        "s3:GetObjects",
        "iam:CreateUsr",
        "iam:PassRoles",
        "ec2:RunInstance",
        "ec2:DescribeInstance",
        "lambda:InvokeFunctions",
        "sts:AssumeRoles",
        "dynamodb:GetItems",
        "sqs:SendMessages",
        "kms:Decript",
        "logs:PutLogEvent",
        "s3:Get",
        "s4:GetObject",
        "GetObject",
        "",
        ":",
    ] {
        assert_eq!(action(name), None, "{name}");
    }
}

#[test]
fn version_counts_and_access_levels() {
    let cat = catalogue();
    let (version, date) = version();
    assert!(version.starts_with("0.") && date.len() == 10, "{version} {date}");
    assert!(cat.services.len() > 400, "{}", cat.services.len());
    assert!(cat.actions.len() > 20_000, "{}", cat.actions.len());
    let level = |n: &str| action(n).unwrap().access_level;
    assert_eq!(level("s3:ListAllMyBuckets"), "List");
    assert_eq!(level("s3:GetObject"), "Read");
    assert_eq!(level("s3:PutObject"), "Write");
    assert_eq!(level("iam:AttachUserPolicy"), "Permissions management");
    assert_eq!(level("iam:TagUser"), "Tagging");
    let mut levels: Vec<Level> = cat.actions.iter().map(|a| a.level).collect();
    levels.sort();
    levels.dedup();
    assert_eq!(levels.len(), 5, "all five access levels occur");
    assert_eq!(cat.service("S3").map(|s| s.name.as_str()), Some("Amazon S3"));
    assert!(cat.service("s3").unwrap().resource_types.iter().any(|(n, arn)| n == "bucket" && arn.contains(":s3:::")));
}

#[test]
fn completes_services_then_actions() {
    let services = complete("s", 500);
    assert!(services.iter().any(|a| a.name == "s3:" && a.description == "Amazon S3"), "{services:?}");
    assert!(services.iter().all(|a| a.name.starts_with('s') && a.name.ends_with(':')));
    assert_eq!(complete("S3", 10).first().map(|a| a.name.as_str()), Some("s3:"));
    let gets = complete("s3:Get", 200);
    assert!(gets.len() > 30, "{}", gets.len());
    assert!(gets.iter().all(|a| a.name.starts_with("s3:Get")));
    let object = gets.iter().find(|a| a.name == "s3:GetObject").unwrap();
    assert_eq!(object.access_level, "Read");
    assert_eq!(
        complete("s3:getobjectv", 200).iter().map(|a| a.name.as_str()).collect::<Vec<_>>()[0],
        "s3:GetObjectVersion"
    );
    assert_eq!(complete("s3:Get", 5).len(), 5, "capped");
    assert!(complete("nosuchservice:", 10).is_empty());
    assert_eq!(complete("", 1000).len(), catalogue().services.len());
}

#[test]
fn describes_actions_and_wildcards() {
    let one = describe("s3:GetObject");
    assert_eq!((one.service.as_deref(), one.matches), (Some("Amazon S3"), 1));
    assert_eq!(one.access_levels, ["Read"]);
    assert!(one.description.unwrap().contains("retrieve"));
    let gets = describe("s3:Get*");
    assert!(gets.matches > 30 && gets.description.is_none());
    assert_eq!(gets.access_levels, ["Read"]);
    let s3 = describe("S3:*");
    assert_eq!(s3.access_levels, ["List", "Read", "Write", "Permissions management", "Tagging"]);
    let everything = describe("*");
    assert_eq!(everything.matches as usize, catalogue().actions.len());
    assert_eq!(everything.service, None);
    let q = describe("iam:?etUser");
    assert_eq!((q.matches, q.description.is_some()), (1, true), "iam:GetUser");
    assert_eq!(describe("iam:*AccessKey*").matches, describe("IAM:*accesskey*").matches);
    assert_eq!(describe("ec2:*Instnce*").matches, 0);
    assert_eq!(describe("nosuch:*").service, None);
    assert!(describe("*:GetObject").matches >= 1, "a wildcard service scans every action");
}

#[test]
fn glob_matching() {
    for (pattern, text, expected) in [
        ("*", "", true),
        ("*", "s3:getobject", true),
        ("s3:get*", "s3:getobject", true),
        ("s3:get*", "s3:putobject", false),
        ("s3:*object", "s3:getobject", true),
        ("s3:*object", "s3:getobjectacl", false),
        ("s3:?etobject", "s3:getobject", true),
        ("s3:?etobject", "s3:etobject", false),
        ("*a*b*c*", "xaxbxcx", true),
        ("*a*b*c*", "xaxcxbx", false),
        ("", "", true),
        ("", "a", false),
        ("a**", "a", true),
    ] {
        assert_eq!(glob_match(pattern.as_bytes(), text.as_bytes()), expected, "{pattern} ~ {text}");
    }
}

#[test]
fn condition_keys() {
    let cat = catalogue();
    let s3 = cat.service("s3").unwrap();
    assert!(cat.service_has_key(s3, "s3:prefix"));
    assert!(cat.service_has_key(s3, "S3:Prefix"), "keys are case-insensitive");
    assert!(cat.service_has_key(s3, "s3:ExistingObjectTag/Team"), "a placeholder stands for any text");
    assert!(!cat.service_has_key(s3, "s3:prefixx"));
    let list = cat.action("s3:ListBucket").unwrap();
    assert!(cat.action_has_key(list, "s3:prefix"));
    assert!(!cat.action_has_key(cat.action("s3:GetObject").unwrap(), "s3:prefix"));
    assert!(cat.action_condition_keys(list).contains(&"s3:prefix"));
    assert_eq!(access_level("S3:listbucket"), Some("List"));
    assert_eq!(access_level("s3:ListBuckets"), None);
    let ec2 = cat.service("ec2").unwrap();
    assert!(cat.action_has_key(cat.action("ec2:RunInstances").unwrap(), "ec2:InstanceType"));
    assert!(cat.arn_service_matches(ec2, "EC2"));
    assert!(cat.arn_service_matches(cat.service("sts").unwrap(), "iam"));
    assert!(!cat.arn_service_matches(s3, "ec2"));
}

#[test]
fn service_principals_name_known_services() {
    let principals = service_principals();
    assert!(principals.len() >= 15);
    for p in &principals {
        assert!(p.principal.ends_with(".amazonaws.com"), "{}", p.principal);
        assert!(!p.service.contains(".amazonaws.com") && p.service.contains(' '), "a service's name: {p:?}");
    }
    assert!(principals.iter().any(|p| p.principal == "lambda.amazonaws.com" && p.service == "AWS Lambda"));
}

/// A sanity bound, not a benchmark: expanding a wildcard over all ~22,000 actions takes well
/// under a millisecond in a release build; a debug build gets a generous bound.
#[test]
fn lookups_are_fast() {
    let cat = catalogue(); // the one-time decompression is not what is measured
                           // The best of ten runs: other processes share this machine.
    let time = |f: &dyn Fn() -> usize| {
        (0..10)
            .map(|_| {
                let start = Instant::now();
                let n = f();
                (start.elapsed(), n)
            })
            .min()
            .unwrap_or_default()
    };
    let (all, n) = time(&|| cat.expand("*:*Instance*").len());
    assert!(n > 100, "{n}");
    let (one, _) = time(&|| cat.action("ec2:RunInstances").map_or(0, |_| 1));
    let (completion, _) = time(&|| complete("ec2:Describe", 200).len());
    let (scan, _) = time(&|| cat.expand("*:?et*").len());
    println!(
        "over {} actions: expand *:*Instance* {all:?}, *:?et* {scan:?}; one action {one:?}; completion {completion:?}",
        cat.actions.len()
    );
    assert!(all < Duration::from_millis(50), "{all:?}");
    assert!(scan < Duration::from_millis(200), "{scan:?}");
    assert!(completion < Duration::from_millis(50), "{completion:?}");
}
