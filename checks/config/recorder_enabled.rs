use super::super::prelude::*;

check! {
    /// ## What it does
    /// Checks, in every audited region, that an AWS Config configuration recorder is recording, that its last
    /// delivery did not fail, and that it records all supported resource types (`allSupported`, or the
    /// `ALL_SUPPORTED_RESOURCE_TYPES` recording strategy, with no exclusions). One finding per region.
    ///
    /// ## Why is this bad?
    /// AWS Config keeps the configuration history of every resource: what changed, when, and what it looked like
    /// before. Without it, an incident cannot be reconstructed, drift cannot be proven, and Security Hub and
    /// Config rules have nothing to evaluate. A region without a recorder is a region where changes go unseen.
    ///
    /// ## Remediation
    /// ```sh
    /// aws configservice put-configuration-recorder --configuration-recorder \
    ///   name=default,roleARN=arn:aws:iam::ACCOUNT_ID:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig \
    ///   --recording-group allSupported=true,includeGlobalResourceTypes=true
    /// aws configservice put-delivery-channel --delivery-channel name=default,s3BucketName=CONFIG_BUCKET
    /// aws configservice start-configuration-recorder --configuration-recorder-name default
    /// ```
    /// CloudFormation: `AWS::Config::ConfigurationRecorder` with `RecordingGroup: { AllSupported: true }` plus an
    /// `AWS::Config::DeliveryChannel`, deployed to every region with a StackSet (or enabled from Systems Manager
    /// Quick Setup / Control Tower). CDK: `new config.CfnConfigurationRecorder(this, 'R', { roleArn, recordingGroup:
    /// { allSupported: true } })`. Recording starts when the delivery channel exists.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html
    /// - https://docs.aws.amazon.com/config/latest/developerguide/select-resources.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html#config-1
    pub ConfigRecorderEnabled {
        id: "config_recorder_enabled",
        title: "AWS Config records all resource types in every region",
        severity: Severity::Medium,
        service: "config",
        kinds: &[ResourceKind::ConfigRecorder],
        scope: CheckScope::Region,
        compliance: &[fsbp("Config.1"), cis("3.3")],
    }
}

/// What keeps the recorder from recording everything, and the reason it may lack more than is known.
fn shortfalls(recorder: &ConfigRecorder) -> (Vec<String>, Option<UnknownReason>) {
    let mut lacks = Vec::new();
    let mut unknown = None;
    match recorder.status.known() {
        Ok(Some(status)) => {
            if !status.recording {
                lacks.push("is stopped".to_string());
            }
            if status.last_status.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("Failure")) {
                let code = status.last_error_code.as_deref().unwrap_or("no error code");
                lacks.push(format!("failed its last delivery ({code})"));
            }
        }
        Ok(None) => lacks.push("has no recording status".to_string()),
        Err(reason) => unknown = Some(reason.clone()),
    }
    let all_types =
        recorder.all_supported || recorder.recording_strategy.as_deref() == Some("ALL_SUPPORTED_RESOURCE_TYPES");
    if !all_types || !recorder.excluded_resource_types.is_empty() {
        lacks.push(match recorder.recording_strategy.as_deref() {
            Some(strategy) => format!("records only some resource types ({strategy})"),
            None => "records only some resource types".to_string(),
        });
    }
    (lacks, unknown)
}

fn judge(inventory: &Inventory, region: &str) -> Verdict {
    let kind = ResourceKind::ConfigRecorder;
    let mut gaps = Vec::new();
    let mut unknown = None;
    for (resource, recorder) in inventory.iter::<ConfigRecorder>().filter(|(r, _)| r.region == region) {
        match shortfalls(recorder) {
            (lacks, None) if lacks.is_empty() => {
                return Verdict::Pass(format!(
                    "configuration recorder {} is recording all resource types",
                    resource.display_name()
                ));
            }
            (lacks, Some(reason)) if lacks.is_empty() => unknown = unknown.or(Some(reason)),
            (lacks, _) => gaps.push(format!("recorder {} {}", resource.display_name(), lacks.join(", "))),
        }
    }
    if let Some(reason) = unknown {
        return Verdict::Unknown(reason);
    }
    if !gaps.is_empty() {
        return Verdict::Fail(gaps.join("; "));
    }
    // No recorder seen: only a complete listing proves there is none.
    match inventory.listing(kind, region).complete(kind, region) {
        Ok(()) => Verdict::Fail("the region has no AWS Config configuration recorder".into()),
        Err(reason) => Verdict::Unknown(reason),
    }
}

