use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags EC2 instances that still accept IMDSv1: the instance metadata service is enabled and session
    /// tokens are `optional`. Instances that require tokens (IMDSv2 only) or have the metadata endpoint
    /// disabled pass. Terminated instances are not judged.
    ///
    /// ## Why is this bad?
    /// IMDSv1 answers plain GET requests, so a server-side request forgery bug, an open proxy or a misconfigured
    /// WAF in front of the instance is enough to read the instance role's temporary credentials. IMDSv2 needs a
    /// PUT with a session token first, which those paths cannot send, and its hop limit keeps containers from
    /// reaching it by default.
    ///
    /// ## Remediation
    /// ```sh
    /// aws ec2 modify-instance-metadata-options --instance-id i-0123 --http-tokens required --http-endpoint enabled
    /// aws ec2 modify-instance-metadata-defaults --http-tokens required   # account default for new instances
    /// ```
    /// CDK: `new ec2.Instance(this, 'I', { requireImdsv2: true, ... })` (or `requireImdsv2: true` on a
    /// `LaunchTemplate`); CloudFormation: `MetadataOptions: { HttpTokens: required }` in the launch template
    /// data. Check that the instance's SDKs and agents support IMDSv2 first (all current AWS SDKs do).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-8
    pub Ec2InstanceImdsv2Required {
        id: "ec2_instance_imdsv2_required",
        title: "EC2 instances require IMDSv2",
        severity: Severity::High,
        service: "ec2",
        kinds: &[ResourceKind::Ec2Instance],
        scope: CheckScope::Resource,
        compliance: &[fsbp("EC2.8"), cis("5.7")],
    }
}

impl Check for Ec2InstanceImdsv2Required {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, instance) in cx.inventory.iter::<Instance>() {
            if instance.state.as_deref() == Some("terminated") {
                continue;
            }
            let verdict = match (instance.metadata_http_endpoint.as_deref(), instance.metadata_http_tokens.as_deref()) {
                (Some("disabled"), _) => Verdict::Pass("the instance metadata service is disabled".into()),
                (_, Some("required")) => Verdict::Pass("IMDSv2 is required".into()),
                (_, Some("optional")) => Verdict::Fail("IMDSv1 is allowed: metadata HttpTokens is optional".into()),
                (_, None) => Verdict::Unknown(UnknownReason::new(
                    Cause::Malformed,
                    "ec2:DescribeInstances",
                    "EC2 did not report metadata options",
                )),
                (_, Some(other)) => Verdict::Unknown(UnknownReason::new(
                    Cause::Malformed,
                    "ec2:DescribeInstances",
                    format!("EC2 reported an unexpected metadata HttpTokens value {other:?}"),
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

    fn instance(state: &str, endpoint: Option<&str>, tokens: Option<&str>) -> Instance {
        Instance {
            state: Some(state.into()),
            metadata_http_endpoint: endpoint.map(String::from),
            metadata_http_tokens: tokens.map(String::from),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        inv.resources.push(resource("i-v2", instance("running", Some("enabled"), Some("required"))));
        inv.resources.push(resource("i-off", instance("stopped", Some("disabled"), Some("optional"))));
        inv.resources.push(resource("i-v1", instance("running", Some("enabled"), Some("optional"))));
        inv.resources.push(resource("i-silent", instance("running", None, None)));
        inv.resources.push(resource("i-gone", instance("terminated", Some("enabled"), Some("optional"))));
        let findings = run(&Ec2InstanceImdsv2Required, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("i-off".into(), Status::Pass),
                ("i-silent".into(), Status::Unknown),
                ("i-v1".into(), Status::Fail),
                ("i-v2".into(), Status::Pass),
            ]
        );
        let silent = findings.iter().find(|f| f.resource.id == "i-silent").and_then(|f| f.unknown_reason.as_ref());
        assert!(
            silent.is_some_and(|r| r.cause == Cause::Malformed && r.message == "EC2 did not report metadata options")
        );
    }

    #[test]
    fn failed_instance_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Ec2Instance, REGION, denied("ec2:DescribeInstances"));
        let findings = run(&Ec2InstanceImdsv2Required, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
