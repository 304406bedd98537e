use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags S3 buckets whose Object Ownership is not `BucketOwnerEnforced`, i.e. buckets where access control
    /// lists (ACLs) are still enabled (`BucketOwnerPreferred`, `ObjectWriter`, or no ownership controls at all).
    ///
    /// ## Why is this bad?
    /// ACLs are a legacy access mechanism that sits beside bucket and IAM policies: a grant on one object or on the
    /// bucket can open data to another account or to everyone without appearing in any policy review. With ACLs
    /// enabled, objects uploaded by other accounts may also stay owned by them, out of the bucket owner's control.
    /// With `BucketOwnerEnforced`, ACLs are ignored and policies alone decide access.
    ///
    /// ## Remediation
    /// Move any access granted by ACLs (for example log delivery) to the bucket policy first, then:
    /// ```sh
    /// aws s3api put-bucket-ownership-controls --bucket BUCKET \
    ///   --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'
    /// ```
    /// CDK: `new s3.Bucket(this, 'B', { objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED })`;
    /// CloudFormation: `AWS::S3::Bucket` with
    /// `OwnershipControls: { Rules: [{ ObjectOwnership: BucketOwnerEnforced }] }`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-12
    pub S3BucketAclsDisabled {
        id: "s3_bucket_acls_disabled",
        title: "S3 buckets have ACLs disabled (Object Ownership is BucketOwnerEnforced)",
        severity: Severity::Medium,
        service: "s3",
        kinds: &[ResourceKind::S3Bucket],
        scope: CheckScope::Resource,
        compliance: &[fsbp("S3.12")],
    }
}

const ENFORCED: &str = "BucketOwnerEnforced";

impl Check for S3BucketAclsDisabled {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, bucket) in cx.inventory.iter::<S3Bucket>() {
            let verdict = match bucket.ownership.known() {
                Ok(Some(ownership)) if ownership == ENFORCED => {
                    Verdict::Pass("ACLs are disabled (Object Ownership is BucketOwnerEnforced)".into())
                }
                Ok(Some(ownership)) => Verdict::Fail(format!("ACLs are enabled (Object Ownership is {ownership})")),
                Ok(None) => Verdict::Fail("ACLs are enabled (no Object Ownership controls are set)".into()),
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

    fn bucket(ownership: Field<String>) -> S3Bucket {
        S3Bucket { ownership, ..Default::default() }
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        inv.resources.push(resource("enforced", bucket(Field::Known(ENFORCED.into()))));
        inv.resources.push(resource("preferred", bucket(Field::Known("BucketOwnerPreferred".into()))));
        inv.resources.push(resource("writer", bucket(Field::Known("ObjectWriter".into()))));
        inv.resources.push(resource("none", bucket(Field::Absent)));
        inv.resources.push(resource("denied", bucket(Field::Unknown(denied("s3:GetBucketOwnershipControls")))));
        let findings = run(&S3BucketAclsDisabled, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("denied".into(), Status::Unknown),
                ("enforced".into(), Status::Pass),
                ("none".into(), Status::Fail),
                ("preferred".into(), Status::Fail),
                ("writer".into(), Status::Fail),
            ]
        );
        let writer = findings.iter().find(|f| f.resource.id == "writer").map(|f| f.message.as_str());
        assert_eq!(writer, Some("ACLs are enabled (Object Ownership is ObjectWriter)"));
    }

    #[test]
    fn failed_bucket_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::S3Bucket, REGION, denied("s3:ListBuckets"));
        let findings = run(&S3BucketAclsDisabled, &inv);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].status, Status::Unknown);
    }
}
