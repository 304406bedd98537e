use super::super::prelude::*;

check! {
    /// ## What it does
    /// A summary per audited region: does an AWS Config configuration recorder record there, and does a
    /// CloudTrail trail that is logging cover it (a multi-region trail, or a single-region trail homed there)?
    /// One finding per region, naming what is missing. The detailed checks (`config_recorder_enabled`,
    /// `cloudtrail_multi_region_logging`) say how each one falls short; this one shows the coverage map at a
    /// glance.
    ///
    /// A region is UNKNOWN when what is missing cannot be told: the recorder or trail list could not be read, or
    /// a recorder's or trail's status could not be read. When one part is known to be missing, the region FAILS
    /// and the message says which other part could not be read.
    ///
    /// ## Why is this bad?
    /// Config and CloudTrail are the two records of an account: what the resources looked like, and who changed
    /// them. A region without either is a region where an intruder can create resources (crypto miners,
    /// exfiltration endpoints) that nobody sees appear, and where an incident cannot be reconstructed. Unused
    /// regions are exactly where such activity hides.
    ///
    /// ## Remediation
    /// One multi-region trail covers every region; Config needs a recorder in each region:
    /// ```sh
    /// aws cloudtrail create-trail --name org-audit --s3-bucket-name LOG_BUCKET --is-multi-region-trail
    /// aws cloudtrail start-logging --name org-audit
    /// aws configservice put-configuration-recorder --region REGION --configuration-recorder \
    ///   name=default,roleARN=arn:aws:iam::ACCOUNT_ID:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig \
    ///   --recording-group allSupported=true
    /// aws configservice put-delivery-channel --region REGION --delivery-channel name=default,s3BucketName=CONFIG_BUCKET
    /// aws configservice start-configuration-recorder --region REGION --configuration-recorder-name default
    /// ```
    /// CloudFormation: deploy `AWS::Config::ConfigurationRecorder` and `AWS::Config::DeliveryChannel` to every
    /// region with a StackSet, and one `AWS::CloudTrail::Trail` with `IsMultiRegionTrail: true` and
    /// `IsLogging: true`. CDK: `new cloudtrail.Trail(this, 'T', { isMultiRegionTrail: true })` plus
    /// `config.CfnConfigurationRecorder` in a stack instantiated per region. AWS Control Tower sets up both.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html
    /// - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html
    /// - https://docs.aws.amazon.com/controltower/latest/userguide/region-how.html
    pub RegionConfigCoverage {
        id: "region_config_coverage",
        title: "Every audited region is covered by AWS Config recording and a logging CloudTrail trail",
        severity: Severity::Medium,
        service: "account",
        kinds: &[ResourceKind::ConfigRecorder, ResourceKind::CloudTrailTrail],
        scope: CheckScope::Region,
        compliance: &[],
    }
}

/// One part of a region's coverage.
enum Part {
    /// What covers the region.
    Covered(String),
    /// Why it is not covered.
    Missing(String),
    Unknown(UnknownReason),
}

fn config(inventory: &Inventory, region: &str) -> Part {
    let kind = ResourceKind::ConfigRecorder;
    let mut stopped = Vec::new();
    let mut unknown = None;
    for (resource, recorder) in inventory.iter::<ConfigRecorder>().filter(|(r, _)| r.region == region) {
        match recorder.status.known() {
            Ok(Some(status)) if status.recording => {
                return Part::Covered(format!("AWS Config recorder {} is recording", resource.display_name()));
            }
            Ok(_) => stopped.push(resource.display_name().to_string()),
            Err(reason) => unknown = unknown.or_else(|| Some(reason.clone())),
        }
    }
    if let Some(reason) = unknown {
        return Part::Unknown(reason);
    }
    if !stopped.is_empty() {
        return Part::Missing(format!("AWS Config recording (recorder {} is stopped)", stopped.join(", ")));
    }
    // No recorder seen: only a complete listing proves there is none.
    match inventory.listing(kind, region).complete(kind, region) {
        Ok(()) => Part::Missing("AWS Config recording (no configuration recorder)".into()),
        Err(reason) => Part::Unknown(reason),
    }
}

