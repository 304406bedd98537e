use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags EC2 launch templates that nothing in their region uses: no instance was launched from them (terminated
    /// instances do not count) and no Auto Scaling group names them, directly or in a mixed instances policy.
    /// Unused can only be concluded from complete lists: when the instance or Auto Scaling group list of the
    /// region could not be read (or Auto Scaling was not collected), an unreferenced template is UNKNOWN.
    ///
    /// ## Why is this bad?
    /// Stale templates carry stale settings (old AMIs, IMDSv1, unencrypted volumes, broad instance profiles) and
    /// are one `run-instances --launch-template` away from being used again, by mistake or by an attacker with
    /// launch rights. Removing them keeps the launchable surface to what is maintained.
    ///
    /// ## Remediation
    /// ```sh
    /// aws ec2 delete-launch-template --launch-template-id lt-0123
    /// ```
    /// If the template is defined in CDK (`new ec2.LaunchTemplate(...)`) or CloudFormation
    /// (`AWS::EC2::LaunchTemplate`), remove it from the stack instead of deleting it by hand. Instances launched
    /// from a template keep an `aws:ec2launchtemplate:id` tag; keep templates that pipelines launch from on
    /// demand, and mute the finding for them.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-launch-templates.html
    /// - https://docs.aws.amazon.com/autoscaling/ec2/userguide/launch-templates.html
    pub Ec2LaunchTemplateUnused {
        id: "ec2_launch_template_unused",
        title: "EC2 launch templates are in use",
        severity: Severity::Low,
        service: "ec2",
        kinds: &[ResourceKind::Ec2LaunchTemplate, ResourceKind::Ec2Instance, ResourceKind::AutoScalingGroup],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

impl Check for Ec2LaunchTemplateUnused {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        let inv = cx.inventory;
        for (resource, template) in inv.iter::<LaunchTemplate>() {
            let region = resource.region.as_str();
            // ASGs may name a template by id or by name.
            let names = |r: &str| r == resource.id || r == template.name;
            let instance = inv.iter::<Instance>().find(|(r, i)| {
                r.region == region
                    && i.state.as_deref() != Some("terminated")
                    && i.launch_template_id.as_deref() == Some(resource.id.as_str())
            });
            let group = inv.iter::<AutoScalingGroup>().find(|(r, g)| {
                r.region == region
                    && (g.launch_template_id.as_deref().is_some_and(names)
                        || g.launch_template_name.as_deref().is_some_and(names)
                        || g.mixed_instances_template_ids.iter().any(|t| names(t)))
            });
            let verdict = match (instance, group) {
                (_, Some((g, _))) => Verdict::Pass(format!("used by Auto Scaling group {}", g.display_name())),
                (Some((i, _)), None) => Verdict::Pass(format!("used by instance {}", i.id)),
                (None, None) => match inv
                    .listing(ResourceKind::Ec2Instance, region)
                    .complete(ResourceKind::Ec2Instance, region)
                    .and_then(|()| {
                        inv.listing(ResourceKind::AutoScalingGroup, region)
                            .complete(ResourceKind::AutoScalingGroup, region)
                    }) {
                    Ok(()) => Verdict::Fail(format!(
                        "launch template {} is used by no instance and no Auto Scaling group",
                        template.name
                    )),
                    Err(reason) => Verdict::Unknown(reason),
                },
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

    fn template(name: &str) -> LaunchTemplate {
        LaunchTemplate { name: name.into(), ..Default::default() }
    }

    fn instance(state: &str, template: &str) -> Instance {
        Instance { state: Some(state.into()), launch_template_id: Some(template.into()), ..Default::default() }
    }

    fn fixture() -> Inventory {
        let mut inv = inventory();
        for (id, name) in [("lt-inst", "web"), ("lt-asg", "api"), ("lt-byname", "batch"), ("lt-mixed", "spot")] {
            inv.resources.push(resource(id, template(name)));
        }
        inv.resources.push(resource("lt-old", template("old")));
        inv.resources.push(resource("lt-dead", template("dead")));
        inv.resources.push(resource("i-1", instance("running", "lt-inst")));
        inv.resources.push(resource("i-2", instance("terminated", "lt-dead")));
        let by_id = AutoScalingGroup { launch_template_id: Some("lt-asg".into()), ..Default::default() };
        let by_name = AutoScalingGroup { launch_template_name: Some("batch".into()), ..Default::default() };
        let mixed = AutoScalingGroup { mixed_instances_template_ids: vec!["lt-mixed".into()], ..Default::default() };
        inv.resources.push(resource("asg-1", by_id));
        inv.resources.push(resource("asg-2", by_name));
        inv.resources.push(resource("asg-3", mixed));
        inv
    }

    fn templates(findings: &[crate::finding::Finding]) -> Vec<(String, Status)> {
        statuses(findings).into_iter().filter(|(id, _)| id.starts_with("lt-")).collect()
    }

    #[test]
    fn pass_fail() {
        let inv = fixture();
        let findings = run(&Ec2LaunchTemplateUnused, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("lt-asg".into(), Status::Pass),
                ("lt-byname".into(), Status::Pass),
                ("lt-dead".into(), Status::Fail),
                ("lt-inst".into(), Status::Pass),
                ("lt-mixed".into(), Status::Pass),
                ("lt-old".into(), Status::Fail),
            ]
        );
        let old = findings.iter().find(|f| f.resource.id == "lt-old").map(|f| f.message.as_str());
        assert_eq!(old, Some("launch template old is used by no instance and no Auto Scaling group"));
    }

    #[test]
    fn incomplete_instance_list_makes_unreferenced_templates_unknown() {
        let mut inv = fixture();
        fail_listing(&mut inv, ResourceKind::Ec2Instance, REGION, denied("ec2:DescribeInstances"));
        let findings = run(&Ec2LaunchTemplateUnused, &inv);
        assert_eq!(
            templates(&findings),
            vec![
                ("lt-asg".into(), Status::Pass),
                ("lt-byname".into(), Status::Pass),
                ("lt-dead".into(), Status::Unknown),
                ("lt-inst".into(), Status::Pass),
                ("lt-mixed".into(), Status::Pass),
                ("lt-old".into(), Status::Unknown),
            ]
        );
        let old = findings.iter().find(|f| f.resource.id == "lt-old").and_then(|f| f.unknown_reason.as_ref());
        assert!(old.is_some_and(|r| r.cause == Cause::AccessDenied && r.operation == "ec2:DescribeInstances"));
    }

    #[test]
    fn autoscaling_not_collected_makes_unreferenced_templates_unknown() {
        let mut inv = fixture();
        inv.resources.retain(|r| r.kind() != ResourceKind::AutoScalingGroup);
        inv.listings.retain(|l| l.kind != ResourceKind::AutoScalingGroup);
        inv.services.retain(|s| s != "autoscaling");
        let findings = run(&Ec2LaunchTemplateUnused, &inv);
        assert_eq!(
            templates(&findings),
            vec![
                ("lt-asg".into(), Status::Unknown),
                ("lt-byname".into(), Status::Unknown),
                ("lt-dead".into(), Status::Unknown),
                ("lt-inst".into(), Status::Pass),
                ("lt-mixed".into(), Status::Unknown),
                ("lt-old".into(), Status::Unknown),
            ]
        );
        let old = findings.iter().find(|f| f.resource.id == "lt-old").and_then(|f| f.unknown_reason.as_ref());
        assert!(old.is_some_and(|r| r.cause == Cause::NotCollected));
    }

    #[test]
    fn templates_in_other_regions_are_not_users() {
        let mut inv = fixture();
        inv.resources.iter_mut().filter(|r| r.id == "i-1").for_each(|r| r.region = "us-east-1".into());
        let findings = run(&Ec2LaunchTemplateUnused, &inv);
        assert!(templates(&findings).contains(&("lt-inst".into(), Status::Fail)));
    }
}
