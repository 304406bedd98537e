use super::super::prelude::*;
use super::super::zone_spread;
use serde::{Deserialize, Serialize};

check! {
    /// ## What it does
    /// Flags Application, Network and Gateway Load Balancers with nodes in fewer Availability Zones than
    /// `min_availability_zones` (default 2).
    ///
    /// ## Why is this bad?
    /// A load balancer only routes through the zones it is enabled in. With one zone, that zone's outage takes
    /// the whole entry point down, however many healthy targets run elsewhere. Application Load Balancers need
    /// two zones at creation; Network and Gateway Load Balancers accept one.
    ///
    /// ## Remediation
    /// Add a subnet in another zone:
    /// ```sh
    /// aws elbv2 set-subnets --load-balancer-arn ARN --subnets subnet-aaaa subnet-bbbb
    /// ```
    /// CDK: give the load balancer a `vpcSubnets` selection spanning two or more zones (the default for a VPC
    /// with `maxAzs >= 2`); CloudFormation: list subnets of at least two zones in `Subnets` or `SubnetMappings`.
    ///
    /// ## Parameters
    /// - `min_availability_zones` (integer 2–10, default 2): the fewest zones a load balancer may span.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-subnets.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-13
    pub Elbv2MultiAz {
        id: "elbv2_multi_az",
        title: "Load balancers span multiple Availability Zones",
        severity: Severity::Medium,
        service: "elbv2",
        kinds: &[ResourceKind::Elbv2LoadBalancer],
        scope: CheckScope::Resource,
        compliance: &[fsbp("ELB.13")],
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
        // Fewer than two would pass every load balancer; no region has more than ten usable zones.
        if !(2..=10).contains(&self.min_availability_zones) {
            return Err(format!(
                "min_availability_zones must be between 2 and 10, not {}",
                self.min_availability_zones
            ));
        }
        Ok(())
    }
}

impl Check for Elbv2MultiAz {
    type Params = Params;

    fn run(&self, cx: &Context<'_>, params: &Params, out: &mut Findings<'_>) {
        let min = usize::try_from(params.min_availability_zones).unwrap_or(2);
        for (resource, lb) in cx.inventory.iter::<LoadBalancer>() {
            let verdict = zone_spread(&lb.zone_names(), min, "elbv2:DescribeLoadBalancers", "load balancer");
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

    fn lb(zones: &[&str]) -> LoadBalancer {
        let zones = zones
            .iter()
            .enumerate()
            .map(|(i, z)| LbZone { zone_name: Some(z.to_string()), subnet_id: Some(format!("subnet-{i}")) })
            .collect();
        LoadBalancer { lb_type: Some("network".into()), availability_zones: zones, ..Default::default() }
    }

    fn fixture() -> Inventory {
        let mut inv = inventory();
        inv.resources.push(resource("two", lb(&["eu-west-1a", "eu-west-1b"])));
        inv.resources.push(resource("three", lb(&["eu-west-1a", "eu-west-1b", "eu-west-1c"])));
        inv.resources.push(resource("one", lb(&["eu-west-1a", "eu-west-1a"])));
        inv.resources.push(resource("none", lb(&[])));
        inv
    }

    #[test]
    fn pass_fail_unknown() {
        let findings = run(&Elbv2MultiAz, &fixture());
        assert_eq!(
            statuses(&findings),
            vec![
                ("none".into(), Status::Unknown),
                ("one".into(), Status::Fail),
                ("three".into(), Status::Pass),
                ("two".into(), Status::Pass),
            ]
        );
        let one = findings.iter().find(|f| f.resource.id == "one").map(|f| f.message.as_str());
        assert_eq!(one, Some("spans 1 Availability Zone(s) (eu-west-1a), fewer than 2"));
    }

    #[test]
    fn parameter_raises_the_bar_and_is_validated() {
        let findings = run_with(&Elbv2MultiAz, &fixture(), Some(json!({"min_availability_zones": 3})));
        let two = findings.iter().find(|f| f.resource.id == "two").map(|f| f.status);
        assert_eq!(two, Some(Status::Fail));
        for bad in
            [json!({"min_availability_zones": 1}), json!({"min_availability_zones": 11}), json!({"min_zones": 2})]
        {
            let err = Elbv2MultiAz.validate_params(&bad).map(|_| ()).err().map(|e| e.detail).unwrap_or_default();
            assert!(err.contains("min_availability_zones") || err.contains("min_zones"), "{err}");
        }
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Elbv2LoadBalancer, REGION, denied("elbv2:DescribeLoadBalancers"));
        let findings = run(&Elbv2MultiAz, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