fn cloudtrail(inventory: &Inventory, region: &str) -> Part {
    let kind = ResourceKind::CloudTrailTrail;
    let mut stopped = Vec::new();
    let mut unknown = None;
    let covering = inventory.iter::<Trail>().filter(|(_, t)| t.is_multi_region || t.home_region == region);
    for (resource, trail) in covering {
        let scope = if trail.is_multi_region { "multi-region" } else { "single-region" };
        match trail.status.known() {
            Ok(Some(status)) if status.is_logging => {
                return Part::Covered(format!("{scope} CloudTrail trail {} logs the region", resource.display_name()));
            }
            Ok(_) => stopped.push(resource.display_name().to_string()),
            Err(reason) => unknown = unknown.or_else(|| Some(reason.clone())),
        }
    }
    if let Some(reason) = unknown {
        return Part::Unknown(reason);
    }
    // A trail covering this region is recorded by the task of its home region, so every region's listing
    // must be complete before "none" can be concluded.
    let mut listed = false;
    for listing in inventory.listed_regions(kind) {
        listed = true;
        if let Err(reason) = inventory.listing(kind, &listing.region).complete(kind, &listing.region) {
            return Part::Unknown(reason);
        }
    }
    if !listed {
        if let Err(reason) = inventory.listing(kind, region).complete(kind, region) {
            return Part::Unknown(reason);
        }
    }
    if stopped.is_empty() {
        Part::Missing("CloudTrail logging (no trail covers the region)".into())
    } else {
        Part::Missing(format!("CloudTrail logging (trail {} is not logging)", stopped.join(", ")))
    }
}

fn judge(inventory: &Inventory, region: &str) -> Verdict {
    let parts = [config(inventory, region), cloudtrail(inventory, region)];
    let mut covered = Vec::new();
    let mut missing = Vec::new();
    let mut unknown = None;
    for part in parts {
        match part {
            Part::Covered(what) => covered.push(what),
            Part::Missing(what) => missing.push(what),
            Part::Unknown(reason) => unknown = unknown.or(Some(reason)),
        }
    }
    match (missing.is_empty(), unknown) {
        (true, None) => Verdict::Pass(covered.join("; ")),
        (true, Some(reason)) => Verdict::Unknown(reason),
        (false, None) => Verdict::Fail(format!("missing: {}", missing.join("; "))),
        // A part known to be missing is a failure whatever the other part is; say what could not be read.
        (false, Some(reason)) => {
            Verdict::Fail(format!("missing: {}; the rest could not be read ({reason})", missing.join("; ")))
        }
    }
}

impl Check for RegionConfigCoverage {
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

    const OTHER: &str = "us-east-1";

    fn recorder(recording: bool) -> ConfigRecorder {
        ConfigRecorder {
            all_supported: true,
            status: Field::Known(ConfigRecorderStatus { recording, ..Default::default() }),
            ..Default::default()
        }
    }

    fn trail(home: &str, multi_region: bool, logging: bool) -> Trail {
        Trail {
            home_region: home.into(),
            is_multi_region: multi_region,
            status: Field::Known(TrailStatus { is_logging: logging, ..Default::default() }),
            ..Default::default()
        }
    }

    /// Two audited regions, every list complete in both.
    fn two_regions() -> Inventory {
        let mut inv = inventory();
        inv.regions.push(OTHER.into());
        for kind in [ResourceKind::ConfigRecorder, ResourceKind::CloudTrailTrail] {
            inv.listings.push(Listing { kind, region: OTHER.into(), error: None });
        }
        inv
    }

    fn in_region(mut r: Resource, region: &str) -> Resource {
        r.region = region.into();
        r
    }

    fn judge_all(inv: &Inventory) -> Vec<(String, Status, String)> {
        let mut v: Vec<_> =
            run(&RegionConfigCoverage, inv).into_iter().map(|f| (f.region, f.status, f.message)).collect();
        v.sort();
        v
    }

