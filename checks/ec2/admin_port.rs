//! Shared logic of the "administration port open to a network range" checks (SSH, RDP): the parameters, the
//! judgement of one security group, and the wording of rules in messages.

use super::super::prelude::*;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};

/// Parameters of an admin-port check.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AdminPortParams {
    /// Source ranges (IPv4 or IPv6 CIDRs) the port may be open to, e.g. a bastion subnet or a VPN range.
    pub allowed_cidrs: Vec<String>,
}

// Written out (not derived), as for every check's parameters, so the default is visible: nothing is allowed.
#[allow(clippy::derivable_impls)]
impl Default for AdminPortParams {
    fn default() -> Self {
        AdminPortParams { allowed_cidrs: Vec::new() }
    }
}

impl CheckParams for AdminPortParams {
    fn validate(&self) -> Result<(), String> {
        for cidr in &self.allowed_cidrs {
            parse_cidr(cidr).map_err(|e| {
                format!("allowed_cidrs: {cidr:?} is not a CIDR ({e}); write a single address as 10.0.1.5/32")
            })?;
        }
        Ok(())
    }
}

impl AdminPortParams {
    /// The allowed ranges. Values were validated when the parameters were read, so none is dropped here.
    fn networks(&self) -> Vec<IpNet> {
        self.allowed_cidrs.iter().filter_map(|c| parse_cidr(c).ok()).collect()
    }
}

fn parse_cidr(text: &str) -> Result<IpNet, ipnet::AddrParseError> {
    text.trim().parse::<IpNet>()
}

/// Judges every security group's ingress rules for TCP `port` (one finding per group).
pub fn run(port: i32, cx: &Context<'_>, params: &AdminPortParams, out: &mut Findings<'_>) {
    let allowed = params.networks();
    let allowed_text =
        if params.allowed_cidrs.is_empty() { "none".to_string() } else { params.allowed_cidrs.join(", ") };
    for (resource, group) in cx.inventory.iter::<SecurityGroup>() {
        out.verdict(resource, judge(port, group, &allowed, &allowed_text));
    }
}

fn judge(port: i32, group: &SecurityGroup, allowed: &[IpNet], allowed_text: &str) -> Verdict {
    let mut offending = Vec::new();
    let mut permitted = Vec::new();
    let mut malformed = Vec::new();
    for rule in group.ingress.iter().filter(|r| r.allows_tcp_port(port)) {
        // Security group and prefix list sources do not open the port to an address range of their own.
        let (RuleSource::Cidr(cidr) | RuleSource::Ipv6Cidr(cidr)) = &rule.source else {
            continue;
        };
        let Ok(source) = parse_cidr(cidr) else {
            malformed.push(cidr.as_str());
            continue;
        };
        let via = if is_exactly_tcp_port(rule, port) { String::new() } else { format!(" via {}", describe_rule(rule)) };
        if source.prefix_len() == 0 {
            // The whole internet is never acceptable for an admin port, even when it is listed as allowed.
            offending.push(format!("{cidr} (anywhere, never allowed){via}"));
        } else if allowed.iter().any(|net| net.contains(&source)) {
            permitted.push(cidr.as_str());
        } else {
            offending.push(format!("{cidr}{via}"));
        }
    }
    if !offending.is_empty() {
        let mut message = format!("tcp/{port} open to {} (allowed: {allowed_text})", offending.join(", "));
        if !malformed.is_empty() {
            message.push_str(&format!("; unreadable sources: {}", malformed.join(", ")));
        }
        return Verdict::Fail(message);
    }
    if !malformed.is_empty() {
        return Verdict::Unknown(UnknownReason::new(
            Cause::Malformed,
            "ec2:DescribeSecurityGroups",
            format!("ingress rule source {} is not a CIDR", malformed.join(", ")),
        ));
    }
    if permitted.is_empty() {
        Verdict::Pass(format!("tcp/{port} is not open to any address range"))
    } else {
        Verdict::Pass(format!("tcp/{port} open only to allowed ranges: {}", permitted.join(", ")))
    }
}

fn is_exactly_tcp_port(rule: &SgRule, port: i32) -> bool {
    matches!(rule.protocol.as_str(), "tcp" | "6") && rule.from_port == Some(port) && rule.to_port == Some(port)
}

/// A rule's protocol and ports as people write them: `tcp/22`, `tcp/0-1024`, `all traffic`, `icmp`.
pub fn describe_rule(rule: &SgRule) -> String {
    let protocol = match rule.protocol.as_str() {
        "-1" | "all" => return "all traffic".to_string(),
        "6" => "tcp",
        "17" => "udp",
        "1" => "icmp",
        "58" => "icmpv6",
        other => other,
    };
    match (rule.from_port, rule.to_port) {
        // ICMP rules carry type and code in the port fields; they are not ports.
        _ if protocol.starts_with("icmp") => protocol.to_string(),
        (Some(-1), Some(-1)) | (None, None) => format!("{protocol}/all"),
        (Some(from), Some(to)) if from == to => format!("{protocol}/{from}"),
        (Some(from), Some(to)) => format!("{protocol}/{from}-{to}"),
        (Some(p), None) | (None, Some(p)) => format!("{protocol}/{p}"),
    }
}

/// A rule's source (or destination, for egress) as written in messages.
pub fn describe_source(source: &RuleSource) -> &str {
    match source {
        RuleSource::Cidr(s) | RuleSource::Ipv6Cidr(s) | RuleSource::SecurityGroup(s) | RuleSource::PrefixList(s) => s,
        RuleSource::None => "no source",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(protocol: &str, from: Option<i32>, to: Option<i32>) -> SgRule {
        SgRule { protocol: protocol.into(), from_port: from, to_port: to, ..Default::default() }
    }

    #[test]
    fn rules_are_described_as_people_write_them() {
        assert_eq!(describe_rule(&rule("tcp", Some(22), Some(22))), "tcp/22");
        assert_eq!(describe_rule(&rule("6", Some(0), Some(1024))), "tcp/0-1024");
        assert_eq!(describe_rule(&rule("-1", None, None)), "all traffic");
        assert_eq!(describe_rule(&rule("icmp", Some(8), Some(-1))), "icmp");
        assert_eq!(describe_rule(&rule("udp", Some(-1), Some(-1))), "udp/all");
    }

    #[test]
    fn validation_names_the_parameter_and_the_value() {
        let bad = AdminPortParams { allowed_cidrs: vec!["10.0.1.0/24".into(), "10.0.1.0/33".into()] };
        let err = bad.validate().unwrap_err();
        assert!(err.contains("allowed_cidrs") && err.contains("10.0.1.0/33"), "{err}");
        let bare = AdminPortParams { allowed_cidrs: vec!["10.0.1.5".into()] };
        assert!(bare.validate().is_err());
        let good = AdminPortParams { allowed_cidrs: vec!["10.0.1.0/24".into(), "2001:db8::/32".into()] };
        assert_eq!(good.validate(), Ok(()));
    }
}
