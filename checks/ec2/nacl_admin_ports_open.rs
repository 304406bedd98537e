use super::super::prelude::*;
use ipnet::IpNet;

check! {
    /// ## What it does
    /// Flags network ACLs that let SSH (TCP 22) or RDP (TCP 3389) in from anywhere (`0.0.0.0/0` or `::/0`).
    /// Network ACL rules are evaluated in rule-number order and the first match decides, so for each port and
    /// address family the check walks the inbound rules from the lowest number and takes the first rule that
    /// covers the port (TCP with a range including it, or all protocols) for the whole internet: an `allow` fails
    /// the ACL, a `deny` (including the final `*` rule) settles that case. Rules for narrower ranges neither open
    /// the port to everyone nor shadow it for everyone, so they are skipped. Default ACLs are judged too: AWS
    /// creates them allowing all traffic.
    ///
    /// ## Why is this bad?
    /// A network ACL applies to every subnet it is associated with. Letting administration ports in from the
    /// internet at that layer removes the defence in depth it is meant to add: one permissive security group is
    /// then enough to expose SSH or RDP to the scanners and brute-force attempts that hit them within minutes.
    ///
    /// ## Remediation
    /// Deny the ports from anywhere with rules numbered below the allow rule (or remove the allow):
    /// ```sh
    /// aws ec2 create-network-acl-entry --network-acl-id acl-0123 --ingress --rule-number 10 --protocol tcp \
    ///   --port-range From=22,To=22 --cidr-block 0.0.0.0/0 --rule-action deny
    /// aws ec2 create-network-acl-entry --network-acl-id acl-0123 --ingress --rule-number 11 --protocol tcp \
    ///   --port-range From=3389,To=3389 --cidr-block 0.0.0.0/0 --rule-action deny
    /// ```
    /// CDK: `nacl.addEntry('DenySsh', { ruleNumber: 10, cidr: ec2.AclCidr.anyIpv4(), traffic:
    /// ec2.AclTraffic.tcpPort(22), direction: ec2.TrafficDirection.INGRESS, ruleAction: ec2.Action.DENY })`;
    /// CloudFormation: `AWS::EC2::NetworkAclEntry` with `RuleAction: deny`, `Protocol: 6`,
    /// `PortRange: { From: 22, To: 22 }`, `CidrBlock: 0.0.0.0/0`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
    /// - https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-21
    pub Ec2NaclAdminPortsOpen {
        id: "ec2_nacl_admin_ports_open",
        title: "Network ACLs do not allow SSH or RDP from anywhere",
        severity: Severity::Medium,
        service: "ec2",
        kinds: &[ResourceKind::Ec2NetworkAcl],
        scope: CheckScope::Resource,
        compliance: &[fsbp("EC2.21")],
    }
}

const ADMIN_PORTS: [i32; 2] = [22, 3389];

fn covers_tcp_port(entry: &NaclEntry, port: i32) -> bool {
    match entry.protocol.as_str() {
        "-1" | "all" => true,
        "6" | "tcp" => match (entry.port_from, entry.port_to) {
            (Some(from), Some(to)) => from <= port && port <= to,
            // A TCP rule without a range covers every port.
            _ => true,
        },
        _ => false,
    }
}

fn describe(entry: &NaclEntry) -> String {
    let action = if entry.allow { "allow" } else { "deny" };
    match (entry.protocol.as_str(), entry.port_from, entry.port_to) {
        ("-1" | "all", _, _) => format!("rule {} ({action} all traffic)", entry.rule_number),
        (_, Some(from), Some(to)) if from == to => format!("rule {} ({action} tcp/{from})", entry.rule_number),
        (_, Some(from), Some(to)) => format!("rule {} ({action} tcp/{from}-{to})", entry.rule_number),
        _ => format!("rule {} ({action} tcp/all)", entry.rule_number),
    }
}

fn judge(acl: &NetworkAcl) -> Verdict {
    let mut inbound: Vec<&NaclEntry> = acl.entries.iter().filter(|e| !e.egress).collect();
    inbound.sort_by_key(|e| e.rule_number);
    let mut malformed = Vec::new();
    let mut open = Vec::new();
    for (family, anywhere) in [("IPv4", "0.0.0.0/0"), ("IPv6", "::/0")] {
        for port in ADMIN_PORTS {
            let first = inbound.iter().find(|e| {
                let cidr = if family == "IPv4" { e.cidr_block.as_deref() } else { e.ipv6_cidr_block.as_deref() };
                let Some(cidr) = cidr else { return false };
                match cidr.trim().parse::<IpNet>() {
                    Ok(net) => net.prefix_len() == 0 && covers_tcp_port(e, port),
                    Err(_) => {
                        malformed.push(format!("rule {} ({cidr})", e.rule_number));
                        false
                    }
                }
            });
            if let Some(entry) = first.filter(|e| e.allow) {
                open.push(format!("tcp/{port} from {anywhere} by {}", describe(entry)));
            }
        }
    }
    if !open.is_empty() {
        Verdict::Fail(format!("inbound allowed: {}", open.join(", ")))
    } else if !malformed.is_empty() {
        malformed.dedup();
        Verdict::Unknown(UnknownReason::new(
            Cause::Malformed,
            "ec2:DescribeNetworkAcls",
            format!("unreadable CIDR in {}", malformed.join(", ")),
        ))
    } else {
        Verdict::Pass("SSH and RDP from anywhere are denied before any rule allows them".into())
    }
}

