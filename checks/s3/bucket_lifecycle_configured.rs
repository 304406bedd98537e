use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags S3 buckets that have no enabled lifecycle rule: no lifecycle configuration at all, or only rules
    /// whose status is `Disabled`.
    ///
    /// ## Why is this bad?
    /// Without lifecycle rules every object, every noncurrent version and every incomplete multipart upload is kept
    /// forever. Storage cost grows unnoticed, data outlives its retention period (a compliance problem of its own),
    /// and versioned buckets accumulate old versions nobody can account for.
    ///
    /// ## Remediation
    /// ```sh
    /// aws s3api put-bucket-lifecycle-configuration --bucket BUCKET --lifecycle-configuration '{"Rules":[{
    ///   "ID":"expire-noncurrent","Status":"Enabled","Filter":{},
    ///   "NoncurrentVersionExpiration":{"NoncurrentDays":90},
    ///   "AbortIncompleteMultipartUpload":{"DaysAfterInitiation":7}}]}'
    /// ```
    /// CDK: `new s3.Bucket(this, 'B', { lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90),
    /// abortIncompleteMultipartUploadAfter: Duration.days(7) }] })`; CloudFormation: `AWS::S3::Bucket` with
    /// `LifecycleConfiguration: { Rules: [{ Status: Enabled, ... }] }`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-13
    pub S3BucketLifecycleConfigured {
        id: "s3_bucket_lifecycle_configured",
        title: "S3 buckets have an enabled lifecycle rule",
        severity: Severity::Low,
        service: "s3",
        kinds: &[ResourceKind::S3Bucket],
        scope: CheckScope::Resource,
        compliance: &[fsbp("S3.13")],
    }
}

impl Check for S3BucketLifecycleConfigured {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, bucket) in cx.inventory.iter::<S3Bucket>() {
            let verdict = match bucket.lifecycle.known() {
                Ok(Some(rules)) => {
                    let enabled = rules.iter().filter(|r| r.enabled).count();
                    if enabled > 0 {
                        Verdict::Pass(format!("{enabled} of {} lifecycle rules are enabled", rules.len()))
                    } else if rules.is_empty() {
                        Verdict::Fail("the bucket has no lifecycle rules".into())
                    } else {
                        Verdict::Fail(format!("all {} lifecycle rules are disabled", rules.len()))
                    }
                }
                Ok(None) => Verdict::Fail("the bucket has no lifecycle configuration".into()),
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

    fn bucket(lifecycle: Field<Vec<LifecycleRule>>) -> S3Bucket {
        S3Bucket { lifecycle, ..Default::default() }
    }

    fn rule(enabled: bool) -> LifecycleRule {
        LifecycleRule { id: Some("r".into()), enabled }
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        inv.resources.push(resource("mixed", bucket(Field::Known(vec![rule(false), rule(true)]))));
        inv.resources.push(resource("disabled", bucket(Field::Known(vec![rule(false)]))));
        inv.resources.push(resource("empty", bucket(Field::Known(vec![]))));
        inv.resources.push(resource("none", bucket(Field::Absent)));
        inv.resources.push(resource("denied", bucket(Field::Unknown(denied("s3:GetBucketLifecycleConfiguration")))));
        let findings = run(&S3BucketLifecycleConfigured, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("denied".into(), Status::Unknown),
                ("disabled".into(), Status::Fail),
                ("empty".into(), Status::Fail),
                ("mixed".into(), Status::Pass),
                ("none".into(), Status::Fail),
            ]
        );
        let msg = |id: &str| findings.iter().find(|f| f.resource.id == id).map(|f| f.message.clone());
        assert_eq!(msg("mixed").as_deref(), Some("1 of 2 lifecycle rules are enabled"));
        assert_eq!(msg("disabled").as_deref(), Some("all 1 lifecycle rules are disabled"));
        assert!(msg("denied").is_some_and(|m| m.contains("s3:GetBucketLifecycleConfiguration")));
    }

    #[test]
    fn failed_bucket_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::S3Bucket, REGION, denied("s3:ListBuckets"));
        let findings = run(&S3BucketLifecycleConfigured, &inv);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].status, Status::Unknown);
    }
}
