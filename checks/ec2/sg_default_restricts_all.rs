use super::super::prelude::*;
use super::admin_port::{describe_rule, describe_source};

check! {
    /// ## What it does
    /// Flags every VPC's default security group (the group named `default`) that has any inbound or outbound
    /// rule. Other security groups get no finding from this check.
    ///
    /// ## Why is this bad?
    /// Resources launched without an explicit security group land in the default group. Its stock rules let
    /// every member talk to every other member and reach anywhere outbound, so an instance or ENI created by
    /// mistake joins a flat network. With no rules the default group isolates such resources, and forces
    /// every workload to use a purpose-built group.
    ///
    /// ## Remediation
    /// ```sh
    /// aws ec2 revoke-security-group-ingress --group-id sg-DEFAULT \
    ///   --ip-permissions '[{"IpProtocol":"-1","UserIdGroupPairs":[{"GroupId":"sg-DEFAULT"}]}]'
    /// aws ec2 revoke-security-group-egress --group-id sg-DEFAULT \
    ///   --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'
    /// ```
    /// CDK: `new ec2.Vpc(this, 'V', { restrictDefaultSecurityGroup: true })` (the default for new VPCs since
    /// CDK 2.78); CloudFormation has no property for it, so use the CDK custom resource or revoke the rules
    /// once after creating the VPC. Move any workload still using the default group to its own group first.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-2
    pub Ec2SgDefaultRestrictsAll {
        id: "ec2_sg_default_restricts_all",
        title: "Default security groups have no inbound or outbound rules",
        severity: Severity::Medium,
        service: "ec2",
        kinds: &[ResourceKind::Ec2SecurityGroup],
        scope: CheckScope::Resource,
        compliance: &[fsbp("EC2.2"), cis("5.5")],
    }
}

impl Check for Ec2SgDefaultRestrictsAll {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, group) in cx.inventory.iter::<SecurityGroup>().filter(|(_, g)| g.group_name == "default") {
            if group.ingress.is_empty() && group.egress.is_empty() {
                out.pass(resource, "the default security group has no rules");
                continue;
            }
            let rules: Vec<String> = group
                .ingress
                .iter()
                .map(|r| format!("inbound {} from {}", describe_rule(r), describe_source(&r.source)))
                .chain(
                    group
                        .egress
                        .iter()
                        .map(|r| format!("outbound {} to {}", describe_rule(r), describe_source(&r.source))),
                )
                .collect();
            out.fail(resource, format!("the default security group has rules: {}", rules.join(", ")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn all_traffic(source: RuleSource) -> SgRule {
        SgRule { protocol: "-1".into(), source, ..Default::default() }
    }

    fn group(name: &str, ingress: Vec<SgRule>, egress: Vec<SgRule>) -> SecurityGroup {
        SecurityGroup { group_name: name.into(), vpc_id: Some("vpc-1".into()), ingress, egress, ..Default::default() }
    }

    #[test]
    fn pass_fail() {
        let mut inv = inventory();
        inv.resources.push(resource("sg-empty", group("default", vec![], vec![])));
        let stock = group(
            "default",
            vec![all_traffic(RuleSource::SecurityGroup("sg-stock".into()))],
            vec![all_traffic(RuleSource::Cidr("0.0.0.0/0".into()))],
        );
        inv.resources.push(resource("sg-stock", stock));
        inv.resources.push(resource(
            "sg-egress",
            group("default", vec![], vec![all_traffic(RuleSource::Cidr("0.0.0.0/0".into()))]),
        ));
        // Only default groups are judged.
        inv.resources
            .push(resource("sg-app", group("app", vec![all_traffic(RuleSource::Cidr("0.0.0.0/0".into()))], vec![])));
        let findings = run(&Ec2SgDefaultRestrictsAll, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("sg-egress".into(), Status::Fail),
                ("sg-empty".into(), Status::Pass),
                ("sg-stock".into(), Status::Fail)
            ]
        );
        let stock = findings.iter().find(|f| f.resource.id == "sg-stock").map(|f| f.message.as_str());
        assert_eq!(
            stock,
            Some(
                "the default security group has rules: inbound all traffic from sg-stock, outbound all traffic to 0.0.0.0/0"
            )
        );
    }

    #[test]
    fn failed_security_group_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Ec2SecurityGroup, REGION, denied("ec2:DescribeSecurityGroups"));
        let findings = run(&Ec2SgDefaultRestrictsAll, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
