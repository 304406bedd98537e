use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags EBS volumes of type `gp2` (previous-generation general purpose SSD). Every other type passes:
    /// `gp3`, and the types chosen for other reasons (`io1`/`io2`, `st1`, `sc1`, `standard`). Informational: a
    /// cost and performance finding, not a security one.
    ///
    /// ## Why is this bad?
    /// `gp3` costs about 20% less per GiB than `gp2` and gives 3,000 IOPS and 125 MiB/s at any size, where a
    /// `gp2` volume's IOPS scale with its size (small volumes run on burst credits). The change is done in
    /// place, online, with no downtime.
    ///
    /// ## Remediation
    /// ```sh
    /// aws ec2 modify-volume --volume-id vol-0123 --volume-type gp3
    /// ```
    /// CDK: `ec2.BlockDeviceVolume.ebs(8, { volumeType: ec2.EbsDeviceVolumeType.GP3 })`; CloudFormation:
    /// `VolumeType: gp3` on `AWS::EC2::Volume` or in the block device mappings.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html
    /// - https://docs.aws.amazon.com/ebs/latest/userguide/requesting-ebs-volume-modifications.html
    pub Ec2EbsVolumeGp3 {
        id: "ec2_ebs_volume_gp3",
        title: "EBS volumes use gp3 rather than gp2",
        severity: Severity::Info,
        service: "ec2",
        kinds: &[ResourceKind::Ec2Volume],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

impl Check for Ec2EbsVolumeGp3 {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, volume) in cx.inventory.iter::<Volume>() {
            let verdict = match volume.volume_type.as_deref() {
                Some("gp2") => Verdict::Fail(match volume.size_gib {
                    Some(size) => format!("{size} GiB gp2 volume: gp3 is cheaper per GiB with a 3,000 IOPS baseline"),
                    None => "gp2 volume: gp3 is cheaper per GiB with a 3,000 IOPS baseline".into(),
                }),
                Some(kind) => Verdict::Pass(format!("volume type is {kind}")),
                None => Verdict::Unknown(UnknownReason::new(
                    Cause::Malformed,
                    "ec2:DescribeVolumes",
                    "EC2 did not report the volume type",
                )),
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

    fn volume(kind: Option<&str>) -> Volume {
        Volume { volume_type: kind.map(String::from), size_gib: Some(8), ..Default::default() }
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        for (id, kind) in
            [("vol-gp2", Some("gp2")), ("vol-gp3", Some("gp3")), ("vol-io2", Some("io2")), ("vol-x", None)]
        {
            inv.resources.push(resource(id, volume(kind)));
        }
        let findings = run(&Ec2EbsVolumeGp3, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("vol-gp2".into(), Status::Fail),
                ("vol-gp3".into(), Status::Pass),
                ("vol-io2".into(), Status::Pass),
                ("vol-x".into(), Status::Unknown),
            ]
        );
        assert!(findings.iter().any(|f| f.message.starts_with("8 GiB gp2 volume")));
    }

    #[test]
    fn failed_volume_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Ec2Volume, REGION, denied("ec2:DescribeVolumes"));
        assert_eq!(statuses(&run(&Ec2EbsVolumeGp3, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
