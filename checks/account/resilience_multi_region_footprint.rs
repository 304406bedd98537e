use super::super::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The finding kind of a workload: a set of resources sharing a tag value, not an AWS resource itself.
pub const WORKLOAD_KIND: &str = "awsaudit::Workload";

check! {
    /// ## What it does
    /// Groups the regional resources of the audit into workloads by the value of one tag (by default
    /// `Workload`), and flags each workload whose tagged resources all sit in a single region. One finding per
    /// workload (tag value), reported in the `global` region. Every regional resource the audit collected counts
    /// (buckets, VPCs, subnets, instances, volumes, keys, trails, Auto Scaling groups, …); global resources
    /// (IAM, Route 53, CloudFront) do not, because they say nothing about where the workload runs, and neither do
    /// shared configuration objects whose tags are not read (RDS parameter groups, log metric filters). Resources
    /// without the tag, or with an empty value, belong to no workload.
    ///
    /// Only what was audited is judged: a workload is compared across the audited regions (`--regions`) and the
    /// collected services, and the message says how many regions the audit saw. With a single audited region
    /// every workload is UNKNOWN. A single-region workload is also UNKNOWN when, in another audited region, the
    /// tags of some resource could not be read or a resource list could not be read, since the workload may
    /// have resources there. When the tags or lists of any regional resource could not be read, an
    /// account-level UNKNOWN finding says that workloads carried only by those resources are not judged. Lists
    /// of account settings that carry no tags (Config recorders and delivery channels, EBS default encryption)
    /// do not count.
    ///
    /// ## Why is this bad?
    /// A regional outage, a mistaken change rolled out to one region, or a regional service quota can take down
    /// everything that runs in that region. A workload deployed in one region has no standby to fail over to:
    /// recovery means rebuilding from backups, which takes hours or days and may not be possible while the region
    /// is impaired. Workloads with a recovery objective shorter than that need a footprint (at least data and a
    /// pilot light) in a second region.
    ///
    /// ## Remediation
    /// Decide per workload whether it needs multi-region recovery; for those that do, deploy a standby in a second
    /// region and replicate its data, for example:
    /// ```sh
    /// aws s3api put-bucket-replication --bucket DATA_BUCKET --replication-configuration file://replication.json
    /// aws cloudformation create-stack-instances --stack-set-name WORKLOAD --regions eu-west-1 \
    ///   --accounts ACCOUNT_ID
    /// ```
    /// CDK: instantiate the workload's stack once per region (`new WorkloadStack(app, 'Eu', { env: { region:
    /// 'eu-west-1' } })`) and tag it (`Tags.of(stack).add('Workload', 'shop')`); CloudFormation: deploy the
    /// template as a StackSet to two regions, with the tag as a stack tag. Workloads that deliberately run in one
    /// region can be muted with a suppression that names the reason.
    ///
    /// ## Parameters
    /// - `tag_key` (string, default `Workload`): the tag whose value names the workload a resource belongs to,
    ///   compared case-sensitively (e.g. `Project`, `Application`, or `aws:cloudformation:stack-name` to treat
    ///   each stack as a workload). Must be 1 to 128 characters and not blank. Resources without it are ignored,
    ///   so the default judges nothing until workloads are tagged.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/rel_fault_isolation_multiaz_region_system.html
    /// - https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html
    /// - https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/tagging-best-practices.html
    pub ResilienceMultiRegionFootprint {
        id: "resilience_multi_region_footprint",
        title: "Each tagged workload has resources in more than one region",
        severity: Severity::Low,
        service: "account",
        kinds: &[
            ResourceKind::S3Bucket,
            ResourceKind::Ec2Vpc,
            ResourceKind::Ec2Subnet,
            ResourceKind::Ec2SecurityGroup,
            ResourceKind::Ec2Instance,
            ResourceKind::Ec2Volume,
            ResourceKind::Ec2LaunchTemplate,
            ResourceKind::Ec2NatGateway,
            ResourceKind::KmsKey,
            ResourceKind::CloudTrailTrail,
            ResourceKind::AutoScalingGroup,
        ],
        scope: CheckScope::Account,
        compliance: &[],
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// The tag whose value names a resource's workload.
    pub tag_key: String,
}

impl Default for Params {
    fn default() -> Self {
        Params { tag_key: "Workload".into() }
    }
}

impl CheckParams for Params {
    fn validate(&self) -> Result<(), String> {
        // 128 characters is AWS's limit for a tag key.
        if self.tag_key.trim().is_empty() || self.tag_key.chars().count() > 128 {
            return Err(format!("tag_key: {:?} is not a valid tag key (1 to 128 characters, not blank)", self.tag_key));
        }
        Ok(())
    }
}

/// Regional kinds that do not place a workload in a region: account settings, which cannot carry tags, shared
/// configuration whose tags awsaudit does not read (parameter groups, metric filters), and backups (a snapshot
/// copy is a copy, not a deployment). Their tags and lists say nothing about the footprint.
const UNTAGGED: &[ResourceKind] = &[
    ResourceKind::ConfigRecorder,
    ResourceKind::ConfigDeliveryChannel,
    ResourceKind::Ec2EbsEncryptionByDefault,
    ResourceKind::RdsDbParameterGroup,
    ResourceKind::RdsDbClusterParameterGroup,
    ResourceKind::LogsMetricFilter,
    ResourceKind::RdsDbSnapshot,
];

/// What could hide a workload's resources in a region: unreadable tags, or a resource list that failed.
struct Gap<'a> {
    region: &'a str,
    reason: UnknownReason,
}

