use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags CloudWatch Logs log groups whose data is not encrypted with a KMS key (no `kmsKeyId`). Such groups
    /// are still encrypted at rest, with keys CloudWatch Logs owns and manages.
    ///
    /// ## Why is this bad?
    /// Logs collect what applications should not have written: tokens, personal data, request bodies. With a
    /// customer-managed KMS key, reading them also requires `kms:Decrypt` on that key, a second permission that
    /// is granted and audited separately from `logs:GetLogEvents`, and revoking the key makes the data
    /// unreadable at once.
    ///
    /// ## Remediation
    /// Give the key a policy that lets `logs.REGION.amazonaws.com` use it (with an `kms:EncryptionContext:
    /// aws:logs:arn` condition), then:
    /// ```sh
    /// aws logs associate-kms-key --log-group-name GROUP --kms-key-id arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID
    /// ```
    /// CDK: `new logs.LogGroup(this, 'G', { encryptionKey: key })`; CloudFormation: `AWS::Logs::LogGroup` with
    /// `KmsKeyId: !GetAtt Key.Arn`. Only events ingested after the association are encrypted with the key.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    /// - https://docs.aws.amazon.com/config/latest/developerguide/cloudwatch-log-group-encrypted.html
    pub LogsGroupKmsEncrypted {
        id: "logs_group_kms_encrypted",
        title: "CloudWatch Logs log groups are encrypted with a KMS key",
        severity: Severity::Low,
        service: "logs",
        kinds: &[ResourceKind::LogsLogGroup],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

impl Check for LogsGroupKmsEncrypted {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, group) in cx.inventory.iter::<LogGroup>() {
            match group.kms_key_id.as_deref() {
                Some(key) => out.pass(resource, format!("encrypted with KMS key {key}")),
                None => out.fail(resource, "not encrypted with a KMS key (service-owned keys only)"),
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
        inv.resources.push(resource("on", LogGroup { kms_key_id: Some(key.into()), ..Default::default() }));
        inv.resources.push(resource("off", LogGroup::default()));
        let findings = run(&LogsGroupKmsEncrypted, &inv);
        assert_eq!(statuses(&findings), vec![("off".into(), Status::Fail), ("on".into(), Status::Pass)]);
        assert!(findings.iter().any(|f| f.message == format!("encrypted with KMS key {key}")));
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::LogsLogGroup, REGION, denied("logs:DescribeLogGroups"));
        assert_eq!(statuses(&run(&LogsGroupKmsEncrypted, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