impl Check for Ec2NaclAdminPortsOpen {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, acl) in cx.inventory.iter::<NetworkAcl>() {
            out.verdict(resource, judge(acl));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn entry(number: i32, allow: bool, protocol: &str, ports: Option<(i32, i32)>, cidr: &str) -> NaclEntry {
        let v6 = cidr.contains(':');
        NaclEntry {
            rule_number: number,
            egress: false,
            protocol: protocol.into(),
            allow,
            cidr_block: (!v6).then(|| cidr.to_string()),
            ipv6_cidr_block: v6.then(|| cidr.to_string()),
            port_from: ports.map(|p| p.0),
            port_to: ports.map(|p| p.1),
        }
    }

    /// What AWS creates: allow everything, then the final deny.
    fn default_entries() -> Vec<NaclEntry> {
        vec![entry(100, true, "-1", None, "0.0.0.0/0"), entry(32767, false, "-1", None, "0.0.0.0/0")]
    }

    fn acl(entries: Vec<NaclEntry>) -> NetworkAcl {
        NetworkAcl { entries, ..Default::default() }
    }

    fn message<'a>(findings: &'a [crate::finding::Finding], id: &str) -> &'a str {
        findings.iter().find(|f| f.resource.id == id).map(|f| f.message.as_str()).unwrap_or_default()
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        inv.resources.push(resource("acl-default", acl(default_entries())));
        // Deny rules below the allow-all shadow it for both ports.
        let mut hardened = vec![
            entry(10, false, "6", Some((22, 22)), "0.0.0.0/0"),
            entry(11, false, "6", Some((3389, 3389)), "0.0.0.0/0"),
        ];
        hardened.extend(default_entries());
        inv.resources.push(resource("acl-hardened", acl(hardened)));
        // Only SSH denied: RDP stays open through the allow-all.
        let mut half = vec![entry(10, false, "6", Some((22, 22)), "0.0.0.0/0")];
        half.extend(default_entries());
        inv.resources.push(resource("acl-half", acl(half)));
        // A deny for a narrower range does not shadow the allow for everyone.
        let narrow =
            vec![entry(10, false, "-1", None, "203.0.113.0/24"), entry(20, true, "6", Some((0, 1024)), "0.0.0.0/0")];
        inv.resources.push(resource("acl-narrow-deny", acl(narrow)));
        // An allow for a narrower range is not "from anywhere"; the deny that follows settles the rest.
        let bastion = vec![
            entry(10, true, "6", Some((22, 22)), "10.0.1.0/24"),
            entry(20, true, "6", Some((443, 443)), "0.0.0.0/0"),
        ];
        inv.resources.push(resource("acl-bastion", acl(bastion)));
        // A deny numbered after the allow shadows nothing.
        let late = vec![
            entry(100, true, "6", Some((22, 22)), "0.0.0.0/0"),
            entry(200, false, "6", Some((22, 22)), "0.0.0.0/0"),
        ];
        inv.resources.push(resource("acl-late-deny", acl(late)));
        inv.resources.push(resource("acl-v6", acl(vec![entry(100, true, "-1", None, "::/0")])));
        // Egress rules are not about inbound administration.
        let mut egress = entry(100, true, "-1", None, "0.0.0.0/0");
        egress.egress = true;
        inv.resources.push(resource("acl-egress", acl(vec![egress])));
        inv.resources.push(resource("acl-bad", acl(vec![entry(100, true, "-1", None, "0.0.0.0/33")])));
        let findings = run(&Ec2NaclAdminPortsOpen, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("acl-bad".into(), Status::Unknown),
                ("acl-bastion".into(), Status::Pass),
                ("acl-default".into(), Status::Fail),
                ("acl-egress".into(), Status::Pass),
                ("acl-half".into(), Status::Fail),
                ("acl-hardened".into(), Status::Pass),
                ("acl-late-deny".into(), Status::Fail),
                ("acl-narrow-deny".into(), Status::Fail),
                ("acl-v6".into(), Status::Fail),
            ]
        );
        assert_eq!(
            message(&findings, "acl-default"),
            "inbound allowed: tcp/22 from 0.0.0.0/0 by rule 100 (allow all traffic), \
             tcp/3389 from 0.0.0.0/0 by rule 100 (allow all traffic)"
        );
        assert_eq!(
            message(&findings, "acl-half"),
            "inbound allowed: tcp/3389 from 0.0.0.0/0 by rule 100 (allow all traffic)"
        );
        assert_eq!(
            message(&findings, "acl-narrow-deny"),
            "inbound allowed: tcp/22 from 0.0.0.0/0 by rule 20 (allow tcp/0-1024)"
        );
        assert!(message(&findings, "acl-v6").contains("tcp/22 from ::/0"));
    }

    #[test]
    fn failed_nacl_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Ec2NetworkAcl, REGION, denied("ec2:DescribeNetworkAcls"));
        assert_eq!(statuses(&run(&Ec2NaclAdminPortsOpen, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
