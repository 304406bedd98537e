use super::super::prelude::*;
use super::admin_port::{self, AdminPortParams};

check! {
    /// ## What it does
    /// Flags security groups with an ingress rule that lets TCP port 22 (SSH) in from an address range that is
    /// not one of the allowed ranges. Rules that cover port 22 through a port range or "all traffic" count too.
    /// A source passes only when it lies inside (or equals) an allowed CIDR. `0.0.0.0/0` and `::/0` always fail,
    /// even when listed as allowed. Sources that are security groups or prefix lists are not judged: they do not
    /// open the port to an address range. One finding per security group, naming every offending source.
    ///
    /// ## Why is this bad?
    /// SSH reachable from wide address ranges is scanned and brute-forced within minutes of exposure, and any
    /// vulnerability in the SSH daemon becomes remotely exploitable. Administrative access should come from a
    /// bastion or VPN range, or better through SSM Session Manager with no inbound port at all.
    ///
    /// ## Remediation
    /// ```sh
    /// aws ec2 revoke-security-group-ingress --group-id sg-0123 --protocol tcp --port 22 --cidr 0.0.0.0/0
    /// aws ec2 authorize-security-group-ingress --group-id sg-0123 --protocol tcp --port 22 --cidr 10.0.1.0/24
    /// ```
    /// CDK: `sg.addIngressRule(ec2.Peer.ipv4('10.0.1.0/24'), ec2.Port.tcp(22))` instead of
    /// `ec2.Peer.anyIpv4()`; CloudFormation: `SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 22,
    /// ToPort: 22, CidrIp: 10.0.1.0/24 }]`. Prefer SSM Session Manager and remove the rule.
    ///
    /// ## Parameters
    /// - `allowed_cidrs` (list of CIDRs, default empty): source ranges SSH may be open to, e.g.
    ///   `["10.0.1.0/24"]` for a bastion subnet. A single address is written `10.0.1.5/32`. Listing `0.0.0.0/0`
    ///   or `::/0` does not allow them.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13
    /// - https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html
    pub Ec2SgSshRestricted {
        id: "ec2_sg_ssh_restricted",
        title: "Security groups do not allow SSH from unapproved address ranges",
        severity: Severity::High,
        service: "ec2",
        kinds: &[ResourceKind::Ec2SecurityGroup],
        scope: CheckScope::Resource,
        compliance: &[cis("5.3"), cis("5.4"), fsbp("EC2.13")],
    }
}

impl Check for Ec2SgSshRestricted {
    type Params = AdminPortParams;

    fn run(&self, cx: &Context<'_>, params: &AdminPortParams, out: &mut Findings<'_>) {
        admin_port::run(22, cx, params, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::DynCheck;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use serde_json::json;

    fn ingress(protocol: &str, from: i32, to: i32, source: RuleSource) -> SgRule {
        SgRule { protocol: protocol.into(), from_port: Some(from), to_port: Some(to), source, description: None }
    }

    fn ssh_from(cidr: &str) -> SgRule {
        ingress("tcp", 22, 22, RuleSource::Cidr(cidr.into()))
    }

    fn group(rules: Vec<SgRule>) -> SecurityGroup {
        SecurityGroup { group_name: "app".into(), ingress: rules, ..Default::default() }
    }

    fn message<'a>(findings: &'a [crate::finding::Finding], id: &str) -> &'a str {
        findings.iter().find(|f| f.resource.id == id).map(|f| f.message.as_str()).unwrap_or_default()
    }

