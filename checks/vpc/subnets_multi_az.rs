use super::super::prelude::*;
use std::collections::BTreeSet;

check! {
    /// ## What it does
    /// Flags VPCs whose subnets sit in fewer availability zones than the minimum (2 by default). A VPC with no
    /// subnet at all sits in none and fails too. When the subnets of the region could not all be listed, the VPC
    /// is UNKNOWN (a subnet in another AZ may be among those not seen).
    ///
    /// ## Why is this bad?
    /// An availability zone is a failure domain: a power, network or service event in one AZ takes down
    /// everything placed only there. Load balancers, Auto Scaling groups and Multi-AZ databases can only spread
    /// over the AZs the VPC has subnets in, so a single-AZ VPC makes every workload in it single-AZ.
    ///
    /// ## Remediation
    /// ```sh
    /// aws ec2 create-subnet --vpc-id vpc-0123 --cidr-block 10.0.2.0/24 --availability-zone eu-west-1b
    /// ```
    /// CDK: `new ec2.Vpc(this, 'Vpc', { maxAzs: 2 })` (or more); CloudFormation: one `AWS::EC2::Subnet` per
    /// AZ, e.g. `AvailabilityZone: !Select [1, !GetAZs '']`.
    ///
    /// ## Parameters
    /// - `minimum_azs` (integer, default 2, at least 1): the number of distinct availability zones a VPC's
    ///   subnets must span.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html
    /// - https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/use-fault-isolation-to-protect-your-workload.html
    pub VpcSubnetsMultiAz {
        id: "vpc_subnets_multi_az",
        title: "VPCs have subnets in several availability zones",
        severity: Severity::Medium,
        service: "ec2",
        kinds: &[ResourceKind::Ec2Vpc, ResourceKind::Ec2Subnet],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MultiAzParams {
    /// Distinct availability zones a VPC's subnets must span.
    pub minimum_azs: i64,
}

impl Default for MultiAzParams {
    fn default() -> Self {
        MultiAzParams { minimum_azs: 2 }
    }
}

impl CheckParams for MultiAzParams {
    fn validate(&self) -> Result<(), String> {
        if self.minimum_azs < 1 {
            return Err(format!("minimum_azs must be at least 1, got {}", self.minimum_azs));
        }
        Ok(())
    }
}

impl Check for VpcSubnetsMultiAz {
    type Params = MultiAzParams;

    fn run(&self, cx: &Context<'_>, params: &MultiAzParams, out: &mut Findings<'_>) {
        let inv = cx.inventory;
        let minimum = usize::try_from(params.minimum_azs).unwrap_or(usize::MAX);
        for (resource, _) in inv.iter::<Vpc>() {
            let region = resource.region.as_str();
            let subnets: Vec<&Subnet> = inv
                .iter::<Subnet>()
                .filter(|(r, s)| r.region == region && s.vpc_id == resource.id)
                .map(|(_, s)| s)
                .collect();
            let azs: BTreeSet<&str> = subnets
                .iter()
                .filter_map(|s| s.availability_zone.as_deref().or(s.availability_zone_id.as_deref()))
                .collect();
            let unplaced = subnets.len()
                - subnets.iter().filter(|s| s.availability_zone.is_some() || s.availability_zone_id.is_some()).count();
            let listed = inv.listing(ResourceKind::Ec2Subnet, region).complete(ResourceKind::Ec2Subnet, region);
            let names = azs.iter().copied().collect::<Vec<_>>().join(", ");
            let verdict = if azs.len() >= minimum {
                Verdict::Pass(format!("subnets span {} availability zones: {names}", azs.len()))
            } else if let Err(reason) = listed {
                Verdict::Unknown(reason)
            } else if unplaced > 0 {
                Verdict::Unknown(UnknownReason::new(
                    Cause::Malformed,
                    "ec2:DescribeSubnets",
                    format!("{unplaced} subnet(s) of the VPC have no availability zone in EC2's answer"),
                ))
            } else if subnets.is_empty() {
                Verdict::Fail(format!("the VPC has no subnet (at least {minimum} availability zones required)"))
            } else {
                Verdict::Fail(format!(
                    "subnets span {} availability zone(s) ({names}); at least {minimum} required",
                    azs.len()
                ))
            };
            out.verdict(resource, verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::DynCheck;
    use crate::checks::testing::*;
    use crate::checks::vpc::routing::fixtures::{subnet, vpc};
    use crate::finding::Status;
    use serde_json::json;

    fn message<'a>(findings: &'a [crate::finding::Finding], id: &str) -> &'a str {
        findings.iter().find(|f| f.resource.id == id).map(|f| f.message.as_str()).unwrap_or_default()
    }

    fn fixture() -> Inventory {
        let mut inv = inventory();
        inv.resources.extend([vpc("vpc-multi"), vpc("vpc-single"), vpc("vpc-empty")]);
        inv.resources.extend([
            subnet("subnet-1", "vpc-multi", "eu-west-1a"),
            subnet("subnet-2", "vpc-multi", "eu-west-1b"),
            subnet("subnet-3", "vpc-single", "eu-west-1a"),
            subnet("subnet-4", "vpc-single", "eu-west-1a"),
        ]);
        inv
    }

    #[test]
    fn pass_fail() {
        let findings = run(&VpcSubnetsMultiAz, &fixture());
        assert_eq!(
            statuses(&findings),
            vec![
                ("vpc-empty".into(), Status::Fail),
                ("vpc-multi".into(), Status::Pass),
                ("vpc-single".into(), Status::Fail),
            ]
        );
        assert_eq!(message(&findings, "vpc-multi"), "subnets span 2 availability zones: eu-west-1a, eu-west-1b");
        assert_eq!(
            message(&findings, "vpc-single"),
            "subnets span 1 availability zone(s) (eu-west-1a); at least 2 required"
        );
    }

    #[test]
    fn minimum_is_a_parameter() {
        let findings = run_with(&VpcSubnetsMultiAz, &fixture(), Some(json!({ "minimum_azs": 3 })));
        assert_eq!(statuses(&findings).iter().filter(|(_, s)| *s == Status::Fail).count(), 3);
        let findings = run_with(&VpcSubnetsMultiAz, &fixture(), Some(json!({ "minimum_azs": 1 })));
        assert_eq!(message(&findings, "vpc-single"), "subnets span 1 availability zones: eu-west-1a");
    }

    #[test]
    fn bad_minimum_is_rejected() {
        for bad in [json!({ "minimum_azs": 0 }), json!({ "minimum_azs": -2 })] {
            let err = VpcSubnetsMultiAz.validate_params(&bad).map(|_| String::new()).unwrap_or_else(|e| e.to_string());
            assert!(err.contains("minimum_azs"), "{err}");
        }
        assert!(VpcSubnetsMultiAz.validate_params(&json!({ "minimum_az": 2 })).is_err());
        assert!(VpcSubnetsMultiAz.validate_params(&json!({})).is_ok());
    }

    #[test]
    fn incomplete_subnet_listing_is_unknown_unless_already_enough() {
        let mut inv = fixture();
        fail_listing(&mut inv, ResourceKind::Ec2Subnet, REGION, denied("ec2:DescribeSubnets"));
        let findings = run(&VpcSubnetsMultiAz, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("vpc-empty".into(), Status::Unknown),
                ("vpc-multi".into(), Status::Pass),
                ("vpc-single".into(), Status::Unknown),
            ]
        );
        // A subnet EC2 reported without an AZ cannot be counted.
        let mut inv = fixture();
        inv.resources.push(resource("subnet-5", Subnet { vpc_id: "vpc-single".into(), ..Default::default() }));
        assert_eq!(
            statuses(&run(&VpcSubnetsMultiAz, &inv)).into_iter().find(|(id, _)| id == "vpc-single"),
            Some(("vpc-single".into(), Status::Unknown))
        );
    }

    #[test]
    fn failed_vpc_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Ec2Vpc, REGION, denied("ec2:DescribeVpcs"));
        let findings = run(&VpcSubnetsMultiAz, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
