use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags Application, Network and Gateway Load Balancers without deletion protection (attribute
    /// `deletion_protection.enabled` is `false`).
    ///
    /// ## Why is this bad?
    /// A deleted load balancer takes its DNS name with it: every client, alias record and partner integration
    /// pointing at it breaks at once, and a new load balancer gets a new name. Deletion protection makes an
    /// accidental `delete-load-balancer` (a stray script, a mistaken stack teardown) fail instead. It is off by
    /// default.
    ///
    /// ## Remediation
    /// ```sh
    /// aws elbv2 modify-load-balancer-attributes --load-balancer-arn ARN \
    ///   --attributes Key=deletion_protection.enabled,Value=true
    /// ```
    /// CDK: `new elbv2.ApplicationLoadBalancer(this, 'Alb', { vpc, deletionProtection: true })` (likewise for
    /// `NetworkLoadBalancer`); CloudFormation: `LoadBalancerAttributes` with `deletion_protection.enabled:
    /// "true"`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#deletion-protection
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-6
    pub Elbv2DeletionProtection {
        id: "elbv2_deletion_protection",
        title: "Load balancers have deletion protection enabled",
        severity: Severity::Medium,
        service: "elbv2",
        kinds: &[ResourceKind::Elbv2LoadBalancer],
        scope: CheckScope::Resource,
        compliance: &[fsbp("ELB.6")],
    }
}

impl Check for Elbv2DeletionProtection {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, lb) in cx.inventory.iter::<LoadBalancer>() {
            let verdict = match lb.bool_attribute("deletion_protection.enabled") {
                Ok(true) => Verdict::Pass("deletion protection is enabled".into()),
                Ok(false) => Verdict::Fail("deletion protection is disabled".into()),
                Err(reason) => Verdict::Unknown(reason),
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

    fn lb(kind: &str, value: Option<&str>) -> LoadBalancer {
        let attributes = value.map(|v| ("deletion_protection.enabled".to_string(), v.to_string())).into_iter();
        LoadBalancer {
            lb_type: Some(kind.into()),
            attributes: Field::Known(attributes.collect()),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_unknown_for_every_type() {
        let mut inv = inventory();
        inv.resources.push(resource("alb-on", lb("application", Some("true"))));
        inv.resources.push(resource("nlb-off", lb("network", Some("false"))));
        inv.resources.push(resource("gwlb-on", lb("gateway", Some("true"))));
        inv.resources.push(resource("unreported", lb("network", None)));
        let denied_lb = LoadBalancer {
            attributes: Field::Unknown(denied("elbv2:DescribeLoadBalancerAttributes")),
            ..lb("application", None)
        };
        inv.resources.push(resource("denied", denied_lb));
        let findings = run(&Elbv2DeletionProtection, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("alb-on".into(), Status::Pass),
                ("denied".into(), Status::Unknown),
                ("gwlb-on".into(), Status::Pass),
                ("nlb-off".into(), Status::Fail),
                ("unreported".into(), Status::Unknown),
            ]
        );
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Elbv2LoadBalancer, REGION, denied("elbv2:DescribeLoadBalancers"));
        let findings = run(&Elbv2DeletionProtection, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
