use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags EC2 instances without an IAM instance profile (no IAM role). Terminated instances are not judged.
    ///
    /// ## Why is this bad?
    /// Software on an instance without a role that needs AWS access gets it from long-lived access keys copied
    /// onto the disk, into user data or into environment variables, where they leak with images, backups and
    /// logs and are rarely rotated. An instance role delivers short-lived credentials that rotate automatically,
    /// and it is also what Systems Manager (Session Manager, patching) needs to manage the instance.
    ///
    /// ## Remediation
    /// ```sh
    /// aws iam create-instance-profile --instance-profile-name app
    /// aws iam add-role-to-instance-profile --instance-profile-name app --role-name app
    /// aws ec2 associate-iam-instance-profile --instance-id i-0123 --iam-instance-profile Name=app
    /// ```
    /// CDK: `new ec2.Instance(this, 'I', { role, ... })` (CDK creates a role when none is given);
    /// CloudFormation: `AWS::IAM::InstanceProfile` and `IamInstanceProfile: !Ref Profile` on the instance or in
    /// the launch template data.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html
    pub Ec2InstanceProfileAttached {
        id: "ec2_instance_profile_attached",
        title: "EC2 instances have an IAM instance profile",
        severity: Severity::Medium,
        service: "ec2",
        kinds: &[ResourceKind::Ec2Instance],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

impl Check for Ec2InstanceProfileAttached {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, instance) in cx.inventory.iter::<Instance>() {
            if instance.state.as_deref() == Some("terminated") {
                continue;
            }
            // DescribeInstances reports the association with the instance itself: no second call can fail.
            let verdict = match &instance.iam_instance_profile_arn {
                Some(arn) => Verdict::Pass(format!("instance profile {arn} is attached")),
                None => Verdict::Fail("the instance has no IAM instance profile".into()),
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

    fn instance(state: &str, profile: Option<&str>) -> Instance {
        Instance {
            state: Some(state.into()),
            iam_instance_profile_arn: profile.map(String::from),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_and_terminated_skipped() {
        let mut inv = inventory();
        let arn = "arn:aws:iam::123456789012:instance-profile/app";
        inv.resources.push(resource("i-role", instance("running", Some(arn))));
        inv.resources.push(resource("i-none", instance("stopped", None)));
        inv.resources.push(resource("i-gone", instance("terminated", None)));
        let findings = run(&Ec2InstanceProfileAttached, &inv);
        assert_eq!(statuses(&findings), vec![("i-none".into(), Status::Fail), ("i-role".into(), Status::Pass)]);
        assert!(findings.iter().any(|f| f.message == format!("instance profile {arn} is attached")));
    }

    #[test]
    fn failed_instance_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Ec2Instance, REGION, denied("ec2:DescribeInstances"));
        let findings = run(&Ec2InstanceProfileAttached, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
