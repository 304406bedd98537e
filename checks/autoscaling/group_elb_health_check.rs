use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags EC2 Auto Scaling groups attached to a load balancer (a Classic Load Balancer by name, or an
    /// ELBv2 target group) whose health check type does not include `ELB`, so the group replaces an instance
    /// only when EC2 itself reports it impaired. Groups attached to no load balancer get no finding.
    ///
    /// ## Why is this bad?
    /// With EC2 health checks only, an instance whose application has hung or crashed keeps running, keeps
    /// counting as capacity, and is never replaced, while the load balancer has already stopped sending it
    /// traffic. Capacity silently shrinks. With ELB health checks the group replaces what the load balancer
    /// considers unhealthy.
    ///
    /// ## Remediation
    /// ```sh
    /// aws autoscaling update-auto-scaling-group --auto-scaling-group-name my-asg \
    ///   --health-check-type ELB --health-check-grace-period 300
    /// ```
    /// CDK: `new autoscaling.AutoScalingGroup(this, 'G', { ..., healthChecks: autoscaling.HealthChecks.withAdditionalChecks({
    /// additionalTypes: [autoscaling.AdditionalHealthCheckType.ELB], gracePeriod: Duration.minutes(5) }) })`
    /// (older CDK: `healthCheck: autoscaling.HealthCheck.elb({ grace })`); CloudFormation:
    /// `AWS::AutoScaling::AutoScalingGroup` with `HealthCheckType: ELB`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-add-elb-healthcheck.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/autoscaling-controls.html#autoscaling-1
    pub AutoscalingGroupElbHealthCheck {
        id: "autoscaling_group_elb_health_check",
        title: "Auto Scaling groups behind a load balancer use ELB health checks",
        severity: Severity::Low,
        service: "autoscaling",
        kinds: &[ResourceKind::AutoScalingGroup],
        scope: CheckScope::Resource,
        compliance: &[fsbp("AutoScaling.1")],
    }
}

fn attachments(group: &AutoScalingGroup) -> String {
    let mut parts = Vec::new();
    if !group.load_balancer_names.is_empty() {
        parts.push(format!("load balancer(s) {}", group.load_balancer_names.join(", ")));
    }
    if !group.target_group_arns.is_empty() {
        // The group name is the readable part of a target group ARN (`…:targetgroup/NAME/ID`).
        let names: Vec<&str> =
            group.target_group_arns.iter().map(|arn| arn.split('/').nth(1).unwrap_or(arn.as_str())).collect();
        parts.push(format!("target group(s) {}", names.join(", ")));
    }
    parts.join(" and ")
}

fn judge(group: &AutoScalingGroup) -> Option<Verdict> {
    if group.load_balancer_names.is_empty() && group.target_group_arns.is_empty() {
        return None;
    }
    let attached = attachments(group);
    let Some(kind) = group.health_check_type.as_deref().filter(|k| !k.trim().is_empty()) else {
        return Some(Verdict::Unknown(UnknownReason::new(
            Cause::Malformed,
            "autoscaling:DescribeAutoScalingGroups",
            "the group reports no health check type",
        )));
    };
    // The type can list several checks (`ELB,EBS`); ELB must be one of them.
    let uses_elb = kind.split(',').any(|t| t.trim().eq_ignore_ascii_case("ELB"));
    Some(if uses_elb {
        Verdict::Pass(format!("attached to {attached}, health check type {kind}"))
    } else {
        Verdict::Fail(format!(
            "attached to {attached} but health check type is {kind}: unhealthy instances stay in service"
        ))
    })
}

impl Check for AutoscalingGroupElbHealthCheck {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, group) in cx.inventory.iter::<AutoScalingGroup>() {
            if let Some(verdict) = judge(group) {
                out.verdict(resource, verdict);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    const TG: &str = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef";

    fn group(kind: Option<&str>, classic: &[&str], target_groups: &[&str]) -> AutoScalingGroup {
        AutoScalingGroup {
            health_check_type: kind.map(String::from),
            load_balancer_names: classic.iter().map(|s| s.to_string()).collect(),
            target_group_arns: target_groups.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_unknown_and_skipped() {
        let mut inv = inventory();
        inv.resources.push(resource("elb", group(Some("ELB"), &[], &[TG])));
        inv.resources.push(resource("combined", group(Some("EBS,ELB"), &["classic"], &[])));
        inv.resources.push(resource("ec2-tg", group(Some("EC2"), &[], &[TG])));
        inv.resources.push(resource("ec2-classic", group(Some("EC2"), &["classic"], &[])));
        inv.resources.push(resource("no-type", group(None, &[], &[TG])));
        inv.resources.push(resource("standalone", group(Some("EC2"), &[], &[])));
        let findings = run(&AutoscalingGroupElbHealthCheck, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("combined".into(), Status::Pass),
                ("ec2-classic".into(), Status::Fail),
                ("ec2-tg".into(), Status::Fail),
                ("elb".into(), Status::Pass),
                ("no-type".into(), Status::Unknown),
            ]
        );
        let message = |id: &str| findings.iter().find(|f| f.resource.id == id).map(|f| f.message.clone());
        assert_eq!(
            message("ec2-tg").as_deref(),
            Some("attached to target group(s) web but health check type is EC2: unhealthy instances stay in service")
        );
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::AutoScalingGroup, REGION, denied("autoscaling:DescribeAutoScalingGroups"));
        let findings = run(&AutoscalingGroupElbHealthCheck, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
