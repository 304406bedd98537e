use super::super::prelude::*;

check! {
    /// ## What it does
    /// Checks, in every audited region, that AWS Config has a delivery channel that delivers to an S3 bucket. One
    /// finding per region.
    ///
    /// ## Why is this bad?
    /// A configuration recorder cannot start without a delivery channel, and without one the configuration history
    /// and snapshots are never written to S3: they are lost after the retention period and cannot be kept for
    /// audits or investigated with other tools. A recorder that appears set up but has no channel records nothing.
    ///
    /// ## Remediation
    /// ```sh
    /// aws configservice put-delivery-channel --delivery-channel \
    ///   name=default,s3BucketName=CONFIG_BUCKET,configSnapshotDeliveryProperties={deliveryFrequency=TwentyFour_Hours}
    /// aws configservice start-configuration-recorder --configuration-recorder-name default
    /// ```
    /// The bucket policy must let `config.amazonaws.com` write to it. CloudFormation: `AWS::Config::DeliveryChannel`
    /// with `S3BucketName`, deployed to every region with a StackSet (or set up by Control Tower / Systems Manager
    /// Quick Setup); CDK: `new config.CfnDeliveryChannel(this, 'D', { s3BucketName: bucket.bucketName })`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/config/latest/developerguide/manage-delivery-channel.html
    /// - https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
    pub ConfigDeliveryChannelExists {
        id: "config_delivery_channel",
        title: "AWS Config has a delivery channel in every region",
        severity: Severity::Low,
        service: "config",
        kinds: &[ResourceKind::ConfigDeliveryChannel],
        scope: CheckScope::Region,
        compliance: &[],
    }
}

fn judge(inventory: &Inventory, region: &str) -> Verdict {
    let kind = ResourceKind::ConfigDeliveryChannel;
    let mut without_bucket = Vec::new();
    for (resource, channel) in inventory.iter::<ConfigDeliveryChannel>().filter(|(r, _)| r.region == region) {
        match channel.s3_bucket_name.as_deref().filter(|b| !b.is_empty()) {
            Some(bucket) => {
                return Verdict::Pass(format!(
                    "delivery channel {} delivers to S3 bucket {bucket}",
                    resource.display_name()
                ));
            }
            None => without_bucket.push(resource.display_name().to_string()),
        }
    }
    if !without_bucket.is_empty() {
        return Verdict::Fail(format!("delivery channel {} has no S3 bucket", without_bucket.join(", ")));
    }
    // No channel seen: only a complete listing proves there is none.
    match inventory.listing(kind, region).complete(kind, region) {
        Ok(()) => Verdict::Fail("the region has no AWS Config delivery channel".into()),
        Err(reason) => Verdict::Unknown(reason),
    }
}

impl Check for ConfigDeliveryChannelExists {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for region in &cx.inventory.regions {
            out.region(region, judge(cx.inventory, region));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn channel(bucket: Option<&str>) -> ConfigDeliveryChannel {
        ConfigDeliveryChannel { s3_bucket_name: bucket.map(String::from), ..Default::default() }
    }

    fn judge_one(channels: Vec<ConfigDeliveryChannel>) -> (Status, String) {
        let mut inv = inventory();
        for (i, c) in channels.into_iter().enumerate() {
            inv.resources.push(resource(&format!("ch{i}"), c));
        }
        let findings = run(&ConfigDeliveryChannelExists, &inv);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].region, REGION);
        (findings[0].status, findings[0].message.clone())
    }

    #[test]
    fn pass() {
        assert_eq!(
            judge_one(vec![channel(Some("config-bucket"))]),
            (Status::Pass, "delivery channel ch0 delivers to S3 bucket config-bucket".into())
        );
    }

    #[test]
    fn fail() {
        assert_eq!(judge_one(vec![]), (Status::Fail, "the region has no AWS Config delivery channel".into()));
        assert_eq!(judge_one(vec![channel(None)]), (Status::Fail, "delivery channel ch0 has no S3 bucket".into()));
    }

    #[test]
    fn unknown() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::ConfigDeliveryChannel, REGION, denied("config:DescribeDeliveryChannels"));
        inv.regions.push("us-east-1".into());
        let findings = run(&ConfigDeliveryChannelExists, &inv);
        let by_region: Vec<_> = findings.iter().map(|f| (f.region.as_str(), f.status)).collect();
        // us-east-1 was never listed: not collected, so nothing may be concluded either.
        assert_eq!(by_region, vec![(REGION, Status::Unknown), ("us-east-1", Status::Unknown)]);
        assert!(findings[0].message.contains("config:DescribeDeliveryChannels"));
    }
}
