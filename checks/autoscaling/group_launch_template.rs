use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags EC2 Auto Scaling groups that launch instances from a launch configuration instead of a launch
    /// template. Groups that name a launch template, directly or in a mixed instances policy, pass. A group that
    /// reports neither is UNKNOWN.
    ///
    /// ## Why is this bad?
    /// Launch configurations are deprecated: they cannot be versioned, new instance types and EC2 features
    /// (IMDSv2 settings, newer volume types, mixed instances and Spot) are only available through launch
    /// templates, and AWS no longer adds support for them. Groups on launch configurations drift behind the
    /// security defaults the rest of the fleet gets.
    ///
    /// ## Remediation
    /// Copy the launch configuration to a launch template (the console offers "Copy to launch template"), then
    /// point the group at it:
    /// ```sh
    /// aws autoscaling update-auto-scaling-group --auto-scaling-group-name my-asg \
    ///   --launch-template LaunchTemplateId=lt-0123,Version='$Default'
    /// aws autoscaling delete-launch-configuration --launch-configuration-name my-old-config
    /// ```
    /// CDK: `new autoscaling.AutoScalingGroup(this, 'G', { launchTemplate, vpc })` instead of passing
    /// `instanceType`/`machineImage` (which creates a launch configuration); CloudFormation: set `LaunchTemplate`
    /// instead of `LaunchConfigurationName` on `AWS::AutoScaling::AutoScalingGroup`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/autoscaling/ec2/userguide/migrate-to-launch-templates.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/autoscaling-controls.html#autoscaling-9
    pub AutoscalingGroupLaunchTemplate {
        id: "autoscaling_group_launch_template",
        title: "Auto Scaling groups use launch templates",
        severity: Severity::Medium,
        service: "autoscaling",
        kinds: &[ResourceKind::AutoScalingGroup],
        scope: CheckScope::Resource,
        compliance: &[fsbp("AutoScaling.9")],
    }
}

fn judge(group: &AutoScalingGroup) -> Verdict {
    let direct = group.launch_template_id.as_deref().or(group.launch_template_name.as_deref());
    if let Some(template) = direct {
        return Verdict::Pass(format!("the group uses launch template {template}"));
    }
    if !group.mixed_instances_template_ids.is_empty() {
        return Verdict::Pass(format!(
            "the group uses launch template {} in a mixed instances policy",
            group.mixed_instances_template_ids.join(", ")
        ));
    }
    match &group.launch_configuration_name {
        Some(config) => Verdict::Fail(format!("the group uses launch configuration {config}, not a launch template")),
        None => Verdict::Unknown(UnknownReason::new(
            Cause::Malformed,
            "autoscaling:DescribeAutoScalingGroups",
            "the group reports neither a launch template nor a launch configuration",
        )),
    }
}

impl Check for AutoscalingGroupLaunchTemplate {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, group) in cx.inventory.iter::<AutoScalingGroup>() {
            out.verdict(resource, judge(group));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        let direct = AutoScalingGroup { launch_template_id: Some("lt-1".into()), ..Default::default() };
        let by_name = AutoScalingGroup { launch_template_name: Some("web".into()), ..Default::default() };
        let mixed = AutoScalingGroup { mixed_instances_template_ids: vec!["lt-2".into()], ..Default::default() };
        let config = AutoScalingGroup { launch_configuration_name: Some("old".into()), ..Default::default() };
        inv.resources.push(resource("asg-direct", direct));
        inv.resources.push(resource("asg-name", by_name));
        inv.resources.push(resource("asg-mixed", mixed));
        inv.resources.push(resource("asg-config", config));
        inv.resources.push(resource("asg-neither", AutoScalingGroup::default()));
        let findings = run(&AutoscalingGroupLaunchTemplate, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("asg-config".into(), Status::Fail),
                ("asg-direct".into(), Status::Pass),
                ("asg-mixed".into(), Status::Pass),
                ("asg-name".into(), Status::Pass),
                ("asg-neither".into(), Status::Unknown),
            ]
        );
        let msg =
            |id: &str| findings.iter().find(|f| f.resource.id == id).map(|f| f.message.clone()).unwrap_or_default();
        assert_eq!(msg("asg-config"), "the group uses launch configuration old, not a launch template");
        let neither = findings.iter().find(|f| f.resource.id == "asg-neither").and_then(|f| f.unknown_reason.as_ref());
        assert!(neither.is_some_and(|r| r.cause == Cause::Malformed));
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::AutoScalingGroup, REGION, denied("autoscaling:DescribeAutoScalingGroups"));
        let findings = run(&AutoscalingGroupLaunchTemplate, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
