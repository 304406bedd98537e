use super::super::prelude::*;
use super::bucket_not_public::trail_bucket;

check! {
    /// ## What it does
    /// Flags CloudTrail trails whose S3 bucket has no server access logging. One finding per trail. Whether the
    /// logging target bucket exists and can receive the logs is judged for every bucket by
    /// `s3_bucket_access_logging_enabled`.
    ///
    /// A trail whose bucket is not in this audit's inventory (a central log archive in another account, a bucket
    /// in a region that was not audited, or one that no longer exists) is UNKNOWN: its settings were not read.
    ///
    /// ## Why is this bad?
    /// CloudTrail records the API calls made in the account, but reads and deletions of the log files themselves
    /// are object-level S3 requests it does not record by default. Server access logs on the trail's bucket show
    /// who read, copied or deleted the audit trail: without them, tampering with the evidence leaves no trace.
    ///
    /// ## Remediation
    /// Send the trail bucket's access logs to a separate bucket in the same account and region:
    /// ```sh
    /// aws s3api put-bucket-logging --bucket TRAIL_BUCKET --bucket-logging-status \
    ///   '{"LoggingEnabled":{"TargetBucket":"ACCESS_LOG_BUCKET","TargetPrefix":"TRAIL_BUCKET/"}}'
    /// ```
    /// The target bucket must grant `s3:PutObject` to the `logging.s3.amazonaws.com` service principal. CDK:
    /// `new s3.Bucket(this, 'TrailLogs', { serverAccessLogsBucket: accessLogs, serverAccessLogsPrefix: 'trail/' })`
    /// passed as `bucket` to `new cloudtrail.Trail(...)`; CloudFormation: `LoggingConfiguration: {
    /// DestinationBucketName: !Ref AccessLogBucket, LogFilePrefix: trail/ }` on the trail's bucket.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-7
    pub CloudtrailBucketAccessLogging {
        id: "cloudtrail_bucket_access_logging",
        title: "The S3 bucket of each CloudTrail trail has server access logging enabled",
        severity: Severity::Low,
        service: "cloudtrail",
        kinds: &[ResourceKind::CloudTrailTrail, ResourceKind::S3Bucket],
        scope: CheckScope::Resource,
        // CIS: left out until the v5.0 recommendation number is confirmed from AWS's or CIS's own text.
        compliance: &[],
    }
}

impl Check for CloudtrailBucketAccessLogging {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, trail) in cx.inventory.iter::<Trail>() {
            let verdict = match trail_bucket(cx.inventory, resource, trail) {
                Ok((bucket_resource, bucket)) => {
                    let name = &bucket_resource.id;
                    match bucket.logging.known() {
                        Ok(Some(target)) => Verdict::Pass(format!(
                            "the trail's bucket {name} logs its access to bucket {}",
                            target.target_bucket
                        )),
                        Ok(None) => Verdict::Fail(format!("the trail's bucket {name} has no server access logging")),
                        Err(reason) => Verdict::Unknown(reason.clone()),
                    }
                }
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

    fn trail(bucket: &str) -> Trail {
        Trail { home_region: REGION.into(), s3_bucket_name: Some(bucket.into()), ..Default::default() }
    }

    fn bucket(logging: Field<LoggingTarget>) -> S3Bucket {
        S3Bucket { logging, ..Default::default() }
    }

    fn judge(inv: &Inventory) -> Vec<(String, Status, String)> {
        let mut v: Vec<_> = run(&CloudtrailBucketAccessLogging, inv)
            .into_iter()
            .map(|f| (f.resource.id, f.status, f.message))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        let to_access_logs = LoggingTarget { target_bucket: "access-logs".into(), target_prefix: "t/".into() };
        inv.resources.push(resource("logged", bucket(Field::Known(to_access_logs))));
        inv.resources.push(resource("unlogged", bucket(Field::Absent)));
        inv.resources.push(resource("unread", bucket(Field::Unknown(denied("s3:GetBucketLogging")))));
        inv.resources.push(resource("a", trail("logged")));
        inv.resources.push(resource("b", trail("unlogged")));
        inv.resources.push(resource("c", trail("unread")));
        inv.resources.push(resource("d", trail("elsewhere")));
        let found = judge(&inv);
        let status: Vec<_> = found.iter().map(|(id, s, _)| (id.as_str(), *s)).collect();
        assert_eq!(
            status,
            vec![("a", Status::Pass), ("b", Status::Fail), ("c", Status::Unknown), ("d", Status::Unknown)]
        );
        assert_eq!(found[0].2, "the trail's bucket logged logs its access to bucket access-logs");
        assert_eq!(found[1].2, "the trail's bucket unlogged has no server access logging");
        assert!(found[2].2.contains("s3:GetBucketLogging"), "{}", found[2].2);
        assert!(found[3].2.contains("elsewhere"), "{}", found[3].2);
    }

    #[test]
    fn failed_trail_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::CloudTrailTrail, REGION, denied("cloudtrail:DescribeTrails"));
        let findings = run(&CloudtrailBucketAccessLogging, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
