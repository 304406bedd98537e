use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags S3 buckets whose bucket-level Block Public Access configuration is missing or does not have all four
    /// settings (`BlockPublicAcls`, `IgnorePublicAcls`, `BlockPublicPolicy`, `RestrictPublicBuckets`) on.
    ///
    /// ## Why is this bad?
    /// Block Public Access is the guard rail that stops a single ACL or policy edit from publishing a bucket.
    /// The account-level setting (`s3_account_public_access_block`) covers every bucket, but it can be turned off
    /// by one call or be missing in a new account; the bucket-level setting keeps each bucket private on its own.
    ///
    /// ## Remediation
    /// ```sh
    /// aws s3api put-public-access-block --bucket BUCKET --public-access-block-configuration \
    ///   BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
    /// ```
    /// CDK: `new s3.Bucket(this, 'B', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL })`; CloudFormation:
    /// `PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true,
    /// RestrictPublicBuckets: true }`. A bucket that must serve public content should sit behind CloudFront with
    /// origin access control instead.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-8
    pub S3BucketPublicAccessBlock {
        id: "s3_bucket_public_access_block",
        title: "S3 buckets have all Block Public Access settings on",
        severity: Severity::High,
        service: "s3",
        kinds: &[ResourceKind::S3Bucket],
        scope: CheckScope::Resource,
        compliance: &[fsbp("S3.8"), cis("2.1.4")],
    }
}

impl Check for S3BucketPublicAccessBlock {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, bucket) in cx.inventory.iter::<S3Bucket>() {
            let verdict = match bucket.public_access_block.known() {
                Ok(Some(pab)) if pab.all_on() => Verdict::Pass("all four Block Public Access settings are on".into()),
                Ok(Some(pab)) => {
                    Verdict::Fail(format!("Block Public Access settings are off: {}", pab.missing().join(", ")))
                }
                Ok(None) => Verdict::Fail("the bucket has no Block Public Access configuration".into()),
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

    fn bucket(public_access_block: Field<PublicAccessBlock>) -> S3Bucket {
        S3Bucket { public_access_block, ..Default::default() }
    }

    #[test]
    fn pass_fail_unknown() {
        let all = PublicAccessBlock {
            block_public_acls: true,
            ignore_public_acls: true,
            block_public_policy: true,
            restrict_public_buckets: true,
        };
        let partial = PublicAccessBlock { restrict_public_buckets: false, ignore_public_acls: false, ..all };
        let mut inv = inventory();
        inv.resources.push(resource("all", bucket(Field::Known(all))));
        inv.resources.push(resource("partial", bucket(Field::Known(partial))));
        inv.resources.push(resource("none", bucket(Field::Absent)));
        inv.resources.push(resource("denied", bucket(Field::Unknown(denied("s3:GetBucketPublicAccessBlock")))));
        let findings = run(&S3BucketPublicAccessBlock, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("all".into(), Status::Pass),
                ("denied".into(), Status::Unknown),
                ("none".into(), Status::Fail),
                ("partial".into(), Status::Fail),
            ]
        );
        let partial = findings.iter().find(|f| f.resource.id == "partial").map(|f| f.message.as_str());
        assert_eq!(partial, Some("Block Public Access settings are off: IgnorePublicAcls, RestrictPublicBuckets"));
    }

    #[test]
    fn failed_bucket_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::S3Bucket, REGION, denied("s3:ListBuckets"));
        let findings = run(&S3BucketPublicAccessBlock, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
