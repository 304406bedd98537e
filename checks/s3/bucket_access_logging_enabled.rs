use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags S3 buckets without server access logging, and buckets that log to a target bucket that does not
    /// exist in this account and region (when the bucket list is complete enough to tell).
    ///
    /// ## Why is this bad?
    /// Server access logs record every request to the bucket, including the object-level reads and writes that
    /// CloudTrail only records when data events are paid for. Without them an investigation cannot say who read
    /// or deleted what. S3 delivers access logs only to a bucket owned by the same account in the same region,
    /// so a target that is not there (deleted, mistyped, or in another account) means no logs are delivered.
    ///
    /// ## Remediation
    /// ```sh
    /// aws s3api put-bucket-logging --bucket BUCKET --bucket-logging-status \
    ///   '{"LoggingEnabled":{"TargetBucket":"LOG_BUCKET","TargetPrefix":"BUCKET/"}}'
    /// ```
    /// The target bucket must be in the same account and region and grant `s3:PutObject` to the
    /// `logging.s3.amazonaws.com` service principal. CDK: `new s3.Bucket(this, 'B', { serverAccessLogsBucket:
    /// logBucket, serverAccessLogsPrefix: 'b/' })`; CloudFormation: `LoggingConfiguration: { DestinationBucketName:
    /// !Ref LogBucket, LogFilePrefix: b/ }`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-9
    pub S3BucketAccessLoggingEnabled {
        id: "s3_bucket_access_logging_enabled",
        title: "S3 buckets have server access logging enabled",
        severity: Severity::Medium,
        service: "s3",
        kinds: &[ResourceKind::S3Bucket],
        scope: CheckScope::Resource,
        compliance: &[fsbp("S3.9")],
    }
}

impl Check for S3BucketAccessLoggingEnabled {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        let inventory = cx.inventory;
        for (resource, bucket) in inventory.iter::<S3Bucket>() {
            let verdict = match bucket.logging.known() {
                Ok(Some(target)) => {
                    let name = &target.target_bucket;
                    let found = inventory.iter::<S3Bucket>().find(|(r, _)| &r.id == name).map(|(r, _)| r);
                    match found {
                        Some(t) if t.region == resource.region => {
                            Verdict::Pass(format!("server access logs are delivered to bucket {name}"))
                        }
                        Some(t) => Verdict::Fail(format!(
                            "server access logs target bucket {name}, which is in {} and not in the bucket's region \
                             {}, so S3 cannot deliver them",
                            t.region, resource.region
                        )),
                        // ListBuckets returns every bucket of the account, so a complete listing of the region
                        // settles whether the target exists here; otherwise nothing may be concluded.
                        None => match inventory
                            .listing(ResourceKind::S3Bucket, &resource.region)
                            .complete(ResourceKind::S3Bucket, &resource.region)
                        {
                            Ok(()) => Verdict::Fail(format!(
                                "server access logs target bucket {name}, which does not exist in this account in \
                                 {} (deleted, mistyped or owned by another account; S3 delivers only to a bucket \
                                 of the same account and region)",
                                resource.region
                            )),
                            Err(reason) => Verdict::Unknown(reason),
                        },
                    }
                }
                Ok(None) => Verdict::Fail("server access logging is disabled".into()),
                Err(reason) => Verdict::Unknown(reason.clone()),
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

    fn bucket(logging: Field<LoggingTarget>) -> S3Bucket {
        S3Bucket { logging, ..Default::default() }
    }

    fn to(target: &str) -> Field<LoggingTarget> {
        Field::Known(LoggingTarget { target_bucket: target.into(), target_prefix: "logs/".into() })
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        inv.resources.push(resource("logs", bucket(Field::Absent)));
        inv.resources.push(resource("app", bucket(to("logs"))));
        inv.resources.push(resource("orphan", bucket(to("gone"))));
        inv.resources.push(resource("denied", bucket(Field::Unknown(denied("s3:GetBucketLogging")))));
        let mut far = resource("far", bucket(to("logs")));
        far.region = "us-east-1".into();
        inv.resources.push(far);
        let findings = run(&S3BucketAccessLoggingEnabled, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("app".into(), Status::Pass),
                ("denied".into(), Status::Unknown),
                ("far".into(), Status::Fail),
                ("logs".into(), Status::Fail),
                ("orphan".into(), Status::Fail),
            ]
        );
        let orphan = findings.iter().find(|f| f.resource.id == "orphan").map(|f| f.message.as_str());
        assert!(orphan.is_some_and(|m| m.contains("gone") && m.contains("another account")));
    }

    #[test]
    fn missing_target_is_unknown_when_the_region_was_not_listed_completely() {
        let mut inv = inventory();
        let mut b = resource("app", bucket(to("elsewhere")));
        b.region = "us-east-1".into();
        inv.resources.push(b);
        let findings = run(&S3BucketAccessLoggingEnabled, &inv);
        assert_eq!(statuses(&findings), vec![("app".into(), Status::Unknown)]);
    }

    #[test]
    fn failed_bucket_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::S3Bucket, REGION, denied("s3:ListBuckets"));
        let findings = run(&S3BucketAccessLoggingEnabled, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
