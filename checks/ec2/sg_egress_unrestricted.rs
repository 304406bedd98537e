use super::super::prelude::*;
use super::admin_port::describe_source;

check! {
    /// ## What it does
    /// Flags security groups with an egress rule that allows all traffic (all protocols and ports) to anywhere
    /// (`0.0.0.0/0` or `::/0`): the rule EC2 adds to every new security group. Groups listed in the
    /// `allowed_groups` parameter (by id or name) pass, for tiers that really need open egress, such as a proxy.
    /// Informational: it reports where egress is not yet scoped.
    ///
    /// ## Why is this bad?
    /// Unrestricted egress lets compromised software download tooling and send data anywhere on any port, and
    /// lets it reach command-and-control servers unnoticed. Scoping egress to the ports and destinations an
    /// application needs (HTTPS to VPC endpoints or a proxy, the database port to the database group) turns
    /// exfiltration into something that is blocked and logged.
    ///
    /// ## Remediation
    /// ```sh
    /// aws ec2 revoke-security-group-egress --group-id sg-0123 --ip-permissions 'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]'
    /// aws ec2 authorize-security-group-egress --group-id sg-0123 \
    ///   --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]'
    /// ```
    /// CDK: `new ec2.SecurityGroup(this, 'Sg', { vpc, allowAllOutbound: false })` and explicit
    /// `sg.addEgressRule(...)`; CloudFormation: `SecurityGroupEgress` with explicit rules (a group with
    /// `SecurityGroupEgress` gets no allow-all rule).
    ///
    /// ## Parameters
    /// - `allowed_groups` (list of security group ids or names, default empty): groups allowed to keep
    ///   unrestricted egress.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
    /// - https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
    pub Ec2SgEgressUnrestricted {
        id: "ec2_sg_egress_unrestricted",
        title: "Security groups do not allow all outbound traffic to anywhere",
        severity: Severity::Info,
        service: "ec2",
        kinds: &[ResourceKind::Ec2SecurityGroup],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EgressParams {
    /// Security group ids (`sg-…`) or names allowed to keep unrestricted egress.
    pub allowed_groups: Vec<String>,
}

// Written out so the default is visible: no group is exempt.
#[allow(clippy::derivable_impls)]
impl Default for EgressParams {
    fn default() -> Self {
        EgressParams { allowed_groups: Vec::new() }
    }
}

impl CheckParams for EgressParams {
    fn validate(&self) -> Result<(), String> {
        if let Some(blank) = self.allowed_groups.iter().find(|g| g.trim().is_empty() || g.trim() != g.as_str()) {
            return Err(format!("allowed_groups: {blank:?} is not a security group id or name"));
        }
        Ok(())
    }
}

fn is_anywhere(source: &RuleSource) -> bool {
    match source {
        RuleSource::Cidr(c) | RuleSource::Ipv6Cidr(c) => {
            c.trim().parse::<ipnet::IpNet>().is_ok_and(|net| net.prefix_len() == 0)
        }
        _ => false,
    }
}

impl Check for Ec2SgEgressUnrestricted {
    type Params = EgressParams;

    fn run(&self, cx: &Context<'_>, params: &EgressParams, out: &mut Findings<'_>) {
        for (resource, group) in cx.inventory.iter::<SecurityGroup>() {
            let open: Vec<&str> = group
                .egress
                .iter()
                .filter(|r| matches!(r.protocol.as_str(), "-1" | "all") && is_anywhere(&r.source))
                .map(|r| describe_source(&r.source))
                .collect();
            let allowed = params.allowed_groups.iter().any(|g| *g == resource.id || *g == group.group_name);
            let verdict = if open.is_empty() {
                Verdict::Pass("no egress rule allows all traffic to anywhere".into())
            } else if allowed {
                Verdict::Pass(format!("all outbound traffic to {} is allowed; the group is exempt", open.join(", ")))
            } else {
                Verdict::Fail(format!("an egress rule allows all traffic to {}", open.join(", ")))
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
    use crate::finding::Status;
    use serde_json::json;

    fn rule(protocol: &str, from: Option<i32>, source: RuleSource) -> SgRule {
        SgRule { protocol: protocol.into(), from_port: from, to_port: from, source, description: None }
    }

    fn group(name: &str, egress: Vec<SgRule>) -> SecurityGroup {
        SecurityGroup { group_name: name.into(), egress, ..Default::default() }
    }

    fn fixture() -> Inventory {
        let mut inv = inventory();
        let all = |c: &str| rule("-1", None, RuleSource::Cidr(c.into()));
        inv.resources.push(resource("sg-open", group("app", vec![all("0.0.0.0/0")])));
        inv.resources
            .push(resource("sg-open6", group("app6", vec![rule("-1", None, RuleSource::Ipv6Cidr("::/0".into()))])));
        inv.resources.push(resource(
            "sg-https",
            group("web", vec![rule("tcp", Some(443), RuleSource::Cidr("0.0.0.0/0".into()))]),
        ));
        inv.resources.push(resource("sg-vpc", group("internal", vec![all("10.0.0.0/16")])));
        inv.resources.push(resource("sg-none", group("closed", vec![])));
        inv.resources.push(resource("sg-proxy", group("proxy", vec![all("0.0.0.0/0")])));
        inv
    }

    #[test]
    fn pass_fail() {
        let findings = run(&Ec2SgEgressUnrestricted, &fixture());
        let failing: Vec<String> =
            statuses(&findings).into_iter().filter(|(_, s)| *s == Status::Fail).map(|(id, _)| id).collect();
        assert_eq!(failing, ["sg-open", "sg-open6", "sg-proxy"]);
        let passing: Vec<String> =
            statuses(&findings).into_iter().filter(|(_, s)| *s == Status::Pass).map(|(id, _)| id).collect();
        assert_eq!(passing, ["sg-https", "sg-none", "sg-vpc"]);
        assert_eq!(findings.len(), 6);
        assert!(findings.iter().any(|f| f.message == "an egress rule allows all traffic to ::/0"));
    }

    #[test]
    fn allowed_groups_by_id_or_name() {
        let params = json!({ "allowed_groups": ["proxy", "sg-open6"] });
        let findings = run_with(&Ec2SgEgressUnrestricted, &fixture(), Some(params));
        let failing: Vec<String> =
            statuses(&findings).into_iter().filter(|(_, s)| *s == Status::Fail).map(|(id, _)| id).collect();
        assert_eq!(failing, ["sg-open"]);
    }

    #[test]
    fn bad_parameters_are_rejected() {
        let err = Ec2SgEgressUnrestricted
            .validate_params(&json!({ "allowed_groups": ["proxy", " "] }))
            .map(|_| String::new())
            .unwrap_or_else(|e| e.to_string());
        assert!(err.contains("allowed_groups"), "{err}");
        assert!(Ec2SgEgressUnrestricted.validate_params(&json!({ "allowed_group": [] })).is_err());
        assert!(Ec2SgEgressUnrestricted.validate_params(&json!({ "allowed_groups": ["sg-1"] })).is_ok());
    }

    #[test]
    fn failed_security_group_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Ec2SecurityGroup, REGION, denied("ec2:DescribeSecurityGroups"));
        assert_eq!(statuses(&run(&Ec2SgEgressUnrestricted, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
