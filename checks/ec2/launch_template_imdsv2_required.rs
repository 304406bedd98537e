use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags EC2 launch templates whose latest version does not require IMDSv2: metadata `HttpTokens` is
    /// `optional` or not set. A template that does not set it leaves the choice to the AMI and the account's
    /// instance metadata defaults, which allow IMDSv1 unless they were changed, so it fails too. Templates that
    /// require tokens, or disable the metadata endpoint, pass. (Security Hub's EC2.170 judges the default version;
    /// this check judges the latest, the one a new version is built from.)
    ///
    /// ## Why is this bad?
    /// Every instance launched from the template (by hand, by an Auto Scaling group, by a pipeline) inherits its
    /// metadata options. With IMDSv1 allowed, a server-side request forgery bug or an open proxy on the instance
    /// is enough to read the instance role's temporary credentials; IMDSv2 needs a PUT with a session token first.
    ///
    /// ## Remediation
    /// Create a new version that requires IMDSv2 and make it the default:
    /// ```sh
    /// aws ec2 create-launch-template-version --launch-template-id lt-0123 --source-version '$Latest' \
    ///   --launch-template-data '{"MetadataOptions":{"HttpTokens":"required","HttpEndpoint":"enabled"}}'
    /// aws ec2 modify-launch-template --launch-template-id lt-0123 --default-version NEW_VERSION
    /// ```
    /// CDK: `new ec2.LaunchTemplate(this, 'T', { requireImdsv2: true, ... })`; CloudFormation:
    /// `LaunchTemplateData: { MetadataOptions: { HttpTokens: required } }` in `AWS::EC2::LaunchTemplate`.
    /// Check that the instance's SDKs and agents support IMDSv2 first (all current AWS SDKs do).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html
    /// - https://docs.aws.amazon.com/config/latest/developerguide/ec2-launch-template-imdsv2-check.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-170
    pub Ec2LaunchTemplateImdsv2Required {
        id: "ec2_launch_template_imdsv2_required",
        title: "EC2 launch templates require IMDSv2",
        severity: Severity::Medium,
        service: "ec2",
        kinds: &[ResourceKind::Ec2LaunchTemplate],
        scope: CheckScope::Resource,
        compliance: &[fsbp("EC2.170")],
    }
}

fn judge(data: &LaunchTemplateData) -> Verdict {
    match (data.metadata_http_endpoint.as_deref(), data.metadata_http_tokens.as_deref()) {
        (Some("disabled"), _) => Verdict::Pass("the template disables the instance metadata service".into()),
        (_, Some("required")) => Verdict::Pass("the template requires IMDSv2".into()),
        (_, Some("optional")) => Verdict::Fail("the template allows IMDSv1: metadata HttpTokens is optional".into()),
        (_, None) => Verdict::Fail(
            "the template does not require IMDSv2: metadata HttpTokens is not set, so the AMI or account default \
             applies (IMDSv1 allowed unless changed)"
                .into(),
        ),
        (_, Some(other)) => Verdict::Unknown(UnknownReason::new(
            Cause::Malformed,
            "ec2:DescribeLaunchTemplateVersions",
            format!("EC2 reported an unexpected metadata HttpTokens value {other:?}"),
        )),
    }
}

impl Check for Ec2LaunchTemplateImdsv2Required {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, template) in cx.inventory.iter::<LaunchTemplate>() {
            let verdict = template.latest_data().map_or_else(Verdict::Unknown, judge);
            out.verdict(resource, verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn template(endpoint: Option<&str>, tokens: Option<&str>) -> LaunchTemplate {
        LaunchTemplate {
            name: "t".into(),
            latest: Field::Known(LaunchTemplateData {
                metadata_http_endpoint: endpoint.map(String::from),
                metadata_http_tokens: tokens.map(String::from),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        inv.resources.push(resource("lt-v2", template(Some("enabled"), Some("required"))));
        inv.resources.push(resource("lt-off", template(Some("disabled"), Some("optional"))));
        inv.resources.push(resource("lt-v1", template(Some("enabled"), Some("optional"))));
        inv.resources.push(resource("lt-unset", template(None, None)));
        let denied_template = LaunchTemplate {
            latest: Field::Unknown(denied("ec2:DescribeLaunchTemplateVersions")),
            ..Default::default()
        };
        inv.resources.push(resource("lt-denied", denied_template));
        let findings = run(&Ec2LaunchTemplateImdsv2Required, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("lt-denied".into(), Status::Unknown),
                ("lt-off".into(), Status::Pass),
                ("lt-unset".into(), Status::Fail),
                ("lt-v1".into(), Status::Fail),
                ("lt-v2".into(), Status::Pass),
            ]
        );
        let unset = findings.iter().find(|f| f.resource.id == "lt-unset").map(|f| f.message.as_str());
        assert!(unset.is_some_and(|m| m.starts_with("the template does not require IMDSv2")));
        let reason = findings.iter().find(|f| f.resource.id == "lt-denied").and_then(|f| f.unknown_reason.as_ref());
        assert!(reason.is_some_and(|r| r.cause == Cause::AccessDenied));
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Ec2LaunchTemplate, REGION, denied("ec2:DescribeLaunchTemplates"));
        let findings = run(&Ec2LaunchTemplateImdsv2Required, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
