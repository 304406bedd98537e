use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags EBS volumes that are not encrypted. Attached and unattached volumes are both judged; the message
    /// says which instances a volume is attached to, or that it is unattached.
    ///
    /// ## Why is this bad?
    /// An unencrypted volume's data, and every snapshot taken of it, is readable by anyone who can copy or share
    /// the snapshot or attach the volume elsewhere, with no key policy to stop them and no KMS audit trail.
    /// Encryption at rest is also a baseline requirement of most compliance regimes.
    ///
    /// ## Remediation
    /// Volumes cannot be encrypted in place: snapshot, copy the snapshot encrypted, create a volume from it and
    /// swap it in. Then turn on encryption by default so new volumes are encrypted.
    /// ```sh
    /// aws ec2 create-snapshot --volume-id vol-0123
    /// aws ec2 copy-snapshot --source-region REGION --source-snapshot-id snap-0123 --encrypted --kms-key-id alias/ebs
    /// aws ec2 create-volume --snapshot-id snap-0456 --availability-zone AZ
    /// aws ec2 enable-ebs-encryption-by-default
    /// ```
    /// CDK: `new ec2.Volume(this, 'V', { encrypted: true, ... })` or `blockDevices: [{ volume:
    /// ec2.BlockDeviceVolume.ebs(20, { encrypted: true }) }]`; CloudFormation: `Encrypted: true` on
    /// `AWS::EC2::Volume` and in `BlockDeviceMappings[].Ebs`. Delete unattached volumes that are not needed.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-3
    pub Ec2EbsVolumeEncrypted {
        id: "ec2_ebs_volume_encrypted",
        title: "EBS volumes are encrypted",
        severity: Severity::Medium,
        service: "ec2",
        kinds: &[ResourceKind::Ec2Volume],
        scope: CheckScope::Resource,
        compliance: &[fsbp("EC2.3")],
    }
}

impl Check for Ec2EbsVolumeEncrypted {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, volume) in cx.inventory.iter::<Volume>() {
            let attachment = if volume.attached_instance_ids.is_empty() {
                "unattached".to_string()
            } else {
                format!("attached to {}", volume.attached_instance_ids.join(", "))
            };
            if volume.encrypted {
                out.pass(resource, format!("the volume is encrypted ({attachment})"));
            } else {
                out.fail(resource, format!("the volume is not encrypted ({attachment})"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn volume(encrypted: bool, attached: &[&str]) -> Volume {
        Volume {
            encrypted,
            state: Some(if attached.is_empty() { "available" } else { "in-use" }.into()),
            attached_instance_ids: attached.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail() {
        let mut inv = inventory();
        inv.resources.push(resource("vol-enc", volume(true, &["i-1"])));
        inv.resources.push(resource("vol-plain", volume(false, &["i-1"])));
        inv.resources.push(resource("vol-spare", volume(false, &[])));
        let findings = run(&Ec2EbsVolumeEncrypted, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("vol-enc".into(), Status::Pass),
                ("vol-plain".into(), Status::Fail),
                ("vol-spare".into(), Status::Fail)
            ]
        );
        let message = |id: &str| findings.iter().find(|f| f.resource.id == id).map(|f| f.message.clone());
        assert_eq!(message("vol-plain").as_deref(), Some("the volume is not encrypted (attached to i-1)"));
        assert_eq!(message("vol-spare").as_deref(), Some("the volume is not encrypted (unattached)"));
    }

    #[test]
    fn failed_volume_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Ec2Volume, REGION, denied("ec2:DescribeVolumes"));
        let findings = run(&Ec2EbsVolumeEncrypted, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