impl Check for ConfigRecorderEnabled {
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

    fn recording() -> ConfigRecorder {
        ConfigRecorder {
            all_supported: true,
            recording_strategy: Some("ALL_SUPPORTED_RESOURCE_TYPES".into()),
            status: Field::Known(ConfigRecorderStatus {
                recording: true,
                last_status: Some("Success".into()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn judge_one(recorders: Vec<ConfigRecorder>) -> (Status, String) {
        let mut inv = inventory();
        for (i, r) in recorders.into_iter().enumerate() {
            inv.resources.push(resource(&format!("rec{i}"), r));
        }
        let findings = run(&ConfigRecorderEnabled, &inv);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].region, REGION);
        (findings[0].status, findings[0].message.clone())
    }

    #[test]
    fn pass() {
        assert_eq!(judge_one(vec![recording()]).0, Status::Pass);
        // The newer recording-strategy form without the legacy flag.
        assert_eq!(judge_one(vec![ConfigRecorder { all_supported: false, ..recording() }]).0, Status::Pass);
    }

    #[test]
    fn fail() {
        assert_eq!(judge_one(vec![]), (Status::Fail, "the region has no AWS Config configuration recorder".into()));
        let stopped = ConfigRecorder {
            status: Field::Known(ConfigRecorderStatus { recording: false, ..Default::default() }),
            ..recording()
        };
        assert_eq!(judge_one(vec![stopped]), (Status::Fail, "recorder rec0 is stopped".into()));
        let failing = ConfigRecorder {
            status: Field::Known(ConfigRecorderStatus {
                recording: true,
                last_status: Some("Failure".into()),
                last_error_code: Some("AccessDenied".into()),
                ..Default::default()
            }),
            ..recording()
        };
        assert_eq!(judge_one(vec![failing]).1, "recorder rec0 failed its last delivery (AccessDenied)");
        let partial = ConfigRecorder {
            all_supported: false,
            recording_strategy: Some("INCLUSION_BY_RESOURCE_TYPES".into()),
            resource_types: vec!["AWS::S3::Bucket".into()],
            ..recording()
        };
        assert_eq!(
            judge_one(vec![partial]).1,
            "recorder rec0 records only some resource types (INCLUSION_BY_RESOURCE_TYPES)"
        );
        let excluding = ConfigRecorder { excluded_resource_types: vec!["AWS::EC2::Volume".into()], ..recording() };
        assert_eq!(judge_one(vec![excluding]).0, Status::Fail);
    }

    #[test]
    fn unknown() {
        let unread = ConfigRecorder {
            status: Field::Unknown(denied("config:DescribeConfigurationRecorderStatus")),
            ..recording()
        };
        let (status, message) = judge_one(vec![unread]);
        assert_eq!(status, Status::Unknown);
        assert!(message.contains("config:DescribeConfigurationRecorderStatus"));

        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::ConfigRecorder, REGION, denied("config:DescribeConfigurationRecorders"));
        inv.regions.push("us-east-1".into());
        let findings = run(&ConfigRecorderEnabled, &inv);
        let by_region: Vec<_> = findings.iter().map(|f| (f.region.as_str(), f.status)).collect();
        // us-east-1 was never listed: not collected, so nothing may be concluded either.
        assert_eq!(by_region, vec![(REGION, Status::Unknown), ("us-east-1", Status::Unknown)]);
    }
}
