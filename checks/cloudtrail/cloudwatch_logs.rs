use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags CloudTrail trails that do not deliver their events to a CloudWatch Logs log group (no
    /// `CloudWatchLogsLogGroupArn`), as AWS Config's `cloud-trail-cloud-watch-logs-enabled` rule does.
    ///
    /// ## Why is this bad?
    /// A trail that only writes to S3 is a record for later: log files arrive every few minutes and nobody reads
    /// them until something has gone wrong. Delivered to CloudWatch Logs, the same events can drive metric
    /// filters and alarms (the CIS monitoring items, see `cloudwatch_cis_metric_alarms`), Logs Insights queries
    /// and subscriptions to a SIEM, within seconds.
    ///
    /// ## Remediation
    /// Create the log group and a role that `cloudtrail.amazonaws.com` can assume with `logs:CreateLogStream`
    /// and `logs:PutLogEvents` on it, then:
    /// ```sh
    /// aws cloudtrail update-trail --name TRAIL \
    ///   --cloud-watch-logs-log-group-arn arn:aws:logs:REGION:ACCOUNT_ID:log-group:GROUP:* \
    ///   --cloud-watch-logs-role-arn arn:aws:iam::ACCOUNT_ID:role/CloudTrailToCloudWatchLogs
    /// ```
    /// CDK: `new cloudtrail.Trail(this, 'T', { sendToCloudWatchLogs: true, cloudWatchLogsRetention:
    /// logs.RetentionDays.ONE_YEAR })`; CloudFormation: `AWS::CloudTrail::Trail` with `CloudWatchLogsLogGroupArn`
    /// and `CloudWatchLogsRoleArn`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html
    /// - https://docs.aws.amazon.com/config/latest/developerguide/cloud-trail-cloud-watch-logs-enabled.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-5
    pub CloudtrailCloudwatchLogs {
        id: "cloudtrail_cloudwatch_logs",
        title: "CloudTrail trails deliver to CloudWatch Logs",
        severity: Severity::Low,
        service: "cloudtrail",
        kinds: &[ResourceKind::CloudTrailTrail],
        scope: CheckScope::Resource,
        compliance: &[fsbp("CloudTrail.5")],
    }
}

impl Check for CloudtrailCloudwatchLogs {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, trail) in cx.inventory.iter::<Trail>() {
            match trail.cloudwatch_logs_log_group_arn.as_deref() {
                Some(arn) => {
                    let group = LogGroupArn::parse(arn).map_or_else(|| arn.to_string(), |g| g.name);
                    out.pass(resource, format!("delivers events to CloudWatch Logs log group {group}"))
                }
                None => out.fail(resource, "does not deliver events to CloudWatch Logs"),
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
        let arn = "arn:aws:logs:eu-west-1:123456789012:log-group:cloudtrail/main:*";
        let mut inv = inventory();
        let delivering = Trail { cloudwatch_logs_log_group_arn: Some(arn.into()), ..Default::default() };
        inv.resources.push(resource("on", delivering));
        inv.resources.push(resource("off", Trail::default()));
        let findings = run(&CloudtrailCloudwatchLogs, &inv);
        assert_eq!(statuses(&findings), vec![("off".into(), Status::Fail), ("on".into(), Status::Pass)]);
        let on = findings.iter().find(|f| f.resource.id == "on").map(|f| f.message.as_str());
        assert_eq!(on, Some("delivers events to CloudWatch Logs log group cloudtrail/main"));
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::CloudTrailTrail, REGION, denied("cloudtrail:DescribeTrails"));
        assert_eq!(statuses(&run(&CloudtrailCloudwatchLogs, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