    #[test]
    fn a_multi_region_trail_and_recorders_everywhere_pass() {
        let mut inv = two_regions();
        inv.resources.push(resource("default", recorder(true)));
        inv.resources.push(in_region(resource("default", recorder(true)), OTHER));
        inv.resources.push(in_region(resource("main", trail(OTHER, true, true)), OTHER));
        let found = judge_all(&inv);
        assert_eq!(found.iter().map(|f| f.1).collect::<Vec<_>>(), vec![Status::Pass, Status::Pass]);
        assert_eq!(
            found[0].2,
            "AWS Config recorder default is recording; multi-region CloudTrail trail main logs the region"
        );
    }

    #[test]
    fn fails_naming_what_is_missing() {
        let mut inv = two_regions();
        // us-east-1: recorder stopped, a single-region trail logs it; eu-west-1: nothing at all.
        inv.resources.push(in_region(resource("default", recorder(false)), OTHER));
        inv.resources.push(in_region(resource("legacy", trail(OTHER, false, true)), OTHER));
        let found = judge_all(&inv);
        assert_eq!(
            found,
            vec![
                (
                    REGION.into(),
                    Status::Fail,
                    "missing: AWS Config recording (no configuration recorder); CloudTrail logging (no trail covers \
                     the region)"
                        .into()
                ),
                (OTHER.into(), Status::Fail, "missing: AWS Config recording (recorder default is stopped)".into()),
            ]
        );
        // A trail that is not logging does not cover anything.
        inv.resources.push(resource("stopped", trail(REGION, false, false)));
        let found = judge_all(&inv);
        assert!(found[0].2.ends_with("CloudTrail logging (trail stopped is not logging)"), "{}", found[0].2);
    }

    #[test]
    fn unknown_when_a_list_or_status_could_not_be_read() {
        let mut inv = two_regions();
        inv.resources.push(resource("default", recorder(true)));
        inv.resources.push(in_region(resource("default", recorder(true)), OTHER));
        // The trail list of us-east-1 failed: a multi-region trail homed there may cover eu-west-1 too.
        fail_listing(&mut inv, ResourceKind::CloudTrailTrail, OTHER, denied("cloudtrail:DescribeTrails"));
        let found = judge_all(&inv);
        assert_eq!(found.iter().map(|f| f.1).collect::<Vec<_>>(), vec![Status::Unknown, Status::Unknown]);
        assert!(found[0].2.contains("cloudtrail:DescribeTrails"), "{}", found[0].2);

        // A recorder whose status could not be read.
        let mut inv = inventory();
        inv.resources.push(resource("main", trail(REGION, true, true)));
        let unread = ConfigRecorder {
            status: Field::Unknown(denied("config:DescribeConfigurationRecorderStatus")),
            ..recorder(true)
        };
        inv.resources.push(resource("default", unread));
        let found = judge_all(&inv);
        assert_eq!(found[0].1, Status::Unknown);
        assert!(found[0].2.contains("config:DescribeConfigurationRecorderStatus"), "{}", found[0].2);

        // A failed recorder listing, with the trail known missing: FAIL, and the message says what is unknown.
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::ConfigRecorder, REGION, denied("config:DescribeConfigurationRecorders"));
        let found = judge_all(&inv);
        assert_eq!(found[0].1, Status::Fail);
        assert!(
            found[0]
                .2
                .starts_with("missing: CloudTrail logging (no trail covers the region); the rest could not be read")
                && found[0].2.contains("config:DescribeConfigurationRecorders"),
            "{}",
            found[0].2
        );
    }

    #[test]
    fn a_region_never_listed_is_unknown() {
        let mut inv = inventory();
        inv.regions.push(OTHER.into());
        inv.resources.push(resource("default", recorder(true)));
        inv.resources.push(resource("main", trail(REGION, true, true)));
        let found = judge_all(&inv);
        // eu-west-1 passes; us-east-1's recorders were never listed, the multi-region trail covers it.
        assert_eq!((found[0].1, found[1].1), (Status::Pass, Status::Unknown));
        assert!(found[1].2.contains("not collected"), "{}", found[1].2);
    }
}
