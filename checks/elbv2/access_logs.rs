use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags Application Load Balancers without access logging to S3 (attribute `access_logs.s3.enabled` is
    /// `false`). Network Load Balancers only log TLS connections and Gateway Load Balancers have no access logs,
    /// so neither gets a finding.
    ///
    /// ## Why is this bad?
    /// Access logs are the only record of who sent which request to the application through the load balancer:
    /// client address, path, status, TLS cipher, user agent. Without them an incident cannot be reconstructed
    /// and probing or abuse goes unnoticed. Logging is off by default.
    ///
    /// ## Remediation
    /// Give the load balancer a bucket whose policy lets Elastic Load Balancing write to it, then:
    /// ```sh
    /// aws elbv2 modify-load-balancer-attributes --load-balancer-arn ARN --attributes \
    ///   Key=access_logs.s3.enabled,Value=true Key=access_logs.s3.bucket,Value=my-lb-logs \
    ///   Key=access_logs.s3.prefix,Value=web
    /// ```
    /// CDK: `alb.logAccessLogs(bucket, 'web')`; CloudFormation: `LoadBalancerAttributes` with
    /// `access_logs.s3.enabled: "true"` and `access_logs.s3.bucket`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-5
    pub Elbv2AccessLogs {
        id: "elbv2_access_logs",
        title: "Application Load Balancers write access logs",
        severity: Severity::Medium,
        service: "elbv2",
        kinds: &[ResourceKind::Elbv2LoadBalancer],
        scope: CheckScope::Resource,
        compliance: &[fsbp("ELB.5")],
    }
}

impl Check for Elbv2AccessLogs {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, lb) in cx.inventory.iter::<LoadBalancer>() {
            if !lb.is_application() {
                continue;
            }
            let verdict = match lb.bool_attribute("access_logs.s3.enabled") {
                Ok(true) => {
                    let bucket = lb.attributes.known().ok().flatten().and_then(|a| a.get("access_logs.s3.bucket"));
                    Verdict::Pass(match bucket.filter(|b| !b.is_empty()) {
                        Some(bucket) => format!("access logs go to s3://{bucket}"),
                        None => "access logging is enabled".into(),
                    })
                }
                Ok(false) => Verdict::Fail("access logging is disabled".into()),
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

    fn lb(kind: &str, attributes: &[(&str, &str)]) -> LoadBalancer {
        LoadBalancer {
            lb_type: Some(kind.into()),
            attributes: Field::Known(attributes.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_unknown_and_skipped() {
        let mut inv = inventory();
        let on = lb("application", &[("access_logs.s3.enabled", "true"), ("access_logs.s3.bucket", "logs")]);
        inv.resources.push(resource("on", on));
        inv.resources.push(resource("off", lb("application", &[("access_logs.s3.enabled", "false")])));
        let denied_lb = LoadBalancer {
            attributes: Field::Unknown(denied("elbv2:DescribeLoadBalancerAttributes")),
            ..lb("application", &[])
        };
        inv.resources.push(resource("denied", denied_lb));
        inv.resources.push(resource("gateway", lb("gateway", &[])));
        let findings = run(&Elbv2AccessLogs, &inv);
        assert_eq!(
            statuses(&findings),
            vec![("denied".into(), Status::Unknown), ("off".into(), Status::Fail), ("on".into(), Status::Pass)]
        );
        let on = findings.iter().find(|f| f.resource.id == "on").map(|f| f.message.as_str());
        assert_eq!(on, Some("access logs go to s3://logs"));
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Elbv2LoadBalancer, REGION, denied("elbv2:DescribeLoadBalancers"));
        let findings = run(&Elbv2AccessLogs, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