fn gaps<'a>(inventory: &'a Inventory, unread: &[(&'a Resource, &UnknownReason)]) -> Vec<Gap<'a>> {
    let mut gaps: Vec<Gap<'a>> =
        unread.iter().map(|(r, reason)| Gap { region: r.region.as_str(), reason: (*reason).clone() }).collect();
    for kind in ResourceKind::ALL.iter().filter(|k| !k.is_global() && !UNTAGGED.contains(k)) {
        for region in &inventory.regions {
            if let ListingState::Failed(reason) = inventory.listing(*kind, region) {
                gaps.push(Gap { region: region.as_str(), reason: reason.clone() });
            }
        }
    }
    gaps
}

fn counts(regions: &BTreeMap<&str, usize>) -> String {
    regions.iter().map(|(region, n)| format!("{region} ({n})")).collect::<Vec<_>>().join(", ")
}

impl Check for ResilienceMultiRegionFootprint {
    type Params = Params;

    fn run(&self, cx: &Context<'_>, params: &Params, out: &mut Findings<'_>) {
        let inventory = cx.inventory;
        let key = params.tag_key.as_str();
        // Workload (tag value) -> region -> number of tagged resources.
        let mut workloads: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
        let mut unread = Vec::new();
        let placed = |r: &&Resource| !r.kind().is_global() && r.region != GLOBAL && !UNTAGGED.contains(&r.kind());
        for resource in inventory.resources.iter().filter(placed) {
            match resource.tags.known() {
                Ok(tags) => {
                    let value = tags.and_then(|t| t.get(key)).map(String::as_str).filter(|v| !v.trim().is_empty());
                    if let Some(value) = value {
                        *workloads.entry(value).or_default().entry(resource.region.as_str()).or_default() += 1;
                    }
                }
                Err(reason) => unread.push((resource, reason)),
            }
        }
        let gaps = gaps(inventory, &unread);
        let audited = inventory.regions.len();
        let seen = format!("this audit saw {audited} region(s): {}", inventory.regions.join(", "));
        for (workload, regions) in &workloads {
            let id = format!("{key}={workload}");
            let total: usize = regions.values().sum();
            let verdict = match regions.keys().next() {
                Some(only) if regions.len() == 1 => {
                    if audited < 2 {
                        Verdict::Unknown(UnknownReason::new(
                            Cause::NotCollected,
                            "audit other regions",
                            format!(
                                "only {only} was audited, so whether {id} also runs in another region cannot be seen"
                            ),
                        ))
                    } else if let Some(gap) = gaps.iter().find(|g| g.region != *only) {
                        Verdict::Unknown(gap.reason.clone())
                    } else {
                        Verdict::Fail(format!("all {total} resource(s) tagged {id} are in {only} ({seen})"))
                    }
                }
                _ => Verdict::Pass(format!(
                    "resources tagged {id} are in {} regions: {} ({seen})",
                    regions.len(),
                    counts(regions)
                )),
            };
            out.group(GLOBAL, WORKLOAD_KIND, &id, verdict);
        }
        if let Some(gap) = gaps.first() {
            let mut reason = gap.reason.clone();
            let hidden = format!(
                "workloads carried only by resources whose tags or lists could not be read ({} gap(s)) are not \
                 judged",
                gaps.len()
            );
            reason.message = if reason.message.is_empty() { hidden } else { format!("{}; {hidden}", reason.message) };
            out.account(Verdict::Unknown(reason));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::DynCheck;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use serde_json::json;

    const HOME: &str = "us-east-1";

    fn tagged(id: &str, properties: impl Into<Properties>, region: &str, tags: &[(&str, &str)]) -> Resource {
        let mut r = resource(id, properties);
        r.region = region.into();
        r.tags = Field::Known(tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
        r
    }

    /// Two audited regions, every list complete in both.
    fn two_regions() -> Inventory {
        let mut inv = inventory();
        inv.regions = vec![HOME.into(), REGION.into()];
        for kind in ResourceKind::ALL.iter().filter(|k| !k.is_global() && !UNTAGGED.contains(k)) {
            inv.listings.push(Listing { kind: *kind, region: HOME.into(), error: None });
        }
        inv
    }

    fn judge(inv: &Inventory, params: Option<serde_json::Value>) -> Vec<(String, String, Status, String)> {
        let mut v: Vec<_> = run_with(&ResilienceMultiRegionFootprint, inv, params)
            .into_iter()
            .map(|f| (f.resource.kind, f.resource.id, f.status, f.message))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn single_region_workloads_fail_and_spread_ones_pass() {
        let mut inv = two_regions();
        inv.resources.push(tagged("vpc-1", Vpc::default(), HOME, &[("Workload", "shop")]));
        inv.resources.push(tagged("i-1", Instance::default(), HOME, &[("Workload", "shop")]));
        inv.resources.push(tagged("vpc-2", Vpc::default(), REGION, &[("Workload", "shop")]));
        inv.resources.push(tagged("i-2", Instance::default(), REGION, &[("Workload", "orders")]));
        inv.resources.push(tagged("vol-2", Volume::default(), REGION, &[("Workload", "orders")]));
        // Global resources and empty values do not count.
        inv.resources.push(tagged("role", IamRole::default(), GLOBAL, &[("Workload", "orders")]));
        inv.resources.push(tagged("sg-1", SecurityGroup::default(), HOME, &[("Workload", " ")]));
        inv.resources.push(tagged("untagged", Instance::default(), HOME, &[]));
        let found = judge(&inv, None);
        assert_eq!(
            found,
            vec![
                (
                    WORKLOAD_KIND.into(),
                    "Workload=orders".into(),
                    Status::Fail,
                    "all 2 resource(s) tagged Workload=orders are in eu-west-1 (this audit saw 2 region(s): \
                     us-east-1, eu-west-1)"
                        .into()
                ),
                (
                    WORKLOAD_KIND.into(),
                    "Workload=shop".into(),
                    Status::Pass,
                    "resources tagged Workload=shop are in 2 regions: eu-west-1 (1), us-east-1 (2) (this audit saw \
                     2 region(s): us-east-1, eu-west-1)"
                        .into()
                ),
            ]
        );
        // Finding ids are distinct per workload.
        let findings = run(&ResilienceMultiRegionFootprint, &inv);
        assert_ne!(findings[0].id, findings[1].id);
    }

    #[test]
    fn the_tag_key_is_a_parameter() {
        let mut inv = two_regions();
        inv.resources.push(tagged("vpc-1", Vpc::default(), HOME, &[("Project", "shop"), ("Workload", "a")]));
        inv.resources.push(tagged("vpc-2", Vpc::default(), REGION, &[("Project", "shop"), ("Workload", "b")]));
        let found = judge(&inv, Some(json!({"tag_key": "Project"})));
        assert_eq!(found.iter().map(|f| (f.1.as_str(), f.2)).collect::<Vec<_>>(), vec![("Project=shop", Status::Pass)]);
        // No resource carries the key: nothing to judge, nothing reported.
        assert!(judge(&inv, Some(json!({"tag_key": "Application"}))).is_empty());
    }

    #[test]
    fn unreadable_tags_or_lists_elsewhere_make_a_single_region_workload_unknown() {
        let mut inv = two_regions();
        inv.resources.push(tagged("i-1", Instance::default(), REGION, &[("Workload", "orders")]));
        inv.resources.push(tagged("vpc-1", Vpc::default(), HOME, &[("Workload", "shop")]));
        inv.resources.push(tagged("vpc-2", Vpc::default(), REGION, &[("Workload", "shop")]));
        let mut unread = resource("bucket", S3Bucket::default());
        unread.region = HOME.into();
        unread.tags = Field::Unknown(denied("s3:GetBucketTagging"));
        inv.resources.push(unread);
        let found = judge(&inv, None);
        let status: Vec<_> = found.iter().map(|f| (f.1.as_str(), f.2)).collect();
        assert_eq!(
            status,
            vec![(ACCOUNT, Status::Unknown), ("Workload=orders", Status::Unknown), ("Workload=shop", Status::Pass)]
        );
        assert!(found[1].3.contains("s3:GetBucketTagging"), "{}", found[1].3);
        assert!(found[0].3.contains("are not judged"), "{}", found[0].3);

        // Unreadable tags in the workload's own region cannot add a region: still FAIL.
        inv.resources.iter_mut().filter(|r| r.id == "bucket").for_each(|r| r.region = REGION.into());
        let found = judge(&inv, None);
        assert_eq!(found[1].2, Status::Fail);

        // Account settings carry no tags: their failed lists hide nothing.
        fail_listing(&mut inv, ResourceKind::ConfigRecorder, HOME, denied("config:DescribeConfigurationRecorders"));
        assert_eq!(judge(&inv, None)[1].2, Status::Fail);

        // A failed list in the other region hides what might be there.
        fail_listing(&mut inv, ResourceKind::Ec2Instance, HOME, denied("ec2:DescribeInstances"));
        let found = judge(&inv, None);
        assert_eq!(found[1].2, Status::Unknown);
        assert!(found[1].3.contains("ec2:DescribeInstances"), "{}", found[1].3);
    }

    #[test]
    fn a_single_audited_region_cannot_tell() {
        let mut inv = inventory();
        inv.resources.push(tagged("i-1", Instance::default(), REGION, &[("Workload", "orders")]));
        let found = judge(&inv, None);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].2, Status::Unknown);
        assert!(found[0].3.contains("only eu-west-1 was audited"), "{}", found[0].3);
    }

    #[test]
    fn rejects_bad_params() {
        let err =
            |v| ResilienceMultiRegionFootprint.validate_params(&v).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err(json!({"tag_key": ""})).contains("tag_key"));
        assert!(err(json!({"tag_key": "  "})).contains("tag_key"));
        assert!(err(json!({"tag_key": "x".repeat(129)})).contains("tag_key"));
        assert!(err(json!({"tag_key": 3})).contains("invalid type"));
        assert!(err(json!({"keys": ["Workload"]})).contains("unknown field"));
        assert!(err(json!({"tag_key": "aws:cloudformation:stack-name"})).is_empty());
    }
}
