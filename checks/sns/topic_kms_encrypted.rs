use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags SNS topics without server-side encryption with a KMS key (no `KmsMasterKeyId`). A topic encrypted with
    /// the AWS-managed key `alias/aws/sns` passes.
    ///
    /// ## Why is this bad?
    /// SNS keeps messages on disk until they are delivered. With a KMS key, reading them takes `kms:Decrypt` on
    /// that key in addition to SNS permissions, every use of the key is logged in CloudTrail, and disabling the
    /// key cuts off access at once. Notifications often carry order details, alerts with hostnames, or personal
    /// data.
    ///
    /// ## Remediation
    /// ```sh
    /// aws sns set-topic-attributes --topic-arn TOPIC_ARN \
    ///   --attribute-name KmsMasterKeyId --attribute-value alias/aws/sns
    /// ```
    /// Use a customer-managed key when other services publish to the topic (EventBridge, CloudWatch alarms, S3):
    /// its key policy must let them use the key. CDK: `new sns.Topic(this, 'T', { masterKey: key })`;
    /// CloudFormation: `AWS::SNS::Topic` with `KmsMasterKeyId`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html
    /// - https://docs.aws.amazon.com/sns/latest/dg/sns-enable-encryption-for-topic.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/sns-controls.html#sns-1
    pub SnsTopicKmsEncrypted {
        id: "sns_topic_kms_encrypted",
        title: "SNS topics are encrypted at rest with KMS",
        severity: Severity::Medium,
        service: "sns",
        kinds: &[ResourceKind::SnsTopic],
        scope: CheckScope::Resource,
        // SNS.1 exists in Security Hub but was removed from the FSBP standard in April 2024.
        compliance: &[],
    }
}

impl Check for SnsTopicKmsEncrypted {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, topic) in cx.inventory.iter::<SnsTopic>() {
            let verdict = match topic.kms_master_key_id.known() {
                Ok(Some(key)) => Verdict::Pass(format!("encrypted with KMS key {key}")),
                Ok(None) => Verdict::Fail("the topic is not encrypted with a KMS key".into()),
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

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        let topics = [
            ("encrypted", Field::Known("alias/aws/sns".to_string())),
            ("plain", Field::Absent),
            ("denied", Field::Unknown(denied("sns:GetTopicAttributes"))),
        ];
        for (id, key) in topics {
            inv.resources.push(resource(id, SnsTopic { kms_master_key_id: key, ..Default::default() }));
        }
        let findings = run(&SnsTopicKmsEncrypted, &inv);
        let s = |id: &str, st| (id.to_string(), st);
        assert_eq!(
            statuses(&findings),
            vec![s("denied", Status::Unknown), s("encrypted", Status::Pass), s("plain", Status::Fail)]
        );
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::SnsTopic, REGION, denied("sns:ListTopics"));
        assert_eq!(statuses(&run(&SnsTopicKmsEncrypted, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
