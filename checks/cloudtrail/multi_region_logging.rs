use super::super::prelude::*;

check! {
    /// ## What it does
    /// Checks that the account has at least one CloudTrail trail that is multi-region, is logging, includes
    /// global service events (IAM, STS, CloudFront) and records all management events, reads and writes, from
    /// every event source. One finding for the account.
    ///
    /// ## Why is this bad?
    /// CloudTrail is the record of who did what in the account. Without a trail covering every region, an
    /// attacker can work in a region nobody watches; without global service events, IAM changes go unrecorded;
    /// with read-only or write-only selectors, half the story is missing. The 90-day Event history is not a
    /// substitute: it cannot be retained, protected or sent to a SIEM.
    ///
    /// ## Remediation
    /// ```sh
    /// aws cloudtrail create-trail --name org-audit --s3-bucket-name LOG_BUCKET \
    ///   --is-multi-region-trail --include-global-service-events --enable-log-file-validation
    /// aws cloudtrail put-event-selectors --trail-name org-audit \
    ///   --event-selectors '[{"ReadWriteType":"All","IncludeManagementEvents":true}]'
    /// aws cloudtrail start-logging --name org-audit
    /// ```
    /// CDK: `new cloudtrail.Trail(this, 'T', { isMultiRegionTrail: true, includeGlobalServiceEvents: true,
    /// managementEvents: cloudtrail.ReadWriteType.ALL })`; CloudFormation: `AWS::CloudTrail::Trail` with
    /// `IsMultiRegionTrail: true`, `IncludeGlobalServiceEvents: true`, `IsLogging: true`. In an organization, an
    /// organization trail from the management account covers every member account.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html
    /// - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-1
    pub CloudtrailMultiRegionLogging {
        id: "cloudtrail_multi_region_logging",
        title: "A multi-region CloudTrail trail records all management events",
        severity: Severity::High,
        service: "cloudtrail",
        kinds: &[ResourceKind::CloudTrailTrail],
        scope: CheckScope::Account,
        compliance: &[fsbp("CloudTrail.1"), cis("3.1")],
    }
}

/// What the trail lacks, and the reason it may lack more than is known.
fn shortfalls(trail: &Trail) -> (Vec<&'static str>, Option<UnknownReason>) {
    let mut lacks = Vec::new();
    let mut unknown = None;
    if !trail.is_multi_region {
        lacks.push("is not multi-region");
    }
    match trail.status.known() {
        Ok(Some(status)) if status.is_logging => {}
        Ok(Some(_)) => lacks.push("is not logging"),
        Ok(None) => lacks.push("has no logging status"),
        Err(reason) => unknown = Some(reason.clone()),
    }
    if !trail.include_global_service_events {
        lacks.push("does not include global service events");
    }
    match trail.event_selectors.known() {
        Ok(Some(selectors)) if selectors.records_all_management_events() => {}
        Ok(Some(_)) => lacks.push("does not record all management events"),
        Ok(None) => lacks.push("has no event selectors"),
        Err(reason) => unknown = unknown.or_else(|| Some(reason.clone())),
    }
    (lacks, unknown)
}

