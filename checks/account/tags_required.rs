use super::super::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The kinds judged; the first is the one the engine reports listing gaps for.
const KINDS: &[ResourceKind] = &[
    ResourceKind::S3Bucket,
    ResourceKind::Ec2Vpc,
    ResourceKind::Ec2Subnet,
    ResourceKind::Ec2SecurityGroup,
    ResourceKind::Ec2Instance,
    ResourceKind::Ec2Volume,
    ResourceKind::Ec2LaunchTemplate,
    ResourceKind::Ec2NatGateway,
    ResourceKind::KmsKey,
    ResourceKind::IamRole,
    ResourceKind::IamUser,
    ResourceKind::CloudTrailTrail,
    ResourceKind::AutoScalingGroup,
    ResourceKind::RdsDbInstance,
    ResourceKind::RdsDbCluster,
    ResourceKind::Elbv2LoadBalancer,
    ResourceKind::Elbv2TargetGroup,
    ResourceKind::LambdaFunction,
    ResourceKind::SnsTopic,
    ResourceKind::LogsLogGroup,
    ResourceKind::CloudWatchAlarm,
    ResourceKind::Route53HostedZone,
    ResourceKind::CloudFrontDistribution,
];

check! {
    /// ## What it does
    /// Flags resources that lack any of the required tag keys (by default `Environment` and `Project`). Tag keys
    /// are compared case-sensitively, as AWS does; any value, even empty, counts. Judged kinds: S3 buckets, VPCs,
    /// subnets, security groups, EC2 instances, EBS volumes, launch templates, NAT gateways, customer-managed KMS
    /// keys, IAM roles and users, CloudTrail trails, Auto Scaling groups, RDS instances and clusters, load
    /// balancers and target groups, Lambda functions, SNS topics, log groups, CloudWatch alarms, Route 53 hosted
    /// zones and CloudFront distributions. Default VPCs, default subnets, the
    /// `default` security groups and AWS-managed KMS keys are skipped: AWS creates them and nobody tags them.
    ///
    /// ## Why is this bad?
    /// Untagged resources have no owner anyone can find: costs cannot be allocated, incidents cannot be routed,
    /// and cleanup never happens because nobody knows whether the resource is still needed. Tag-based access
    /// control (ABAC) and automation (backups, patching, shutdown schedules) also silently skip them.
    ///
    /// ## Remediation
    /// ```sh
    /// aws resourcegroupstaggingapi tag-resources --resource-arn-list ARN \
    ///   --tags Environment=prod,Project=billing
    /// ```
    /// CDK: `Tags.of(app).add('Environment', 'prod')` tags every taggable resource of the app; CloudFormation:
    /// `aws cloudformation deploy --tags Environment=prod Project=billing` propagates stack tags. Enforce the keys
    /// with an AWS Organizations tag policy and `aws:RequestTag` conditions in SCPs.
    ///
    /// ## Parameters
    /// - `keys` (list of strings, default `["Environment", "Project"]`): the tag keys every resource must have.
    ///   Must not be empty; each key must be 1 to 128 characters.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/tagging-best-practices.html
    /// - https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_tag-policies.html
    pub TagsRequired {
        id: "tags_required",
        title: "Resources carry the required tags",
        severity: Severity::Low,
        service: "account",
        kinds: KINDS,
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// Tag keys every judged resource must have.
    pub keys: Vec<String>,
}

impl Default for Params {
    fn default() -> Self {
        Params { keys: vec!["Environment".into(), "Project".into()] }
    }
}

impl CheckParams for Params {
    fn validate(&self) -> Result<(), String> {
        if self.keys.is_empty() {
            return Err("keys must name at least one tag key".into());
        }
        for key in &self.keys {
            // 128 characters is AWS's limit for a tag key.
            if key.trim().is_empty() || key.chars().count() > 128 {
                return Err(format!("keys: {key:?} is not a valid tag key (1 to 128 characters, not blank)"));
            }
        }
        Ok(())
    }
}

/// Resources AWS creates in every account, which nobody tags.
fn exempt(resource: &Resource) -> bool {
    match &resource.properties {
        Properties::Ec2Vpc(vpc) => vpc.is_default,
        Properties::Ec2Subnet(subnet) => subnet.default_for_az,
        Properties::Ec2SecurityGroup(group) => group.group_name == "default",
        Properties::KmsKey(key) => !key.is_customer_managed(),
        _ => false,
    }
}

/// The engine reports failed listings of the first kind only; resources of the other kinds that could not be
/// listed are unknown too. One finding per region (and none where the engine already reports one), so finding
/// ids stay unique.
fn secondary_listing_gaps(inventory: &Inventory, out: &mut Findings<'_>) {
    let mut gaps: BTreeMap<&str, UnknownReason> = BTreeMap::new();
    for kind in &KINDS[1..] {
        for listing in inventory.listed_regions(*kind) {
            let region = listing.region.as_str();
            let primary = inventory.listing(KINDS[0], region);
            if gaps.contains_key(region) || matches!(primary, ListingState::Failed(_)) {
                continue;
            }
            let state = inventory.listing(*kind, region);
            if let (ListingState::Failed(_), Err(reason)) = (&state, state.complete(*kind, region)) {
                gaps.insert(region, reason);
            }
        }
    }
    for (region, reason) in gaps {
        out.region(region, Verdict::Unknown(reason));
    }
}

impl Check for TagsRequired {
    type Params = Params;

    fn run(&self, cx: &Context<'_>, params: &Params, out: &mut Findings<'_>) {
        for resource in &cx.inventory.resources {
            if !KINDS.contains(&resource.kind()) || exempt(resource) {
                continue;
            }
            let verdict = match resource.tags.known() {
                Ok(tags) => {
                    let missing: Vec<&str> = params
                        .keys
                        .iter()
                        .filter(|k| !tags.is_some_and(|t| t.contains_key(k.as_str())))
                        .map(String::as_str)
                        .collect();
                    if missing.is_empty() {
                        Verdict::Pass(format!("has the required tags {}", params.keys.join(", ")))
                    } else {
                        Verdict::Fail(format!("missing required tags: {}", missing.join(", ")))
                    }
                }
                Err(reason) => Verdict::Unknown(reason.clone()),
            };
            out.verdict(resource, verdict);
        }
        secondary_listing_gaps(cx.inventory, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::DynCheck;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use serde_json::json;

    fn tagged(id: &str, properties: impl Into<Properties>, tags: &[(&str, &str)]) -> Resource {
        let mut r = resource(id, properties);
        r.tags = Field::Known(tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
        r
    }

    #[test]
    fn pass_fail_unknown_and_exempt() {
        let both = [("Environment", "prod"), ("Project", "billing")];
        let mut inv = inventory();
        inv.resources.push(tagged("bucket", S3Bucket::default(), &both));
        inv.resources.push(tagged("role", IamRole::default(), &[("Environment", "prod")]));
        // Keys are case-sensitive.
        inv.resources.push(tagged("i-1", Instance::default(), &[("environment", "prod"), ("project", "x")]));
        inv.resources.push(tagged("trail", Trail::default(), &both));
        let mut unreadable = resource("vol-1", Volume::default());
        unreadable.tags = Field::Unknown(denied("ec2:DescribeTags"));
        inv.resources.push(unreadable);
        // Exempt, or not a judged kind: no finding.
        inv.resources.push(tagged("vpc-default", Vpc { is_default: true, ..Default::default() }, &[]));
        inv.resources.push(tagged("subnet-default", Subnet { default_for_az: true, ..Default::default() }, &[]));
        inv.resources.push(tagged(
            "sg-default",
            SecurityGroup { group_name: "default".into(), ..Default::default() },
            &[],
        ));
        inv.resources.push(tagged("aws-key", KmsKey { key_manager: Some("AWS".into()), ..Default::default() }, &[]));
        inv.resources.push(tagged("rtb-1", RouteTable::default(), &[]));
        inv.resources.push(tagged("vpc-1", Vpc::default(), &[]));
        let findings = run(&TagsRequired, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("bucket".into(), Status::Pass),
                ("i-1".into(), Status::Fail),
                ("role".into(), Status::Fail),
                ("trail".into(), Status::Pass),
                ("vol-1".into(), Status::Unknown),
                ("vpc-1".into(), Status::Fail),
            ]
        );
        let msg = |id: &str| findings.iter().find(|f| f.resource.id == id).map(|f| f.message.clone());
        assert_eq!(msg("role").as_deref(), Some("missing required tags: Project"));
        assert_eq!(msg("i-1").as_deref(), Some("missing required tags: Environment, Project"));
    }

    #[test]
    fn keys_parameter() {
        let mut inv = inventory();
        inv.resources.push(tagged("bucket", S3Bucket::default(), &[("Owner", "team-a")]));
        let findings = run_with(&TagsRequired, &inv, Some(json!({"keys": ["Owner"]})));
        assert_eq!(statuses(&findings), vec![("bucket".into(), Status::Pass)]);
    }

    #[test]
    fn rejects_bad_params() {
        let err = |v| TagsRequired.validate_params(&v).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err(json!({"keys": []})).contains("keys"));
        assert!(err(json!({"keys": ["Owner", " "]})).contains("keys"));
        assert!(err(json!({"keys": ["x".repeat(129)]})).contains("keys"));
        assert!(err(json!({"keys": "Owner"})).contains("invalid type"));
    }

    #[test]
    fn failed_listings_are_unknown_once_per_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Ec2Instance, REGION, denied("ec2:DescribeInstances"));
        fail_listing(&mut inv, ResourceKind::Ec2Volume, REGION, denied("ec2:DescribeVolumes"));
        fail_listing(&mut inv, ResourceKind::IamRole, GLOBAL, denied("iam:ListRoles"));
        let findings = run(&TagsRequired, &inv);
        let mut regions: Vec<_> = findings.iter().map(|f| (f.region.as_str(), f.status)).collect();
        regions.sort();
        assert_eq!(regions, vec![(REGION, Status::Unknown), (GLOBAL, Status::Unknown)]);

        // The engine reports the bucket listing gap; no second finding for the same region.
        fail_listing(&mut inv, ResourceKind::S3Bucket, REGION, denied("s3:ListBuckets"));
        let findings = run(&TagsRequired, &inv);
        let ids: std::collections::HashSet<_> = findings.iter().map(|f| f.id.clone()).collect();
        assert_eq!((findings.len(), ids.len()), (2, 2));
    }
}
