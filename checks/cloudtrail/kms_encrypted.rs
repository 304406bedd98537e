use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags CloudTrail trails whose log files are not encrypted with a KMS key (SSE-KMS), i.e. trails with no
    /// `KmsKeyId`.
    ///
    /// ## Why is this bad?
    /// Without a KMS key, log files are only encrypted with S3-managed keys (SSE-S3): anyone who can read the log
    /// bucket can read the whole account's API history. With SSE-KMS, reading the logs also needs `kms:Decrypt` on
    /// the trail's key, a second, separately audited permission, and every decryption is itself logged.
    ///
    /// ## Remediation
    /// Create a symmetric KMS key whose policy lets `cloudtrail.amazonaws.com` use it (`kms:GenerateDataKey*`,
    /// `kms:DescribeKey`) and lets log readers decrypt, then:
    /// ```sh
    /// aws cloudtrail update-trail --name TRAIL --kms-key-id arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID
    /// ```
    /// CDK: `new cloudtrail.Trail(this, 'T', { encryptionKey: key })`; CloudFormation: `AWS::CloudTrail::Trail`
    /// with `KMSKeyId: !GetAtt Key.Arn`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-2
    pub CloudtrailKmsEncrypted {
        id: "cloudtrail_kms_encrypted",
        title: "CloudTrail trails encrypt their log files with a KMS key",
        severity: Severity::Medium,
        service: "cloudtrail",
        kinds: &[ResourceKind::CloudTrailTrail],
        scope: CheckScope::Resource,
        compliance: &[fsbp("CloudTrail.2")],
    }
}

impl Check for CloudtrailKmsEncrypted {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, trail) in cx.inventory.iter::<Trail>() {
            match trail.kms_key_id.as_deref() {
                Some(key) => out.pass(resource, format!("log files are encrypted with KMS key {key}")),
                None => out.fail(resource, "log files are not encrypted with a KMS key (SSE-S3 only)"),
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
        let key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let mut inv = inventory();
        inv.resources.push(resource("on", Trail { kms_key_id: Some(key.into()), ..Default::default() }));
        inv.resources.push(resource("off", Trail::default()));
        let findings = run(&CloudtrailKmsEncrypted, &inv);
        assert_eq!(statuses(&findings), vec![("off".into(), Status::Fail), ("on".into(), Status::Pass)]);
        let on = findings.iter().find(|f| f.resource.id == "on").map(|f| f.message.clone());
        assert_eq!(on, Some(format!("log files are encrypted with KMS key {key}")));
    }

    #[test]
    fn failed_trail_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::CloudTrailTrail, REGION, denied("cloudtrail:DescribeTrails"));
        let findings = run(&CloudtrailKmsEncrypted, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
        assert!(findings[0].message.contains("cloudtrail:DescribeTrails"));
    }
}
