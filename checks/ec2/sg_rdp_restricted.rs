use super::super::prelude::*;
use super::admin_port::{self, AdminPortParams};

check! {
    /// ## What it does
    /// Flags security groups with an ingress rule that lets TCP port 3389 (RDP) in from an address range that
    /// is not one of the allowed ranges. Rules that cover port 3389 through a port range or "all traffic" count
    /// too. A source passes only when it lies inside (or equals) an allowed CIDR. `0.0.0.0/0` and `::/0` always
    /// fail, even when listed as allowed. Sources that are security groups or prefix lists are not judged: they
    /// do not open the port to an address range. One finding per security group, naming every offending source.
    ///
    /// ## Why is this bad?
    /// RDP exposed to wide address ranges is a leading ransomware entry point: it is scanned continuously,
    /// brute-forced, and has had pre-authentication remote code execution bugs (BlueKeep). Administrative
    /// access should come from a bastion or VPN range, or through SSM Session Manager / Fleet Manager.
    ///
    /// ## Remediation
    /// ```sh
    /// aws ec2 revoke-security-group-ingress --group-id sg-0123 --protocol tcp --port 3389 --cidr 0.0.0.0/0
    /// aws ec2 authorize-security-group-ingress --group-id sg-0123 --protocol tcp --port 3389 --cidr 10.0.1.0/24
    /// ```
    /// CDK: `sg.addIngressRule(ec2.Peer.ipv4('10.0.1.0/24'), ec2.Port.tcp(3389))` instead of
    /// `ec2.Peer.anyIpv4()`; CloudFormation: `SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 3389,
    /// ToPort: 3389, CidrIp: 10.0.1.0/24 }]`.
    ///
    /// ## Parameters
    /// - `allowed_cidrs` (list of CIDRs, default empty): source ranges RDP may be open to, e.g.
    ///   `["10.0.1.0/24"]` for a bastion subnet. A single address is written `10.0.1.5/32`. Listing `0.0.0.0/0`
    ///   or `::/0` does not allow them.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-14
    /// - https://docs.aws.amazon.com/systems-manager/latest/userguide/fleet-manager-remote-desktop-connections.html
    pub Ec2SgRdpRestricted {
        id: "ec2_sg_rdp_restricted",
        title: "Security groups do not allow RDP from unapproved address ranges",
        severity: Severity::High,
        service: "ec2",
        kinds: &[ResourceKind::Ec2SecurityGroup],
        scope: CheckScope::Resource,
        compliance: &[cis("5.3"), cis("5.4"), fsbp("EC2.14")],
    }
}

impl Check for Ec2SgRdpRestricted {
    type Params = AdminPortParams;

    fn run(&self, cx: &Context<'_>, params: &AdminPortParams, out: &mut Findings<'_>) {
        admin_port::run(3389, cx, params, out);
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

    fn rdp_from(cidr: &str) -> SgRule {
        ingress("tcp", 3389, 3389, RuleSource::Cidr(cidr.into()))
    }

    fn group(rules: Vec<SgRule>) -> SecurityGroup {
        SecurityGroup { group_name: "win".into(), ingress: rules, ..Default::default() }
    }

    #[test]
    fn rdp_only_from_the_bastion_subnet_passes() {
        let mut inv = inventory();
        inv.resources.push(resource("sg-bastion", group(vec![rdp_from("10.0.1.0/24")])));
        inv.resources.push(resource("sg-vpc", group(vec![rdp_from("10.0.0.0/16")])));
        let findings = run_with(&Ec2SgRdpRestricted, &inv, Some(json!({ "allowed_cidrs": ["10.0.1.0/24"] })));
        assert_eq!(statuses(&findings), vec![("sg-bastion".into(), Status::Pass), ("sg-vpc".into(), Status::Fail)]);
        let vpc = findings.iter().find(|f| f.resource.id == "sg-vpc").map(|f| f.message.as_str());
        assert_eq!(vpc, Some("tcp/3389 open to 10.0.0.0/16 (allowed: 10.0.1.0/24)"));
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        inv.resources
            .push(resource("sg-ssh", group(vec![ingress("tcp", 22, 22, RuleSource::Cidr("0.0.0.0/0".into()))])));
        inv.resources
            .push(resource("sg-udp", group(vec![ingress("udp", 3389, 3389, RuleSource::Cidr("0.0.0.0/0".into()))])));
        inv.resources.push(resource("sg-world", group(vec![rdp_from("0.0.0.0/0")])));
        inv.resources
            .push(resource("sg-all", group(vec![ingress("-1", -1, -1, RuleSource::Cidr("10.0.0.0/8".into()))])));
        inv.resources.push(resource("sg-bad", group(vec![rdp_from("10.0.0.0/99")])));
        let findings = run_with(&Ec2SgRdpRestricted, &inv, Some(json!({ "allowed_cidrs": ["0.0.0.0/0"] })));
        assert_eq!(
            statuses(&findings),
            vec![
                ("sg-all".into(), Status::Pass),
                ("sg-bad".into(), Status::Unknown),
                ("sg-ssh".into(), Status::Pass),
                ("sg-udp".into(), Status::Pass),
                ("sg-world".into(), Status::Fail),
            ]
        );
    }

    #[test]
    fn bad_cidr_parameter_is_rejected() {
        let err = Ec2SgRdpRestricted.validate_params(&json!({ "allowed_cidrs": ["bastion"] }));
        let detail = err.map(|_| String::new()).unwrap_or_else(|e| e.to_string());
        assert!(detail.contains("allowed_cidrs") && detail.contains("bastion"), "{detail}");
    }
}
