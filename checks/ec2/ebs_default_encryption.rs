use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags regions where EBS encryption by default is off. The setting is regional: one finding per region.
    ///
    /// ## Why is this bad?
    /// Without it every new volume, and every volume created from an unencrypted snapshot, is unencrypted unless
    /// each launch template, CDK construct and console click asks for encryption. With it on, EBS encrypts
    /// every new volume and snapshot copy in the region, with no change to workloads.
    ///
    /// ## Remediation
    /// ```sh
    /// aws ec2 enable-ebs-encryption-by-default --region REGION
    /// aws ec2 modify-ebs-default-kms-key-id --kms-key-id alias/ebs --region REGION   # optional: own CMK
    /// ```
    /// Run it in every region in use. CloudFormation and CDK have no resource for the setting: use an
    /// `AwsCustomResource` calling `EC2.enableEbsEncryptionByDefault`, or a StackSet / AWS Config
    /// remediation (`ec2-ebs-encryption-by-default`) across the organization. Existing volumes are not affected.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-7
    pub Ec2EbsDefaultEncryption {
        id: "ec2_ebs_default_encryption",
        title: "EBS encryption by default is enabled",
        severity: Severity::Medium,
        service: "ec2",
        kinds: &[ResourceKind::Ec2EbsEncryptionByDefault],
        scope: CheckScope::Resource,
        compliance: &[fsbp("EC2.7"), cis("5.1.1")],
    }
}

impl Check for Ec2EbsDefaultEncryption {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, setting) in cx.inventory.iter::<EbsEncryptionByDefault>() {
            let verdict = match setting.enabled.known() {
                Ok(Some(true)) => match setting.default_kms_key_id.known() {
                    Ok(Some(key)) => Verdict::Pass(format!("EBS encryption by default is enabled (key {key})")),
                    _ => Verdict::Pass("EBS encryption by default is enabled".into()),
                },
                Ok(Some(false)) => {
                    Verdict::Fail(format!("EBS encryption by default is disabled in {}", resource.region))
                }
                // GetEbsEncryptionByDefault always answers true or false; no answer is not a "no".
                Ok(None) => Verdict::Unknown(UnknownReason::new(
                    Cause::Malformed,
                    "ec2:GetEbsEncryptionByDefault",
                    "EC2 did not report whether encryption by default is enabled",
                )),
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

    fn setting(enabled: Field<bool>) -> EbsEncryptionByDefault {
        EbsEncryptionByDefault { enabled, default_kms_key_id: Field::Known("alias/aws/ebs".into()) }
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        inv.resources.push(resource("on", setting(Field::Known(true))));
        inv.resources.push(resource("off", setting(Field::Known(false))));
        inv.resources.push(resource("denied", setting(Field::Unknown(denied("ec2:GetEbsEncryptionByDefault")))));
        let findings = run(&Ec2EbsDefaultEncryption, &inv);
        assert_eq!(
            statuses(&findings),
            vec![("denied".into(), Status::Unknown), ("off".into(), Status::Fail), ("on".into(), Status::Pass)]
        );
        let denied = findings.iter().find(|f| f.resource.id == "denied").map(|f| f.message.as_str());
        assert!(denied.is_some_and(|m| m.contains("ec2:GetEbsEncryptionByDefault") && m.contains("access denied")));
        let off = findings.iter().find(|f| f.resource.id == "off").map(|f| f.message.as_str());
        assert_eq!(off, Some("EBS encryption by default is disabled in eu-west-1"));
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(
            &mut inv,
            ResourceKind::Ec2EbsEncryptionByDefault,
            REGION,
            denied("ec2:GetEbsEncryptionByDefault"),
        );
        let findings = run(&Ec2EbsDefaultEncryption, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