    #[test]
    fn ssh_only_from_the_bastion_subnet_passes() {
        let mut inv = inventory();
        inv.resources.push(resource("sg-bastion", group(vec![ssh_from("10.0.1.0/24")])));
        inv.resources.push(resource("sg-host", group(vec![ssh_from("10.0.1.5/32")])));
        inv.resources.push(resource("sg-vpc", group(vec![ssh_from("10.0.0.0/16")])));
        let findings = run_with(&Ec2SgSshRestricted, &inv, Some(json!({ "allowed_cidrs": ["10.0.1.0/24"] })));
        assert_eq!(
            statuses(&findings),
            vec![
                ("sg-bastion".into(), Status::Pass),
                ("sg-host".into(), Status::Pass),
                ("sg-vpc".into(), Status::Fail)
            ]
        );
        assert_eq!(message(&findings, "sg-vpc"), "tcp/22 open to 10.0.0.0/16 (allowed: 10.0.1.0/24)");
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        inv.resources
            .push(resource("sg-closed", group(vec![ingress("tcp", 443, 443, RuleSource::Cidr("0.0.0.0/0".into()))])));
        inv.resources
            .push(resource("sg-peer", group(vec![ingress("tcp", 22, 22, RuleSource::SecurityGroup("sg-1".into()))])));
        inv.resources
            .push(resource("sg-pl", group(vec![ingress("-1", -1, -1, RuleSource::PrefixList("pl-1".into()))])));
        inv.resources.push(resource("sg-world", group(vec![ssh_from("0.0.0.0/0"), ssh_from("10.0.1.0/24")])));
        inv.resources.push(resource("sg-all", group(vec![ingress("-1", -1, -1, RuleSource::Ipv6Cidr("::/0".into()))])));
        inv.resources
            .push(resource("sg-range", group(vec![ingress("tcp", 0, 1024, RuleSource::Cidr("10.9.0.0/16".into()))])));
        inv.resources.push(resource("sg-bad", group(vec![ssh_from("not-a-cidr")])));
        let findings = run(&Ec2SgSshRestricted, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("sg-all".into(), Status::Fail),
                ("sg-bad".into(), Status::Unknown),
                ("sg-closed".into(), Status::Pass),
                ("sg-peer".into(), Status::Pass),
                ("sg-pl".into(), Status::Pass),
                ("sg-range".into(), Status::Fail),
                ("sg-world".into(), Status::Fail),
            ]
        );
        // One finding per group, naming every offending source.
        assert_eq!(
            message(&findings, "sg-world"),
            "tcp/22 open to 0.0.0.0/0 (anywhere, never allowed), 10.0.1.0/24 (allowed: none)"
        );
        assert!(message(&findings, "sg-all").contains("::/0 (anywhere, never allowed) via all traffic"));
        assert!(message(&findings, "sg-range").contains("10.9.0.0/16 via tcp/0-1024"));
        let bad = findings.iter().find(|f| f.resource.id == "sg-bad");
        assert!(bad.and_then(|f| f.unknown_reason.as_ref()).is_some_and(|r| r.cause == Cause::Malformed));
    }

    #[test]
    fn the_whole_internet_fails_even_when_listed() {
        let mut inv = inventory();
        inv.resources.push(resource("sg-world", group(vec![ssh_from("0.0.0.0/0")])));
        inv.resources
            .push(resource("sg-world6", group(vec![ingress("tcp", 22, 22, RuleSource::Ipv6Cidr("::/0".into()))])));
        let params = json!({ "allowed_cidrs": ["0.0.0.0/0", "::/0"] });
        let findings = run_with(&Ec2SgSshRestricted, &inv, Some(params));
        assert_eq!(statuses(&findings), vec![("sg-world".into(), Status::Fail), ("sg-world6".into(), Status::Fail)]);
    }

    #[test]
    fn ipv6_sources_are_matched_against_ipv6_ranges() {
        let mut inv = inventory();
        inv.resources.push(resource(
            "sg-v6",
            group(vec![ingress("tcp", 22, 22, RuleSource::Ipv6Cidr("2001:db8:1::/48".into()))]),
        ));
        let allowed = Some(json!({ "allowed_cidrs": ["2001:db8::/32"] }));
        assert_eq!(statuses(&run_with(&Ec2SgSshRestricted, &inv, allowed)), vec![("sg-v6".into(), Status::Pass)]);
        let v4_only = Some(json!({ "allowed_cidrs": ["10.0.0.0/8"] }));
        assert_eq!(statuses(&run_with(&Ec2SgSshRestricted, &inv, v4_only)), vec![("sg-v6".into(), Status::Fail)]);
    }

    #[test]
    fn bad_cidr_parameter_is_rejected() {
        let err = Ec2SgSshRestricted.validate_params(&json!({ "allowed_cidrs": ["10.0.1.0/24", "10.0.1.0/33"] }));
        let detail = err.map(|_| String::new()).unwrap_or_else(|e| e.to_string());
        assert!(detail.contains("ec2_sg_ssh_restricted") && detail.contains("allowed_cidrs"), "{detail}");
        assert!(detail.contains("10.0.1.0/33"), "{detail}");
        assert!(Ec2SgSshRestricted.validate_params(&json!({ "allowed_cidr": [] })).is_err());
        assert!(Ec2SgSshRestricted.validate_params(&json!({ "allowed_cidrs": ["192.168.0.0/16"] })).is_ok());
    }

    #[test]
    fn failed_security_group_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Ec2SecurityGroup, REGION, denied("ec2:DescribeSecurityGroups"));
        let findings = run(&Ec2SgSshRestricted, &inv);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].status, Status::Unknown);
    }
}
