use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags CloudTrail trails that do not have log file integrity validation enabled.
    ///
    /// ## Why is this bad?
    /// With validation on, CloudTrail writes a signed digest file every hour that proves which log files it
    /// delivered and that they have not been changed or deleted since. Without it, an attacker who reaches the log
    /// bucket can edit or remove the records of what they did, and nobody can prove it.
    ///
    /// ## Remediation
    /// ```sh
    /// aws cloudtrail update-trail --name TRAIL --enable-log-file-validation
    /// aws cloudtrail validate-logs --trail-arn TRAIL_ARN --start-time 2026-01-01T00:00:00Z
    /// ```
    /// CDK: `new cloudtrail.Trail(this, 'T', { enableFileValidation: true })` (the default); CloudFormation:
    /// `AWS::CloudTrail::Trail` with `EnableLogFileValidation: true`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-4
    pub CloudtrailLogFileValidation {
        id: "cloudtrail_log_file_validation",
        title: "CloudTrail trails have log file validation enabled",
        severity: Severity::Medium,
        service: "cloudtrail",
        kinds: &[ResourceKind::CloudTrailTrail],
        scope: CheckScope::Resource,
        compliance: &[fsbp("CloudTrail.4"), cis("3.2")],
    }
}

impl Check for CloudtrailLogFileValidation {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, trail) in cx.inventory.iter::<Trail>() {
            if trail.log_file_validation_enabled {
                out.pass(resource, "log file validation is enabled");
            } else {
                out.fail(resource, "log file validation is disabled");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    #[test]
    fn pass_fail() {
        let mut inv = inventory();
        inv.resources.push(resource("on", Trail { log_file_validation_enabled: true, ..Default::default() }));
        inv.resources.push(resource("off", Trail::default()));
        let findings = run(&CloudtrailLogFileValidation, &inv);
        assert_eq!(statuses(&findings), vec![("off".into(), Status::Fail), ("on".into(), Status::Pass)]);
    }

    #[test]
    fn failed_trail_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::CloudTrailTrail, REGION, denied("cloudtrail:DescribeTrails"));
        let findings = run(&CloudtrailLogFileValidation, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
        assert!(findings[0].message.contains("cloudtrail:DescribeTrails"));
    }
}
