use super::super::prelude::*;
use serde::{Deserialize, Serialize};

check! {
    /// ## What it does
    /// Flags S3 buckets whose default encryption is not SSE-KMS (`aws:kms`) or DSSE-KMS (`aws:kms:dsse`), and
    /// buckets with no default encryption at all.
    ///
    /// ## Why is this bad?
    /// SSE-S3 (`AES256`) encrypts with keys S3 owns: anyone allowed to read an object reads it in clear, and the
    /// keys cannot be disabled, audited in CloudTrail or restricted by a key policy. With SSE-KMS every read also
    /// needs `kms:Decrypt` on a key you control, which gives a second, auditable gate and a kill switch.
    ///
    /// ## Remediation
    /// ```sh
    /// aws s3api put-bucket-encryption --bucket BUCKET --server-side-encryption-configuration \
    ///   '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"KEY_ARN"},"BucketKeyEnabled":true}]}'
    /// ```
    /// CDK: `new s3.Bucket(this, 'B', { encryption: s3.BucketEncryption.KMS, encryptionKey: key, bucketKeyEnabled: true })`;
    /// CloudFormation: `BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault:
    /// { SSEAlgorithm: aws:kms, KMSMasterKeyID: !Ref Key }, BucketKeyEnabled: true }] }`. Enable the S3 Bucket Key
    /// to keep KMS request costs down. Only new objects are affected; re-copy existing ones to re-encrypt them.
    ///
    /// ## Parameters
    /// - `allow_sse_s3` (bool, default `false`): also accept SSE-S3 (`AES256`), for accounts that only require
    ///   encryption at rest.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-17
    pub S3BucketDefaultEncryptionKms {
        id: "s3_bucket_default_encryption_kms",
        title: "S3 buckets are encrypted at rest with KMS keys by default",
        severity: Severity::Medium,
        service: "s3",
        kinds: &[ResourceKind::S3Bucket],
        scope: CheckScope::Resource,
        compliance: &[fsbp("S3.17")],
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// Accept SSE-S3 (`AES256`) as well as SSE-KMS.
    pub allow_sse_s3: bool,
}

// Spelled out rather than derived: the default is part of the check's documented behaviour.
#[allow(clippy::derivable_impls)]
impl Default for Params {
    fn default() -> Self {
        Params { allow_sse_s3: false }
    }
}

impl CheckParams for Params {}

fn describe(rule: &EncryptionRule) -> String {
    let kind = match rule.algorithm.as_str() {
        "aws:kms" => "SSE-KMS",
        "aws:kms:dsse" => "DSSE-KMS",
        "AES256" => "SSE-S3",
        other => return format!("{other:?}"),
    };
    match &rule.kms_key_id {
        Some(key) => format!("{kind} ({}, key {key})", rule.algorithm),
        // A KMS rule without a key id uses the AWS-managed key `aws/s3`.
        None if kind != "SSE-S3" => format!("{kind} ({}, AWS-managed key aws/s3)", rule.algorithm),
        None => format!("{kind} ({})", rule.algorithm),
    }
}

impl Check for S3BucketDefaultEncryptionKms {
    type Params = Params;

    fn run(&self, cx: &Context<'_>, params: &Params, out: &mut Findings<'_>) {
        for (resource, bucket) in cx.inventory.iter::<S3Bucket>() {
            let verdict = match bucket.encryption.known() {
                Ok(Some(rules)) => {
                    let kms = rules.iter().find(|r| matches!(r.algorithm.as_str(), "aws:kms" | "aws:kms:dsse"));
                    let sse_s3 = rules.iter().find(|r| r.algorithm == "AES256");
                    match (kms, sse_s3, rules.first()) {
                        (Some(rule), _, _) => Verdict::Pass(format!("default encryption is {}", describe(rule))),
                        (None, Some(rule), _) if params.allow_sse_s3 => Verdict::Pass(format!(
                            "default encryption is {}, accepted because allow_sse_s3 is set",
                            describe(rule)
                        )),
                        (None, _, Some(rule)) => {
                            Verdict::Fail(format!("default encryption is {}, not SSE-KMS", describe(rule)))
                        }
                        (None, _, None) => Verdict::Fail("the bucket has no default encryption rule".into()),
                    }
                }
                Ok(None) => Verdict::Fail("the bucket has no default encryption configuration".into()),
                Err(reason) => Verdict::Unknown(reason.clone()),
            };
            out.verdict(resource, verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::DynCheck;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use serde_json::json;

    fn bucket(algorithm: &str, key: Option<&str>) -> S3Bucket {
        let rule = EncryptionRule {
            algorithm: algorithm.into(),
            kms_key_id: key.map(String::from),
            bucket_key_enabled: Some(true),
        };
        S3Bucket { encryption: Field::Known(vec![rule]), ..Default::default() }
    }

    fn fixture() -> Inventory {
        let mut inv = inventory();
        inv.resources.push(resource("kms", bucket("aws:kms", Some("arn:aws:kms:eu-west-1:123456789012:key/k"))));
        inv.resources.push(resource("dsse", bucket("aws:kms:dsse", None)));
        inv.resources.push(resource("sse-s3", bucket("AES256", None)));
        inv.resources.push(resource("none", S3Bucket { encryption: Field::Absent, ..Default::default() }));
        inv.resources.push(resource(
            "denied",
            S3Bucket { encryption: Field::Unknown(denied("s3:GetBucketEncryption")), ..Default::default() },
        ));
        inv
    }

    #[test]
    fn pass_fail_unknown() {
        let findings = run(&S3BucketDefaultEncryptionKms, &fixture());
        assert_eq!(
            statuses(&findings),
            vec![
                ("denied".into(), Status::Unknown),
                ("dsse".into(), Status::Pass),
                ("kms".into(), Status::Pass),
                ("none".into(), Status::Fail),
                ("sse-s3".into(), Status::Fail),
            ]
        );
        let msg = |id: &str| findings.iter().find(|f| f.resource.id == id).map(|f| f.message.clone());
        assert_eq!(msg("sse-s3").as_deref(), Some("default encryption is SSE-S3 (AES256), not SSE-KMS"));
        assert!(msg("denied").is_some_and(|m| m.contains("s3:GetBucketEncryption")));
    }

    #[test]
    fn allow_sse_s3_accepts_aes256_only() {
        let findings = run_with(&S3BucketDefaultEncryptionKms, &fixture(), Some(json!({"allow_sse_s3": true})));
        let sse_s3 = findings.iter().find(|f| f.resource.id == "sse-s3").map(|f| f.status);
        let none = findings.iter().find(|f| f.resource.id == "none").map(|f| f.status);
        assert_eq!((sse_s3, none), (Some(Status::Pass), Some(Status::Fail)));
    }

    #[test]
    fn failed_bucket_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::S3Bucket, REGION, denied("s3:ListBuckets"));
        let findings = run(&S3BucketDefaultEncryptionKms, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }

    #[test]
    fn rejects_bad_params() {
        assert!(S3BucketDefaultEncryptionKms.validate_params(&json!({"allow_sse_s3": "yes"})).is_err());
        assert!(S3BucketDefaultEncryptionKms.validate_params(&json!({"allow_sse_s4": true})).is_err());
        assert!(S3BucketDefaultEncryptionKms.validate_params(&json!({})).is_ok());
    }
}
