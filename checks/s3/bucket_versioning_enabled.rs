use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags S3 buckets whose versioning is not enabled (never enabled, or suspended).
    ///
    /// ## Why is this bad?
    /// Without versioning an overwrite or a delete, by mistake, by a bug or by ransomware, destroys the only
    /// copy of the object. Versioning is also required by S3 replication.
    ///
    /// ## Remediation
    /// ```sh
    /// aws s3api put-bucket-versioning --bucket BUCKET --versioning-configuration Status=Enabled
    /// ```
    /// CDK: `new s3.Bucket(this, 'B', { versioned: true })`; CloudFormation:
    /// `VersioningConfiguration: { Status: Enabled }`. Pair it with a lifecycle rule that expires
    /// noncurrent versions.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-14
    pub S3BucketVersioningEnabled {
        id: "s3_bucket_versioning_enabled",
        title: "S3 buckets have versioning enabled",
        severity: Severity::Medium,
        service: "s3",
        kinds: &[ResourceKind::S3Bucket],
        scope: CheckScope::Resource,
        compliance: &[fsbp("S3.14")],
    }
}

impl Check for S3BucketVersioningEnabled {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, bucket) in cx.inventory.iter::<S3Bucket>() {
            let verdict = match bucket.versioning.known() {
                Ok(Some(v)) if v.enabled() => Verdict::Pass("versioning is enabled".into()),
                Ok(Some(Versioning { status: Some(status), .. })) => Verdict::Fail(format!("versioning is {status}")),
                Ok(_) => Verdict::Fail("versioning has never been enabled".into()),
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

    fn bucket(versioning: Field<Versioning>) -> S3Bucket {
        S3Bucket { versioning, ..Default::default() }
    }

    fn status(s: Option<&str>) -> Field<Versioning> {
        Field::Known(Versioning { status: s.map(String::from), mfa_delete: None })
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        inv.resources.push(resource("on", bucket(status(Some("Enabled")))));
        inv.resources.push(resource("suspended", bucket(status(Some("Suspended")))));
        inv.resources.push(resource("never", bucket(status(None))));
        inv.resources.push(resource("denied", bucket(Field::Unknown(denied("s3:GetBucketVersioning")))));
        let findings = run(&S3BucketVersioningEnabled, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("denied".into(), Status::Unknown),
                ("never".into(), Status::Fail),
                ("on".into(), Status::Pass),
                ("suspended".into(), Status::Fail),
            ]
        );
        let denied = findings.iter().find(|f| f.resource.id == "denied").map(|f| f.message.as_str());
        assert!(denied.is_some_and(|m| m.contains("s3:GetBucketVersioning") && m.contains("access denied")));
    }

    #[test]
    fn failed_bucket_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::S3Bucket, REGION, denied("s3:ListBuckets"));
        let findings = run(&S3BucketVersioningEnabled, &inv);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].status, Status::Unknown);
        assert_eq!(findings[0].region, REGION);
    }
}
