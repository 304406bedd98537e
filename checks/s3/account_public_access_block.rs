use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags an account whose account-level S3 Block Public Access configuration is missing or does not have
    /// all four settings (`BlockPublicAcls`, `IgnorePublicAcls`, `BlockPublicPolicy`, `RestrictPublicBuckets`)
    /// on.
    ///
    /// ## Why is this bad?
    /// The account-level setting applies to every bucket, existing and future, whatever its own configuration:
    /// it is the one switch that keeps a forgotten or newly created bucket from being published by an ACL or a
    /// bucket policy.
    ///
    /// ## Remediation
    /// ```sh
    /// aws s3control put-public-access-block --account-id ACCOUNT_ID --public-access-block-configuration \
    ///   BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
    /// ```
    /// CloudFormation has no resource for the account-level setting; set it once per account (for example from
    /// an AWS Organizations account factory, or with a CDK `AwsCustomResource` calling
    /// `S3Control:putPublicAccessBlock`). Check first that no bucket is meant to be public.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-account.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-1
    pub S3AccountPublicAccessBlockEnabled {
        id: "s3_account_public_access_block",
        title: "S3 Block Public Access is fully on at the account level",
        severity: Severity::High,
        service: "s3",
        kinds: &[ResourceKind::S3AccountPublicAccessBlock],
        scope: CheckScope::Resource,
        compliance: &[fsbp("S3.1"), cis("2.1.4")],
    }
}

impl Check for S3AccountPublicAccessBlockEnabled {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, setting) in cx.inventory.iter::<S3AccountPublicAccessBlock>() {
            let verdict = match setting.config.known() {
                Ok(Some(pab)) if pab.all_on() => {
                    Verdict::Pass("all four account-level Block Public Access settings are on".into())
                }
                Ok(Some(pab)) => Verdict::Fail(format!(
                    "account-level Block Public Access settings are off: {}",
                    pab.missing().join(", ")
                )),
                Ok(None) => Verdict::Fail("the account has no account-level Block Public Access configuration".into()),
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

    fn all_on() -> PublicAccessBlock {
        PublicAccessBlock {
            block_public_acls: true,
            ignore_public_acls: true,
            block_public_policy: true,
            restrict_public_buckets: true,
        }
    }

    fn judge(config: Field<PublicAccessBlock>) -> (Status, String) {
        let mut inv = inventory();
        inv.resources.push(resource(ACCOUNT, S3AccountPublicAccessBlock { config }));
        let findings = run(&S3AccountPublicAccessBlockEnabled, &inv);
        assert_eq!(findings.len(), 1);
        (findings[0].status, findings[0].message.clone())
    }

    #[test]
    fn pass_fail_unknown() {
        assert_eq!(judge(Field::Known(all_on())).0, Status::Pass);
        let (status, message) = judge(Field::Known(PublicAccessBlock { block_public_policy: false, ..all_on() }));
        assert_eq!(status, Status::Fail);
        assert!(message.ends_with("off: BlockPublicPolicy"));
        assert_eq!(judge(Field::Absent).0, Status::Fail);
        let (status, message) = judge(Field::Unknown(denied("s3control:GetPublicAccessBlock")));
        assert_eq!(status, Status::Unknown);
        assert!(message.contains("s3control:GetPublicAccessBlock"));
    }

    #[test]
    fn failed_listing_is_unknown() {
        let mut inv = inventory();
        fail_listing(
            &mut inv,
            ResourceKind::S3AccountPublicAccessBlock,
            GLOBAL,
            denied("s3control:GetPublicAccessBlock"),
        );
        let findings = run(&S3AccountPublicAccessBlockEnabled, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
        assert_eq!(findings[0].region, GLOBAL);
    }
}
