use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags EC2 instances without detailed monitoring (CloudWatch metrics every minute instead of every five).
    /// An instance whose monitoring is being enabled (`pending`) passes; one being disabled fails. Terminated
    /// instances are not judged.
    ///
    /// ## Why is this bad?
    /// With basic monitoring, alarms and Auto Scaling policies see a data point every five minutes: a CPU spike
    /// or a failing health signal takes up to ten minutes to act on, and short incidents disappear in the
    /// averages. Detailed monitoring costs a few metrics per instance.
    ///
    /// ## Remediation
    /// ```sh
    /// aws ec2 monitor-instances --instance-ids i-0123
    /// ```
    /// CDK: `new ec2.Instance(this, 'I', { detailedMonitoring: true, ... })` (launch templates:
    /// `detailedMonitoring: true`); CloudFormation: `Monitoring: true` on `AWS::EC2::Instance`, or
    /// `Monitoring: { Enabled: true }` in the launch template data.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/manage-detailed-monitoring.html
    pub Ec2InstanceDetailedMonitoring {
        id: "ec2_instance_detailed_monitoring",
        title: "EC2 instances have detailed monitoring enabled",
        severity: Severity::Low,
        service: "ec2",
        kinds: &[ResourceKind::Ec2Instance],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

impl Check for Ec2InstanceDetailedMonitoring {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, instance) in cx.inventory.iter::<Instance>() {
            if instance.state.as_deref() == Some("terminated") {
                continue;
            }
            let verdict = match instance.monitoring.as_deref() {
                Some("enabled") => Verdict::Pass("detailed monitoring is enabled".into()),
                Some("pending") => Verdict::Pass("detailed monitoring is being enabled".into()),
                Some("disabled") => Verdict::Fail("detailed monitoring is off (basic, 5-minute metrics)".into()),
                Some("disabling") => Verdict::Fail("detailed monitoring is being disabled".into()),
                Some(other) => Verdict::Unknown(UnknownReason::new(
                    Cause::Malformed,
                    "ec2:DescribeInstances",
                    format!("EC2 reported an unexpected monitoring state {other:?}"),
                )),
                None => Verdict::Unknown(UnknownReason::new(
                    Cause::Malformed,
                    "ec2:DescribeInstances",
                    "EC2 did not report the monitoring state",
                )),
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

    fn instance(state: &str, monitoring: Option<&str>) -> Instance {
        Instance { state: Some(state.into()), monitoring: monitoring.map(String::from), ..Default::default() }
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        inv.resources.push(resource("i-on", instance("running", Some("enabled"))));
        inv.resources.push(resource("i-pending", instance("running", Some("pending"))));
        inv.resources.push(resource("i-off", instance("running", Some("disabled"))));
        inv.resources.push(resource("i-disabling", instance("stopped", Some("disabling"))));
        inv.resources.push(resource("i-silent", instance("running", None)));
        inv.resources.push(resource("i-gone", instance("terminated", Some("disabled"))));
        let findings = run(&Ec2InstanceDetailedMonitoring, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("i-disabling".into(), Status::Fail),
                ("i-off".into(), Status::Fail),
                ("i-on".into(), Status::Pass),
                ("i-pending".into(), Status::Pass),
                ("i-silent".into(), Status::Unknown),
            ]
        );
    }

    #[test]
    fn failed_instance_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Ec2Instance, REGION, denied("ec2:DescribeInstances"));
        assert_eq!(statuses(&run(&Ec2InstanceDetailedMonitoring, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
