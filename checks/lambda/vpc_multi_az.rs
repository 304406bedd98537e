use super::super::prelude::*;
use std::collections::BTreeSet;

check! {
    /// ## What it does
    /// Flags VPC-attached Lambda functions whose subnets are all in one Availability Zone. The zones come from
    /// the EC2 subnet inventory of the function's region; a subnet missing from it makes the finding UNKNOWN
    /// unless the subnets that were found already span two zones. Functions not attached to a VPC get no finding:
    /// Lambda runs them in several zones itself.
    ///
    /// ## Why is this bad?
    /// A function attached to a VPC can only run where its subnets are. With every subnet in one zone, an outage of
    /// that zone (or running out of addresses in its subnets) stops the function entirely, while the same
    /// function spread over two zones keeps serving.
    ///
    /// ## Remediation
    /// Attach subnets in at least two Availability Zones:
    /// ```sh
    /// aws lambda update-function-configuration --function-name FUNCTION \
    ///   --vpc-config SubnetIds=subnet-AAAA,subnet-BBBB,SecurityGroupIds=sg-CCCC
    /// ```
    /// CDK: `new lambda.Function(this, 'F', { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    /// ... })` on a VPC with `maxAzs: 2` or more; CloudFormation: `VpcConfig.SubnetIds` listing subnets in different
    /// zones.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
    /// - https://docs.aws.amazon.com/config/latest/developerguide/lambda-vpc-multi-az-check.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-5
    pub LambdaVpcMultiAz {
        id: "lambda_vpc_multi_az",
        title: "VPC-attached Lambda functions use subnets in at least two Availability Zones",
        severity: Severity::Medium,
        service: "lambda",
        kinds: &[ResourceKind::LambdaFunction, ResourceKind::Ec2Subnet],
        scope: CheckScope::Resource,
        compliance: &[fsbp("Lambda.5")],
    }
}

/// The zone of one subnet, or why it is not known.
fn zone(inventory: &Inventory, region: &str, subnet_id: &str) -> Result<String, UnknownReason> {
    let kind = ResourceKind::Ec2Subnet;
    match inventory.find::<Subnet>(region, subnet_id) {
        Some((_, subnet)) => {
            subnet.availability_zone.clone().or_else(|| subnet.availability_zone_id.clone()).ok_or_else(|| {
                UnknownReason::new(Cause::Malformed, "ec2:DescribeSubnets", format!("subnet {subnet_id} has no zone"))
            })
        }
        None => {
            // A failed or skipped subnet listing is the better reason: it names what to fix.
            inventory.listing(kind, region).complete(kind, region)?;
            Err(UnknownReason::new(
                Cause::Dependency,
                "ec2:DescribeSubnets",
                format!("subnet {subnet_id} is not in the {region} subnet inventory"),
            ))
        }
    }
}

fn judge(inventory: &Inventory, region: &str, subnet_ids: &[String]) -> Verdict {
    let mut zones = BTreeSet::new();
    let mut missing = None;
    for id in subnet_ids {
        match zone(inventory, region, id) {
            Ok(z) => {
                zones.insert(z);
            }
            Err(reason) => missing = missing.or(Some(reason)),
        }
    }
    let list = zones.iter().cloned().collect::<Vec<_>>().join(", ");
    match (zones.len(), missing) {
        // Unresolved subnets can only add zones.
        (n, _) if n >= 2 => Verdict::Pass(format!("subnets span {n} Availability Zones: {list}")),
        (_, Some(reason)) => Verdict::Unknown(reason),
        (0, None) => Verdict::Fail("the function is attached to a VPC without subnets".into()),
        (_, None) => Verdict::Fail(format!("every subnet is in one Availability Zone: {list}")),
    }
}

impl Check for LambdaVpcMultiAz {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, function) in cx.inventory.iter::<LambdaFunction>() {
            let Some(vpc) = &function.vpc else { continue };
            out.verdict(resource, judge(cx.inventory, &resource.region, &vpc.subnet_ids));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn in_subnets(ids: &[&str]) -> LambdaFunction {
        LambdaFunction {
            vpc: Some(LambdaVpcConfig {
                vpc_id: Some("vpc-1".into()),
                subnet_ids: ids.iter().map(|s| s.to_string()).collect(),
                security_group_ids: vec!["sg-1".into()],
            }),
            policy: Field::Absent,
            ..Default::default()
        }
    }

    fn subnet(az: &str) -> Subnet {
        Subnet { vpc_id: "vpc-1".into(), availability_zone: Some(az.into()), ..Default::default() }
    }

    fn with_subnets() -> Inventory {
        let mut inv = inventory();
        inv.resources.push(resource("subnet-a", subnet("eu-west-1a")));
        inv.resources.push(resource("subnet-a2", subnet("eu-west-1a")));
        inv.resources.push(resource("subnet-b", subnet("eu-west-1b")));
        inv
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = with_subnets();
        inv.resources.push(resource("two-zones", in_subnets(&["subnet-a", "subnet-b"])));
        inv.resources.push(resource("one-zone", in_subnets(&["subnet-a", "subnet-a2"])));
        inv.resources.push(resource("missing-subnet", in_subnets(&["subnet-a", "subnet-gone"])));
        inv.resources.push(resource("two-zones-and-missing", in_subnets(&["subnet-a", "subnet-b", "subnet-gone"])));
        inv.resources.push(resource("no-vpc", LambdaFunction { policy: Field::Absent, ..Default::default() }));
        let findings = run(&LambdaVpcMultiAz, &inv);
        let s = |id: &str, st| (id.to_string(), st);
        assert_eq!(
            statuses(&findings),
            vec![
                s("missing-subnet", Status::Unknown),
                s("one-zone", Status::Fail),
                s("two-zones", Status::Pass),
                s("two-zones-and-missing", Status::Pass),
            ]
        );
        let one = findings.iter().find(|f| f.resource.id == "one-zone").map(|f| f.message.as_str());
        assert_eq!(one, Some("every subnet is in one Availability Zone: eu-west-1a"));
        let missing = findings.iter().find(|f| f.resource.id == "missing-subnet").map(|f| f.message.clone());
        assert!(missing.unwrap_or_default().contains("subnet-gone"));
    }

    #[test]
    fn failed_subnet_listing_makes_unresolved_subnets_unknown() {
        let mut inv = with_subnets();
        fail_listing(&mut inv, ResourceKind::Ec2Subnet, REGION, denied("ec2:DescribeSubnets"));
        inv.resources.push(resource("f", in_subnets(&["subnet-a", "subnet-gone"])));
        let findings = run(&LambdaVpcMultiAz, &inv);
        assert_eq!(statuses(&findings), vec![("f".into(), Status::Unknown)]);
        assert!(findings[0].message.contains("ec2:DescribeSubnets"), "{}", findings[0].message);
        assert!(findings[0].message.contains("access denied"), "{}", findings[0].message);
    }

    #[test]
    fn failed_function_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::LambdaFunction, REGION, denied("lambda:ListFunctions"));
        assert_eq!(statuses(&run(&LambdaVpcMultiAz, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
