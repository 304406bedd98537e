use super::super::prelude::*;
use super::admin_port::describe_source;

check! {
    /// ## What it does
    /// Flags security groups with an ingress rule that allows all traffic (protocol `-1`: every protocol and
    /// every port) from anywhere, `0.0.0.0/0` or `::/0`. Rules from other security groups, prefix lists or
    /// narrower ranges are not judged here.
    ///
    /// ## Why is this bad?
    /// Such a rule exposes every listening service of every attached resource to the whole internet: databases,
    /// caches, admin consoles, debug ports. Any one of them with a weak password or an unpatched bug is then
    /// reachable by every scanner. Open only the ports a workload serves, to the sources that need them.
    ///
    /// ## Remediation
    /// ```sh
    /// aws ec2 revoke-security-group-ingress --group-id sg-0123 --ip-permissions \
    ///   'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]'
    /// aws ec2 revoke-security-group-ingress --group-id sg-0123 --ip-permissions \
    ///   'IpProtocol=-1,Ipv6Ranges=[{CidrIpv6=::/0}]'
    /// aws ec2 authorize-security-group-ingress --group-id sg-0123 --protocol tcp --port 443 --cidr 0.0.0.0/0
    /// ```
    /// CDK: replace `sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.allTraffic())` with specific ports
    /// (`ec2.Port.tcp(443)`); CloudFormation: replace `IpProtocol: -1` with `IpProtocol: tcp` and
    /// `FromPort`/`ToPort` in `SecurityGroupIngress`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
    /// - https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-rules-reference.html
    pub Ec2SgAllPortsOpen {
        id: "ec2_sg_all_ports_open",
        title: "Security groups do not allow all traffic from the internet",
        severity: Severity::High,
        service: "ec2",
        kinds: &[ResourceKind::Ec2SecurityGroup],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

fn is_anywhere(source: &RuleSource) -> bool {
    match source {
        RuleSource::Cidr(c) => c.trim() == "0.0.0.0/0",
        RuleSource::Ipv6Cidr(c) => c.trim() == "::/0",
        _ => false,
    }
}

fn judge(group: &SecurityGroup) -> Verdict {
    let open: Vec<&str> = group
        .ingress
        .iter()
        .filter(|r| matches!(r.protocol.as_str(), "-1" | "all") && is_anywhere(&r.source))
        .map(|r| describe_source(&r.source))
        .collect();
    if open.is_empty() {
        Verdict::Pass("no ingress rule allows all traffic from anywhere".into())
    } else {
        Verdict::Fail(format!("an ingress rule allows all traffic (all protocols and ports) from {}", open.join(", ")))
    }
}

impl Check for Ec2SgAllPortsOpen {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, group) in cx.inventory.iter::<SecurityGroup>() {
            out.verdict(resource, judge(group));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn rule(protocol: &str, source: RuleSource) -> SgRule {
        SgRule { protocol: protocol.into(), source, ..Default::default() }
    }

    fn group(ingress: Vec<SgRule>) -> SecurityGroup {
        SecurityGroup { group_name: "g".into(), ingress, ..Default::default() }
    }

    #[test]
    fn pass_fail() {
        let mut inv = inventory();
        inv.resources.push(resource("sg-v4", group(vec![rule("-1", RuleSource::Cidr("0.0.0.0/0".into()))])));
        inv.resources.push(resource(
            "sg-v6",
            group(vec![
                rule("-1", RuleSource::Ipv6Cidr("::/0".into())),
                rule("-1", RuleSource::Cidr("0.0.0.0/0".into())),
            ]),
        ));
        let https =
            SgRule { from_port: Some(443), to_port: Some(443), ..rule("tcp", RuleSource::Cidr("0.0.0.0/0".into())) };
        inv.resources.push(resource("sg-https", group(vec![https])));
        inv.resources.push(resource("sg-internal", group(vec![rule("-1", RuleSource::Cidr("10.0.0.0/8".into()))])));
        inv.resources.push(resource("sg-peer", group(vec![rule("-1", RuleSource::SecurityGroup("sg-1".into()))])));
        inv.resources.push(resource("sg-empty", group(vec![])));
        let findings = run(&Ec2SgAllPortsOpen, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("sg-empty".into(), Status::Pass),
                ("sg-https".into(), Status::Pass),
                ("sg-internal".into(), Status::Pass),
                ("sg-peer".into(), Status::Pass),
                ("sg-v4".into(), Status::Fail),
                ("sg-v6".into(), Status::Fail),
            ]
        );
        let v6 = findings.iter().find(|f| f.resource.id == "sg-v6").map(|f| f.message.as_str());
        assert_eq!(v6, Some("an ingress rule allows all traffic (all protocols and ports) from ::/0, 0.0.0.0/0"));
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Ec2SecurityGroup, REGION, denied("ec2:DescribeSecurityGroups"));
        let findings = run(&Ec2SgAllPortsOpen, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
