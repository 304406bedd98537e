use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags EC2 launch templates whose latest version defines an EBS block device that is not explicitly
    /// encrypted: `Encrypted` is `false`, or not set. A device that does not set it is encrypted only if its
    /// snapshot is, or if the region has EBS encryption by default turned on, so the template alone does not
    /// guarantee it; the message says so. Templates without block devices pass (they define nothing to encrypt;
    /// the AMI's mappings apply).
    ///
    /// ## Why is this bad?
    /// Unencrypted volumes, and the snapshots taken from them, expose their data to anyone who gets hold of a copy
    /// (a shared or public snapshot, a compromised backup account). Every instance launched from the template
    /// gets the same volumes, so one template setting repeats across a fleet.
    ///
    /// ## Remediation
    /// Create a new version with `Encrypted: true` on every EBS device and make it the default; turning on EBS
    /// encryption by default in the region covers devices that leave it unset:
    /// ```sh
    /// aws ec2 create-launch-template-version --launch-template-id lt-0123 --source-version '$Latest' \
    ///   --launch-template-data '{"BlockDeviceMappings":[{"DeviceName":"/dev/xvda","Ebs":{"Encrypted":true}}]}'
    /// aws ec2 modify-launch-template --launch-template-id lt-0123 --default-version NEW_VERSION
    /// aws ec2 enable-ebs-encryption-by-default
    /// ```
    /// CDK: `blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(20, { encrypted: true }) }]`
    /// on `ec2.LaunchTemplate`; CloudFormation: `Ebs: { Encrypted: true }` in each `BlockDeviceMappings` entry of
    /// the `LaunchTemplateData`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html
    /// - https://docs.aws.amazon.com/config/latest/developerguide/ec2-launchtemplate-ebs-encrypted.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-181
    pub Ec2LaunchTemplateEbsEncrypted {
        id: "ec2_launch_template_ebs_encrypted",
        title: "EC2 launch templates encrypt their EBS volumes",
        severity: Severity::Medium,
        service: "ec2",
        kinds: &[ResourceKind::Ec2LaunchTemplate],
        scope: CheckScope::Resource,
        compliance: &[fsbp("EC2.181")],
    }
}

fn judge(data: &LaunchTemplateData) -> Verdict {
    if data.block_devices.is_empty() {
        return Verdict::Pass("the template defines no block devices".into());
    }
    let name = |d: &LaunchTemplateBlockDevice| d.device_name.clone().unwrap_or_else(|| "(unnamed device)".into());
    let disabled: Vec<String> = data.block_devices.iter().filter(|d| d.encrypted == Some(false)).map(name).collect();
    let unset: Vec<String> = data.block_devices.iter().filter(|d| d.encrypted.is_none()).map(name).collect();
    let mut problems = Vec::new();
    if !disabled.is_empty() {
        problems.push(format!("encryption disabled on {}", disabled.join(", ")));
    }
    if !unset.is_empty() {
        problems.push(format!(
            "encryption not set on {}: depends on the snapshot and the account's EBS encryption by default",
            unset.join(", ")
        ));
    }
    if problems.is_empty() {
        Verdict::Pass(format!("all {} block devices are encrypted", data.block_devices.len()))
    } else {
        Verdict::Fail(problems.join("; "))
    }
}

impl Check for Ec2LaunchTemplateEbsEncrypted {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, template) in cx.inventory.iter::<LaunchTemplate>() {
            let verdict = template.latest_data().map_or_else(Verdict::Unknown, judge);
            out.verdict(resource, verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn template(devices: &[(&str, Option<bool>)]) -> LaunchTemplate {
        let block_devices = devices
            .iter()
            .map(|(name, encrypted)| LaunchTemplateBlockDevice {
                device_name: Some(name.to_string()),
                encrypted: *encrypted,
                ..Default::default()
            })
            .collect();
        LaunchTemplate {
            name: "t".into(),
            latest: Field::Known(LaunchTemplateData { block_devices, ..Default::default() }),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        inv.resources.push(resource("lt-enc", template(&[("/dev/xvda", Some(true)), ("/dev/sdb", Some(true))])));
        inv.resources.push(resource("lt-none", template(&[])));
        inv.resources.push(resource("lt-off", template(&[("/dev/xvda", Some(true)), ("/dev/sdb", Some(false))])));
        inv.resources.push(resource("lt-unset", template(&[("/dev/xvda", None)])));
        let denied_template = LaunchTemplate {
            latest: Field::Unknown(denied("ec2:DescribeLaunchTemplateVersions")),
            ..Default::default()
        };
        inv.resources.push(resource("lt-denied", denied_template));
        let findings = run(&Ec2LaunchTemplateEbsEncrypted, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("lt-denied".into(), Status::Unknown),
                ("lt-enc".into(), Status::Pass),
                ("lt-none".into(), Status::Pass),
                ("lt-off".into(), Status::Fail),
                ("lt-unset".into(), Status::Fail),
            ]
        );
        let msg =
            |id: &str| findings.iter().find(|f| f.resource.id == id).map(|f| f.message.clone()).unwrap_or_default();
        assert_eq!(msg("lt-off"), "encryption disabled on /dev/sdb");
        assert!(
            msg("lt-unset")
                .contains("not set on /dev/xvda: depends on the snapshot and the account's EBS encryption by default")
        );
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Ec2LaunchTemplate, REGION, denied("ec2:DescribeLaunchTemplates"));
        let findings = run(&Ec2LaunchTemplateEbsEncrypted, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