impl Check for CloudtrailMultiRegionLogging {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        let kind = ResourceKind::CloudTrailTrail;
        let inventory = cx.inventory;
        let mut gaps = Vec::new();
        // Set when a trail that lacks nothing known might qualify, or when a trail may not have been seen.
        let mut unknown = None;
        for (resource, trail) in inventory.iter::<Trail>() {
            match shortfalls(trail) {
                (lacks, None) if lacks.is_empty() => {
                    out.account(Verdict::Pass(format!(
                        "trail {} is multi-region, logging, includes global service events and records all \
                         management events",
                        resource.display_name()
                    )));
                    return;
                }
                (lacks, Some(reason)) if lacks.is_empty() => unknown = unknown.or(Some(reason)),
                (lacks, _) => gaps.push(format!("{} {}", resource.display_name(), lacks.join(", "))),
            }
        }
        let mut listed = false;
        for listing in inventory.listed_regions(kind) {
            listed = true;
            if let Err(reason) = inventory.listing(kind, &listing.region).complete(kind, &listing.region) {
                unknown = unknown.or(Some(reason));
            }
        }
        if !listed {
            unknown = unknown.or_else(|| {
                Some(UnknownReason::new(
                    Cause::NotCollected,
                    format!("list {kind}"),
                    "CloudTrail was not collected in any region in this run",
                ))
            });
        }
        let verdict = match unknown {
            Some(reason) => Verdict::Unknown(reason),
            None if gaps.is_empty() => Verdict::Fail("the account has no CloudTrail trail".into()),
            None => Verdict::Fail(format!(
                "no trail is multi-region, logging and recording all management events: {}",
                gaps.join("; ")
            )),
        };
        out.account(verdict);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn good() -> Trail {
        Trail {
            home_region: REGION.into(),
            is_multi_region: true,
            include_global_service_events: true,
            status: Field::Known(TrailStatus { is_logging: true, ..Default::default() }),
            event_selectors: Field::Known(EventSelectors {
                basic: vec![BasicEventSelector {
                    read_write_type: Some("All".into()),
                    include_management_events: true,
                    ..Default::default()
                }],
                advanced: Vec::new(),
            }),
            ..Default::default()
        }
    }

    fn judge(inv: &Inventory) -> (Status, String) {
        let findings = run(&CloudtrailMultiRegionLogging, inv);
        assert_eq!(findings.len(), 1);
        assert_eq!((findings[0].region.as_str(), findings[0].resource.id.as_str()), (GLOBAL, ACCOUNT));
        (findings[0].status, findings[0].message.clone())
    }

    fn with(trails: Vec<(&str, Trail)>) -> Inventory {
        let mut inv = inventory();
        inv.resources.extend(trails.into_iter().map(|(id, t)| resource(id, t)));
        inv
    }

    #[test]
    fn one_good_trail_passes() {
        let regional = Trail { is_multi_region: false, ..good() };
        let (status, message) = judge(&with(vec![("regional", regional), ("main", good())]));
        assert_eq!(status, Status::Pass);
        assert!(message.contains("main"));
    }

    #[test]
    fn fails_naming_what_each_trail_lacks() {
        assert_eq!(judge(&with(vec![])), (Status::Fail, "the account has no CloudTrail trail".into()));
        let stopped = Trail { status: Field::Known(TrailStatus::default()), ..good() };
        let write_only = Trail {
            include_global_service_events: false,
            event_selectors: Field::Known(EventSelectors {
                basic: vec![BasicEventSelector {
                    read_write_type: Some("WriteOnly".into()),
                    include_management_events: true,
                    ..Default::default()
                }],
                advanced: Vec::new(),
            }),
            ..good()
        };
        // A trail that already lacks something is not made UNKNOWN by its unreadable status.
        let regional =
            Trail { is_multi_region: false, status: Field::Unknown(denied("cloudtrail:GetTrailStatus")), ..good() };
        let (status, message) =
            judge(&with(vec![("stopped", stopped), ("partial", write_only), ("regional", regional)]));
        assert_eq!(status, Status::Fail);
        assert!(message.contains("stopped is not logging"), "{message}");
        assert!(
            message.contains("partial does not include global service events, does not record all management events"),
            "{message}"
        );
        assert!(message.contains("regional is not multi-region"), "{message}");
    }

    #[test]
    fn unknown_when_a_candidate_cannot_be_read() {
        let unread = Trail { event_selectors: Field::Unknown(denied("cloudtrail:GetEventSelectors")), ..good() };
        let (status, message) = judge(&with(vec![("unread", unread)]));
        assert_eq!(status, Status::Unknown);
        assert!(message.contains("cloudtrail:GetEventSelectors"));
    }

    #[test]
    fn unknown_when_a_region_could_not_be_listed() {
        let mut inv = with(vec![("regional", Trail { is_multi_region: false, ..good() })]);
        fail_listing(&mut inv, ResourceKind::CloudTrailTrail, REGION, denied("cloudtrail:DescribeTrails"));
        assert_eq!(judge(&inv).0, Status::Unknown);
        // A good trail seen elsewhere settles it anyway.
        inv.resources.push(resource("main", good()));
        assert_eq!(judge(&inv).0, Status::Pass);
    }
}
