use super::super::prelude::*;

const ATTRIBUTE: &str = "routing.http.drop_invalid_header_fields.enabled";

check! {
    /// ## What it does
    /// Flags Application Load Balancers that pass HTTP headers with invalid names on to their targets
    /// (attribute `routing.http.drop_invalid_header_fields.enabled` is `false`). Network and Gateway Load
    /// Balancers do not parse HTTP and get no finding.
    ///
    /// ## Why is this bad?
    /// Header names outside `[-A-Za-z0-9]+` are a classic ingredient of HTTP request smuggling and desync
    /// attacks: the load balancer and the application server disagree about where one request ends, and an
    /// attacker slips a request past the load balancer's rules. Dropping them at the edge costs nothing for
    /// well-behaved clients. The attribute is off by default.
    ///
    /// ## Remediation
    /// ```sh
    /// aws elbv2 modify-load-balancer-attributes --load-balancer-arn ARN \
    ///   --attributes Key=routing.http.drop_invalid_header_fields.enabled,Value=true
    /// ```
    /// CDK: `new elbv2.ApplicationLoadBalancer(this, 'Alb', { vpc, dropInvalidHeaderFields: true })`;
    /// CloudFormation: `AWS::ElasticLoadBalancingV2::LoadBalancer` with `LoadBalancerAttributes:
    /// [{ Key: routing.http.drop_invalid_header_fields.enabled, Value: "true" }]`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-4
    pub Elbv2DropInvalidHeaders {
        id: "elbv2_drop_invalid_headers",
        title: "Application Load Balancers drop invalid HTTP header fields",
        severity: Severity::Medium,
        service: "elbv2",
        kinds: &[ResourceKind::Elbv2LoadBalancer],
        scope: CheckScope::Resource,
        compliance: &[fsbp("ELB.4")],
    }
}

impl Check for Elbv2DropInvalidHeaders {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, lb) in cx.inventory.iter::<LoadBalancer>() {
            if !lb.is_application() {
                continue;
            }
            let verdict = match lb.bool_attribute(ATTRIBUTE) {
                Ok(true) => Verdict::Pass("invalid header fields are dropped".into()),
                Ok(false) => Verdict::Fail("invalid header fields are passed on to the targets".into()),
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

    fn alb(attributes: Field<Vec<(&str, &str)>>) -> LoadBalancer {
        LoadBalancer {
            lb_type: Some("application".into()),
            attributes: attributes.map(|a| a.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_unknown_and_skipped() {
        let mut inv = inventory();
        inv.resources.push(resource("on", alb(Field::Known(vec![(ATTRIBUTE, "true")]))));
        inv.resources.push(resource("off", alb(Field::Known(vec![(ATTRIBUTE, "false")]))));
        inv.resources.push(resource("unreported", alb(Field::Known(vec![]))));
        inv.resources.push(resource("denied", alb(Field::Unknown(denied("elbv2:DescribeLoadBalancerAttributes")))));
        let nlb = LoadBalancer { lb_type: Some("network".into()), ..alb(Field::Known(vec![])) };
        inv.resources.push(resource("nlb", nlb));
        let findings = run(&Elbv2DropInvalidHeaders, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("denied".into(), Status::Unknown),
                ("off".into(), Status::Fail),
                ("on".into(), Status::Pass),
                ("unreported".into(), Status::Unknown),
            ]
        );
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Elbv2LoadBalancer, REGION, denied("elbv2:DescribeLoadBalancers"));
        let findings = run(&Elbv2DropInvalidHeaders, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
