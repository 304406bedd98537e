use super::super::prelude::*;
use super::super::zone_spread;
use serde::{Deserialize, Serialize};

check! {
    /// ## What it does
    /// Flags EC2 Auto Scaling groups that can launch instances in fewer Availability Zones than
    /// `min_availability_zones` (default 2).
    ///
    /// ## Why is this bad?
    /// A group confined to one zone cannot replace its instances elsewhere when that zone fails: the
    /// application loses all its capacity until the zone recovers. Spread over several zones, the group
    /// rebalances and a zone outage costs only a share of the capacity. (Single-zone groups can be deliberate,
    /// e.g. for batch work with heavy inter-instance traffic: mute the finding for those.)
    ///
    /// ## Remediation
    /// Give the group subnets in more zones:
    /// ```sh
    /// aws autoscaling update-auto-scaling-group --auto-scaling-group-name my-asg \
    ///   --vpc-zone-identifier subnet-aaaa,subnet-bbbb
    /// ```
    /// CDK: `new autoscaling.AutoScalingGroup(this, 'G', { vpc, vpcSubnets: { subnetType:
    /// ec2.SubnetType.PRIVATE_WITH_EGRESS } })` on a VPC with `maxAzs >= 2`; CloudFormation:
    /// `AWS::AutoScaling::AutoScalingGroup` with `VPCZoneIdentifier` listing subnets of two or more zones.
    ///
    /// ## Parameters
    /// - `min_availability_zones` (integer 2–6, default 2): the fewest zones a group may span.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-add-az-console.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/autoscaling-controls.html#autoscaling-2
    pub AutoscalingGroupMultiAz {
        id: "autoscaling_group_multi_az",
        title: "Auto Scaling groups span multiple Availability Zones",
        severity: Severity::Medium,
        service: "autoscaling",
        kinds: &[ResourceKind::AutoScalingGroup],
        scope: CheckScope::Resource,
        compliance: &[fsbp("AutoScaling.2")],
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    pub min_availability_zones: i64,
}

impl Default for Params {
    fn default() -> Self {
        Params { min_availability_zones: 2 }
    }
}

impl CheckParams for Params {
    fn validate(&self) -> Result<(), String> {
        // Fewer than two would pass every group; Security Hub's control accepts 2 to 6.
        if !(2..=6).contains(&self.min_availability_zones) {
            return Err(format!("min_availability_zones must be between 2 and 6, not {}", self.min_availability_zones));
        }
        Ok(())
    }
}

impl Check for AutoscalingGroupMultiAz {
    type Params = Params;

    fn run(&self, cx: &Context<'_>, params: &Params, out: &mut Findings<'_>) {
        let min = usize::try_from(params.min_availability_zones).unwrap_or(2);
        for (resource, group) in cx.inventory.iter::<AutoScalingGroup>() {
            let mut zones: Vec<&str> = group.availability_zones.iter().map(String::as_str).collect();
            zones.sort_unstable();
            zones.dedup();
            let verdict = zone_spread(&zones, min, "autoscaling:DescribeAutoScalingGroups", "group");
            out.verdict(resource, verdict);
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

    fn group(zones: &[&str]) -> AutoScalingGroup {
        AutoScalingGroup { availability_zones: zones.iter().map(|z| z.to_string()).collect(), ..Default::default() }
    }

    fn fixture() -> Inventory {
        let mut inv = inventory();
        inv.resources.push(resource("two", group(&["eu-west-1b", "eu-west-1a"])));
        inv.resources.push(resource("one", group(&["eu-west-1a"])));
        inv.resources.push(resource("none", group(&[])));
        inv
    }

    #[test]
    fn pass_fail_unknown() {
        let findings = run(&AutoscalingGroupMultiAz, &fixture());
        assert_eq!(
            statuses(&findings),
            vec![("none".into(), Status::Unknown), ("one".into(), Status::Fail), ("two".into(), Status::Pass)]
        );
        let message = |id: &str| findings.iter().find(|f| f.resource.id == id).map(|f| f.message.clone());
        assert_eq!(message("two").as_deref(), Some("spans 2 Availability Zones (eu-west-1a, eu-west-1b)"));
        assert_eq!(message("one").as_deref(), Some("spans 1 Availability Zone(s) (eu-west-1a), fewer than 2"));
    }

    #[test]
    fn parameter_raises_the_bar_and_is_validated() {
        let findings = run_with(&AutoscalingGroupMultiAz, &fixture(), Some(json!({"min_availability_zones": 3})));
        let two = findings.iter().find(|f| f.resource.id == "two").map(|f| f.status);
        assert_eq!(two, Some(Status::Fail));
        for bad in [json!({"min_availability_zones": 1}), json!({"min_availability_zones": 7})] {
            let err = AutoscalingGroupMultiAz.validate_params(&bad).err().map(|e| e.detail).unwrap_or_default();
            assert!(err.contains("min_availability_zones must be between 2 and 6"), "{err}");
        }
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::AutoScalingGroup, REGION, denied("autoscaling:DescribeAutoScalingGroups"));
        let findings = run(&AutoscalingGroupMultiAz, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
