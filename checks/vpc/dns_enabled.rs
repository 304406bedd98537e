use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags VPCs where DNS resolution (`enableDnsSupport`) or DNS hostnames (`enableDnsHostnames`) is off.
    ///
    /// ## Why is this bad?
    /// Without DNS support the VPC cannot resolve names through the Amazon DNS server, and without DNS hostnames
    /// instances get no resolvable names. Interface VPC endpoints with private DNS, Route 53 private hosted zones
    /// and many managed services need both; workloads then fall back to public endpoints over the internet or
    /// hard-coded addresses.
    ///
    /// ## Remediation
    /// ```sh
    /// aws ec2 modify-vpc-attribute --vpc-id vpc-0123 --enable-dns-support '{"Value":true}'
    /// aws ec2 modify-vpc-attribute --vpc-id vpc-0123 --enable-dns-hostnames '{"Value":true}'
    /// ```
    /// CDK: `new ec2.Vpc(this, 'V', { enableDnsSupport: true, enableDnsHostnames: true })` (the defaults);
    /// CloudFormation: `EnableDnsSupport: true` and `EnableDnsHostnames: true` on `AWS::EC2::VPC`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html
    /// - https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
    pub VpcDnsEnabled {
        id: "vpc_dns_enabled",
        title: "VPCs have DNS resolution and DNS hostnames enabled",
        severity: Severity::Low,
        service: "ec2",
        kinds: &[ResourceKind::Ec2Vpc],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

impl Check for VpcDnsEnabled {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, vpc) in cx.inventory.iter::<Vpc>() {
            let attributes = [
                ("DNS resolution", "enableDnsSupport", &vpc.dns_support),
                ("DNS hostnames", "enableDnsHostnames", &vpc.dns_hostnames),
            ];
            let mut disabled = Vec::new();
            let mut unknown = None;
            for (label, attribute, field) in attributes {
                match field.known() {
                    Ok(Some(true)) => {}
                    Ok(Some(false)) => disabled.push(label),
                    // DescribeVpcAttribute always answers true or false; no answer is not a "disabled".
                    Ok(None) => {
                        unknown.get_or_insert_with(|| {
                            UnknownReason::new(
                                Cause::Malformed,
                                "ec2:DescribeVpcAttribute",
                                format!("EC2 did not report {attribute}"),
                            )
                        });
                    }
                    Err(reason) => {
                        unknown.get_or_insert_with(|| reason.clone());
                    }
                }
            }
            // A known "disabled" fails regardless of what could not be read about the other attribute.
            let verdict = match (disabled.as_slice(), unknown) {
                ([], None) => Verdict::Pass("DNS resolution and DNS hostnames are enabled".into()),
                ([], Some(reason)) => Verdict::Unknown(reason),
                (labels, _) => Verdict::Fail(format!("{} disabled", labels.join(" and "))),
            };
            out.verdict(resource, verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn vpc(dns_support: Field<bool>, dns_hostnames: Field<bool>) -> Vpc {
        Vpc { dns_support, dns_hostnames, ..Default::default() }
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        let on = || Field::Known(true);
        let off = || Field::Known(false);
        let denied_attr = || Field::Unknown(denied("ec2:DescribeVpcAttribute"));
        inv.resources.push(resource("vpc-on", vpc(on(), on())));
        inv.resources.push(resource("vpc-nohost", vpc(on(), off())));
        inv.resources.push(resource("vpc-off", vpc(off(), off())));
        inv.resources.push(resource("vpc-denied", vpc(on(), denied_attr())));
        inv.resources.push(resource("vpc-mixed", vpc(off(), denied_attr())));
        inv.resources.push(resource("vpc-silent", vpc(Field::Absent, on())));
        let findings = run(&VpcDnsEnabled, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("vpc-denied".into(), Status::Unknown),
                ("vpc-mixed".into(), Status::Fail),
                ("vpc-nohost".into(), Status::Fail),
                ("vpc-off".into(), Status::Fail),
                ("vpc-on".into(), Status::Pass),
                ("vpc-silent".into(), Status::Unknown),
            ]
        );
        let message = |id: &str| findings.iter().find(|f| f.resource.id == id).map(|f| f.message.clone());
        assert_eq!(message("vpc-off").as_deref(), Some("DNS resolution and DNS hostnames disabled"));
        assert_eq!(message("vpc-nohost").as_deref(), Some("DNS hostnames disabled"));
        assert!(
            message("vpc-denied")
                .is_some_and(|m| m.contains("ec2:DescribeVpcAttribute") && m.contains("access denied"))
        );
    }
}
