use super::super::prelude::*;
use super::filter_pattern::{ParseError, Pattern, describe};
use crate::check::Control;

/// One CIS monitoring item: the events its metric filter must catch.
struct Item {
    control: Control,
    what: &'static str,
    /// The narrowest form of the pattern CIS prescribes (its `&&`/`||` grouping as intended): a filter passes
    /// when it matches at least these events, whichever of the benchmark's spellings it uses.
    pattern: &'static str,
}

const ITEMS: &[Item] = &[
    Item {
        control: cis("4.1"),
        what: "unauthorized API calls",
        pattern: r#"{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }"#,
    },
    Item {
        control: cis("4.2"),
        what: "console sign-in without MFA",
        // The benchmark also accepts this variant for SSO users; the plain variant (without the last two terms)
        // matches more, so it covers this one.
        pattern: r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }"#,
    },
    Item {
        control: cis("4.3"),
        what: "root user activity",
        pattern: r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
    },
    Item {
        control: cis("4.4"),
        what: "IAM policy changes",
        pattern: "{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }",
    },
    Item {
        control: cis("4.5"),
        what: "CloudTrail configuration changes",
        pattern: "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
    },
    Item {
        control: cis("4.6"),
        what: "console authentication failures",
        pattern: r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#,
    },
    Item {
        control: cis("4.7"),
        what: "disabling or scheduled deletion of customer-managed KMS keys",
        pattern: "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
    },
    Item {
        control: cis("4.8"),
        what: "S3 bucket policy changes",
        pattern: "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }",
    },
    Item {
        control: cis("4.9"),
        what: "AWS Config configuration changes",
        pattern: "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }",
    },
    Item {
        control: cis("4.10"),
        what: "security group changes",
        pattern: "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) || ($.eventName = ModifySecurityGroupRules) }",
    },
    Item {
        control: cis("4.11"),
        what: "network ACL changes",
        pattern: "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }",
    },
    Item {
        control: cis("4.12"),
        what: "network gateway changes",
        pattern: "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
    },
    Item {
        control: cis("4.13"),
        what: "route table changes",
        // The benchmark's audit step adds `$.eventSource = ec2.amazonaws.com`; its remediation omits it and so
        // matches more. Both cover this form.
        pattern: "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }",
    },
    Item {
        control: cis("4.14"),
        what: "VPC changes",
        pattern: "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }",
    },
    Item {
        control: cis("4.15"),
        what: "AWS Organizations changes",
        pattern: "{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = AcceptHandshake) || ($.eventName = AttachPolicy) || ($.eventName = CreateAccount) || ($.eventName = CreateOrganizationalUnit) || ($.eventName = CreatePolicy) || ($.eventName = DeclineHandshake) || ($.eventName = DeleteOrganization) || ($.eventName = DeleteOrganizationalUnit) || ($.eventName = DeletePolicy) || ($.eventName = DetachPolicy) || ($.eventName = DisablePolicyType) || ($.eventName = EnablePolicyType) || ($.eventName = InviteAccountToOrganization) || ($.eventName = LeaveOrganization) || ($.eventName = MoveAccount) || ($.eventName = RemoveAccountFromOrganization) || ($.eventName = UpdatePolicy) || ($.eventName = UpdateOrganizationalUnit)) }",
    },
];

check! {
    /// ## What it does
    /// Checks the CIS monitoring items 4.1 to 4.15: for each, that a multi-region CloudTrail trail that is
    /// logging delivers to a CloudWatch Logs log group, that a metric filter on that group matches the events the
    /// benchmark names (unauthorized API calls, console sign-in without MFA, root user activity, IAM policy,
    /// CloudTrail, Config, security group, network ACL, gateway, route table, VPC and Organizations changes,
    /// console authentication failures, KMS key disabling or deletion, S3 bucket policy changes), and that an
    /// alarm on the filter's metric has an enabled action for the `ALARM` state. One finding per CIS item, named
    /// by its control id.
    ///
    /// Patterns are compared by meaning, not spelling: quotes, spaces, parentheses and term order do not matter,
    /// and a filter that matches more events than the benchmark's (extra `||` alternatives, or the benchmark's
    /// broader variants) passes, while one that matches fewer (a missing event name, an extra `&&` condition)
    /// fails. The log group's region is read from its ARN: the filters and alarms must be there (an alarm can
    /// only watch a metric in its own region), and that region must be audited. Not checked: whether the alarm's
    /// SNS topic has a confirmed subscriber, and trails or log groups of another account (an organization trail
    /// seen from a member account), which are reported UNKNOWN.
    ///
    /// ## Why is this bad?
    /// CloudTrail records what happened; without metric filters and alarms nobody is told when it happens. Root
    /// sign-ins, disabled trails, opened security groups or scheduled key deletions then surface weeks later in
    /// an audit, or never. The alarms turn the trail into real-time detection for the events an attacker (or a
    /// mistake) most often causes.
    ///
    /// ## Remediation
    /// Send the trail to CloudWatch Logs (see `cloudtrail_cloudwatch_logs`), then per item:
    /// ```sh
    /// aws logs put-metric-filter --log-group-name TRAIL_LOG_GROUP --filter-name root-usage \
    ///   --metric-transformations metricName=RootUsage,metricNamespace=CISBenchmark,metricValue=1 \
    ///   --filter-pattern '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'
    /// aws cloudwatch put-metric-alarm --alarm-name root-usage --namespace CISBenchmark --metric-name RootUsage \
    ///   --statistic Sum --period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold \
    ///   --evaluation-periods 1 --alarm-actions arn:aws:sns:REGION:ACCOUNT_ID:security-alerts
    /// ```
    /// CDK: `logGroup.addMetricFilter('RootUsage', { filterPattern: logs.FilterPattern.literal('…'), metricNamespace:
    /// 'CISBenchmark', metricName: 'RootUsage' })` and `metric.createAlarm(…).addAlarmAction(new SnsAction(topic))`;
    /// CloudFormation: `AWS::Logs::MetricFilter` and `AWS::CloudWatch::Alarm` with `AlarmActions`. The failure
    /// message names the events a near-miss filter does not match.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html
    /// - https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html
    pub CloudwatchCisMetricAlarms {
        id: "cloudwatch_cis_metric_alarms",
        title: "CIS monitoring metric filters and alarms exist on the trail's log group",
        severity: Severity::Medium,
        service: "cloudwatch",
        kinds: &[ResourceKind::CloudTrailTrail, ResourceKind::LogsMetricFilter, ResourceKind::CloudWatchAlarm],
        scope: CheckScope::Account,
        compliance: &[
            cis("4.1"), cis("4.2"), cis("4.3"), cis("4.4"), cis("4.5"), cis("4.6"), cis("4.7"), cis("4.8"),
            cis("4.9"), cis("4.10"), cis("4.11"), cis("4.12"), cis("4.13"), cis("4.14"), cis("4.15"),
        ],
    }
}

/// A trail that may satisfy the items: multi-region, delivering to CloudWatch Logs.
struct Candidate<'a> {
    name: &'a str,
    trail: &'a Trail,
    /// Where its log group is, or why that cannot be used.
    group: Result<LogGroupArn, Verdict>,
}

impl Check for CloudwatchCisMetricAlarms {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        let inventory = cx.inventory;
        let candidates: Vec<Candidate<'_>> = inventory
            .iter::<Trail>()
            .filter(|(_, t)| t.is_multi_region)
            .filter_map(|(r, t)| {
                let arn = t.cloudwatch_logs_log_group_arn.as_deref()?;
                Some(Candidate { name: r.display_name(), trail: t, group: locate(inventory, arn) })
            })
            .collect();
        let trails_unknown = trail_listing_gap(inventory);
        for item in ITEMS {
            let verdict = if candidates.is_empty() {
                match &trails_unknown {
                    Some(reason) => Verdict::Unknown(reason.clone()),
                    None => Verdict::Fail(format!(
                        "{}: no multi-region CloudTrail trail delivers to CloudWatch Logs, so nothing can alarm",
                        item.what
                    )),
                }
            } else {
                judge_item(inventory, item, &candidates, trails_unknown.as_ref())
            };
            out.control(GLOBAL, item.control, verdict);
        }
    }
}

/// The log group of a trail, if its filters and alarms can be judged from this inventory.
fn locate(inventory: &Inventory, arn: &str) -> Result<LogGroupArn, Verdict> {
    let Some(group) = LogGroupArn::parse(arn) else {
        return Err(Verdict::Unknown(UnknownReason::new(
            Cause::Malformed,
            "cloudtrail:DescribeTrails",
            format!("CloudWatchLogsLogGroupArn {arn:?} is not a log group ARN"),
        )));
    };
    if group.account_id != inventory.account_id {
        return Err(Verdict::Unknown(UnknownReason::new(
            Cause::NotCollected,
            "logs:DescribeMetricFilters",
            format!("log group {} is in account {}, outside this audit", group.name, group.account_id),
        )));
    }
    Ok(group)
}

/// Why a missing multi-region trail may only be missing from the inventory.
fn trail_listing_gap(inventory: &Inventory) -> Option<UnknownReason> {
    let kind = ResourceKind::CloudTrailTrail;
    let mut listed = false;
    for listing in inventory.listed_regions(kind) {
        listed = true;
        if let Err(reason) = inventory.listing(kind, &listing.region).complete(kind, &listing.region) {
            return Some(reason);
        }
    }
    (!listed).then(|| {
        UnknownReason::new(Cause::NotCollected, format!("list {kind}"), "CloudTrail was not collected in this run")
    })
}

fn judge_item(
    inventory: &Inventory,
    item: &Item,
    candidates: &[Candidate<'_>],
    trails_unknown: Option<&UnknownReason>,
) -> Verdict {
    let reference = match Pattern::parse(item.pattern) {
        Ok(p) => p,
        // Built-in patterns are unit-tested to parse; this only guards against a future typo.
        Err(e) => {
            return Verdict::Unknown(UnknownReason::new(
                Cause::Malformed,
                format!("CIS {} reference pattern", item.control.id),
                e.to_string(),
            ));
        }
    };
    let mut fails = Vec::new();
    let mut unknown = None;
    for candidate in candidates {
        match judge_trail(inventory, &reference, candidate) {
            Verdict::Pass(message) => return Verdict::Pass(format!("{}: {message}", item.what)),
            Verdict::Fail(message) => fails.push(format!("trail {}: {message}", candidate.name)),
            Verdict::Unknown(reason) => unknown = unknown.or(Some(reason)),
        }
    }
    // A trail that could not be seen might have passed.
    match unknown.or_else(|| trails_unknown.cloned()) {
        Some(reason) => Verdict::Unknown(reason),
        None => Verdict::Fail(format!("{}: {}", item.what, fails.join("; "))),
    }
}

fn judge_trail(inventory: &Inventory, reference: &Pattern, candidate: &Candidate<'_>) -> Verdict {
    let group = match &candidate.group {
        Ok(group) => group,
        Err(verdict) => return verdict.clone(),
    };
    let (region, name) = (group.region.as_str(), group.name.as_str());
    let kind = ResourceKind::LogsMetricFilter;
    if let Err(reason) = inventory.listing(kind, region).complete(kind, region) {
        return Verdict::Unknown(reason);
    }
    let filters: Vec<(&Resource, &MetricFilter)> =
        inventory.iter::<MetricFilter>().filter(|(r, f)| r.region == region && f.log_group_name == name).collect();
    let mut matching = Vec::new();
    let mut unreadable = Vec::new();
    // The filter missing the fewest of the reference's alternatives, to say what a near miss lacks.
    let mut closest: Option<(&str, Vec<String>)> = None;
    for (_, filter) in &filters {
        match Pattern::parse(&filter.filter_pattern) {
            Ok(pattern) => {
                let missing: Vec<String> = pattern.uncovered(reference).into_iter().map(describe).collect();
                if missing.is_empty() {
                    matching.push(*filter);
                } else if closest.as_ref().is_none_or(|(_, m)| missing.len() < m.len()) {
                    closest = Some((&filter.filter_name, missing));
                }
            }
            Err(ParseError::NotJson) => {}
            Err(ParseError::Invalid(detail)) => unreadable.push((filter.filter_name.as_str(), detail)),
        }
    }
    if matching.is_empty() {
        if let Some((filter, detail)) = unreadable.first() {
            return Verdict::Unknown(UnknownReason::new(
                Cause::Malformed,
                "logs:DescribeMetricFilters",
                format!("the pattern of metric filter {filter} on {name} could not be read ({detail})"),
            ));
        }
        let mut message = format!("no metric filter on log group {name} ({region}) matches the CIS pattern");
        if let Some((filter, missing)) = closest
            && missing.len() < reference.alternatives.len()
        {
            let shown: Vec<&str> = missing.iter().take(3).map(String::as_str).collect();
            let more = if missing.len() > 3 { format!(" and {} more", missing.len() - 3) } else { String::new() };
            message.push_str(&format!(" (closest, {filter}, does not match {}{more})", shown.join("; ")));
        }
        return Verdict::Fail(message);
    }

    let kind = ResourceKind::CloudWatchAlarm;
    if let Err(reason) = inventory.listing(kind, region).complete(kind, region) {
        return Verdict::Unknown(reason);
    }
    let mut silent = Vec::new();
    for filter in &matching {
        for metric in &filter.metric_transformations {
            let (namespace, metric_name) = (metric.metric_namespace.as_str(), metric.metric_name.as_str());
            for (resource, alarm) in
                inventory.iter::<Alarm>().filter(|(r, a)| r.region == region && a.watches(namespace, metric_name))
            {
                if let Some(action) = alarm.effective_alarm_actions().first() {
                    let pass = format!(
                        "metric filter {} on {name} ({region}) feeds {namespace}/{metric_name}, alarm {} notifies \
                         {action}",
                        filter.filter_name,
                        resource.display_name()
                    );
                    return match candidate.trail.status.known() {
                        Ok(Some(status)) if status.is_logging => Verdict::Pass(pass),
                        Ok(_) => Verdict::Fail(format!("is not logging, so {name} receives nothing")),
                        Err(reason) => Verdict::Unknown(reason.clone()),
                    };
                }
                silent.push(resource.display_name().to_string());
            }
        }
    }
    let filter_names: Vec<&str> = matching.iter().map(|f| f.filter_name.as_str()).collect();
    if silent.is_empty() {
        Verdict::Fail(format!(
            "metric filter {} on {name} ({region}) has no alarm on its metric",
            filter_names.join(", ")
        ))
    } else {
        Verdict::Fail(format!(
            "alarm {} on the metric of filter {} has no enabled action for the ALARM state",
            silent.join(", "),
            filter_names.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    const GROUP: &str = "cloudtrail/main";

    fn group_arn(region: &str) -> String {
        format!("arn:aws:logs:{region}:{ACCOUNT}:log-group:{GROUP}:*")
    }

    fn trail(region: &str) -> Trail {
        Trail {
            home_region: REGION.into(),
            is_multi_region: true,
            cloudwatch_logs_log_group_arn: Some(group_arn(region)),
            status: Field::Known(TrailStatus { is_logging: true, ..Default::default() }),
            ..Default::default()
        }
    }

    fn filter(item: &Item, pattern: &str) -> Resource {
        let name = format!("cis-{}", item.control.id);
        resource(
            &format!("{GROUP}/{name}"),
            MetricFilter {
                filter_name: name.clone(),
                log_group_name: GROUP.into(),
                filter_pattern: pattern.into(),
                metric_transformations: vec![MetricTransformation {
                    metric_name: name,
                    metric_namespace: "CISBenchmark".into(),
                    metric_value: "1".into(),
                }],
            },
        )
    }

    fn alarm(item: &Item, actions: &[&str]) -> Resource {
        let name = format!("cis-{}", item.control.id);
        resource(
            &name,
            Alarm {
                alarm_name: name.clone(),
                actions_enabled: true,
                alarm_actions: actions.iter().map(|a| a.to_string()).collect(),
                metric_name: Some(name.clone()),
                namespace: Some("CISBenchmark".into()),
                ..Default::default()
            },
        )
    }

    /// Every item monitored with its reference pattern and an alarm notifying a topic.
    fn monitored() -> Inventory {
        let mut inv = inventory();
        inv.resources.push(resource("main", trail(REGION)));
        for item in ITEMS {
            inv.resources.push(filter(item, item.pattern));
            inv.resources.push(alarm(item, &["arn:aws:sns:eu-west-1:123456789012:alerts"]));
        }
        inv
    }

    fn verdicts(inv: &Inventory) -> Vec<(String, Status, String)> {
        let findings = run(&CloudwatchCisMetricAlarms, inv);
        assert_eq!(findings.len(), ITEMS.len());
        findings.into_iter().map(|f| (f.resource.id, f.status, f.message)).collect()
    }

    fn of<'a>(v: &'a [(String, Status, String)], id: &str) -> &'a (String, Status, String) {
        v.iter().find(|(i, _, _)| i == id).unwrap_or_else(|| panic!("no finding {id}"))
    }

    #[test]
    fn reference_patterns_parse() {
        for item in ITEMS {
            let pattern = Pattern::parse(item.pattern).unwrap_or_else(|e| panic!("{}: {e}", item.control));
            assert!(pattern.covers(&pattern));
        }
    }

    #[test]
    fn fully_monitored_passes_every_item_with_its_own_control() {
        let findings = run(&CloudwatchCisMetricAlarms, &monitored());
        assert_eq!(findings.len(), 15);
        for f in &findings {
            assert_eq!(f.status, Status::Pass, "{}: {}", f.resource.id, f.message);
            assert_eq!(f.region, GLOBAL);
            assert_eq!(f.compliance, vec![f.resource.id.clone()]);
        }
        let ids: std::collections::HashSet<_> = findings.iter().map(|f| f.id.clone()).collect();
        assert_eq!(ids.len(), 15);
        assert!(findings[2].message.contains("alarm cis-4.3 notifies arn:aws:sns"), "{}", findings[2].message);
    }

    #[test]
    fn benchmark_spellings_and_broader_variants_pass() {
        let variants = [
            // v1.4 / Security Hub spelling of 4.1: broader (no exclusions).
            ("4.1", r#"{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}"#),
            // v5.0 text as printed (`&&` binding tighter than `||`).
            (
                "4.1",
                "{ ($.errorCode =*UnauthorizedOperation) || ($.errorCode =AccessDenied*) && ($.sourceIPAddress!=delivery.logs.amazonaws.com) && ($.eventName!=HeadBucket) }",
            ),
            ("4.2", "{ ($.eventName = ConsoleLogin) && ($.additionalEventData.MFAUsed != Yes) }"),
            ("4.6", "{($.eventName=ConsoleLogin) && ($.errorMessage=\"Failed authentication\")}"),
            // 4.13 without the event source, as in the benchmark's remediation step.
            (
                "4.13",
                "{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}",
            ),
        ];
        for (id, pattern) in variants {
            let mut inv = monitored();
            let item = ITEMS.iter().find(|i| i.control.id == id).unwrap_or_else(|| panic!("{id}"));
            inv.resources.retain(|r| r.props::<MetricFilter>().is_none_or(|f| f.filter_name != format!("cis-{id}")));
            inv.resources.push(filter(item, pattern));
            let v = verdicts(&inv);
            assert_eq!(of(&v, &format!("cis-5.0:{id}")).1, Status::Pass, "{pattern}");
        }
    }

    #[test]
    fn narrower_filters_missing_alarms_and_silent_alarms_fail() {
        let mut inv = monitored();
        let find = |id: &str| ITEMS.iter().find(|i| i.control.id == id).unwrap_or_else(|| panic!("{id}"));
        // 4.10 as CIS v1.4 wrote it: no ModifySecurityGroupRules.
        inv.resources.retain(|r| {
            r.props::<MetricFilter>().is_none_or(|f| f.filter_name != "cis-4.10")
                && r.props::<Alarm>().is_none_or(|a| !["cis-4.4", "cis-4.5"].contains(&a.alarm_name.as_str()))
        });
        inv.resources.push(filter(find("4.10"), "{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}"));
        inv.resources.push(alarm(find("4.5"), &[]));
        let mut disabled = alarm(find("4.3"), &["arn:aws:sns:eu-west-1:123456789012:alerts"]);
        if let Properties::CloudWatchAlarm(a) = &mut disabled.properties {
            a.actions_enabled = false;
        }
        inv.resources.retain(|r| r.props::<Alarm>().is_none_or(|a| a.alarm_name != "cis-4.3"));
        inv.resources.push(disabled);
        let v = verdicts(&inv);
        let (_, status, message) = of(&v, "cis-5.0:4.10");
        assert_eq!(*status, Status::Fail);
        assert!(message.contains("does not match $.eventName = ModifySecurityGroupRules"), "{message}");
        let (_, status, message) = of(&v, "cis-5.0:4.4");
        assert_eq!(*status, Status::Fail);
        assert!(message.contains("has no alarm on its metric"), "{message}");
        for id in ["cis-5.0:4.5", "cis-5.0:4.3"] {
            let (_, status, message) = of(&v, id);
            assert_eq!(*status, Status::Fail);
            assert!(message.contains("no enabled action"), "{message}");
        }
        assert_eq!(of(&v, "cis-5.0:4.1").1, Status::Pass);
    }

    #[test]
    fn no_trail_fails_and_unseen_trails_are_unknown() {
        let mut inv = monitored();
        inv.resources.retain(|r| r.props::<Trail>().is_none());
        let single = Trail { is_multi_region: false, ..trail(REGION) };
        inv.resources.push(resource("single", single));
        assert!(verdicts(&inv).iter().all(|(_, s, m)| *s == Status::Fail && m.contains("no multi-region")));

        fail_listing(&mut inv, ResourceKind::CloudTrailTrail, REGION, denied("cloudtrail:DescribeTrails"));
        assert!(verdicts(&inv).iter().all(|(_, s, _)| *s == Status::Unknown));
    }

    #[test]
    fn trail_not_logging_fails_and_unknown_status_is_unknown() {
        let mut inv = monitored();
        inv.resources.retain(|r| r.props::<Trail>().is_none());
        let stopped = Trail { status: Field::Known(TrailStatus::default()), ..trail(REGION) };
        inv.resources.push(resource("main", stopped));
        let v = verdicts(&inv);
        assert!(v.iter().all(|(_, s, m)| *s == Status::Fail && m.contains("is not logging")), "{v:?}");

        inv.resources.retain(|r| r.props::<Trail>().is_none());
        inv.resources.push(resource("main", Trail { status: Field::Unknown(denied("x")), ..trail(REGION) }));
        assert!(verdicts(&inv).iter().all(|(_, s, _)| *s == Status::Unknown));
    }

    #[test]
    fn log_group_in_an_unaudited_region_or_account_is_unknown() {
        let mut inv = monitored();
        inv.resources.retain(|r| r.props::<Trail>().is_none());
        inv.resources.push(resource("main", trail("ap-south-1")));
        let v = verdicts(&inv);
        assert!(v.iter().all(|(_, s, m)| *s == Status::Unknown && m.contains("ap-south-1")), "{v:?}");

        let mut inv = monitored();
        inv.resources.retain(|r| r.props::<Trail>().is_none());
        let other = Trail {
            cloudwatch_logs_log_group_arn: Some("arn:aws:logs:eu-west-1:999999999999:log-group:org:*".into()),
            ..trail(REGION)
        };
        inv.resources.push(resource("org", other));
        assert!(verdicts(&inv).iter().all(|(_, s, m)| *s == Status::Unknown && m.contains("999999999999")));
    }

    #[test]
    fn failed_filter_or_alarm_listing_is_unknown() {
        let mut inv = monitored();
        fail_listing(&mut inv, ResourceKind::CloudWatchAlarm, REGION, denied("cloudwatch:DescribeAlarms"));
        assert!(verdicts(&inv).iter().all(|(_, s, _)| *s == Status::Unknown));
        let mut inv = monitored();
        fail_listing(&mut inv, ResourceKind::LogsMetricFilter, REGION, denied("logs:DescribeMetricFilters"));
        assert!(verdicts(&inv).iter().all(|(_, s, _)| *s == Status::Unknown));
    }

    #[test]
    fn an_unreadable_pattern_is_unknown_unless_another_filter_matches() {
        let mut inv = monitored();
        let item = &ITEMS[0];
        inv.resources.retain(|r| r.props::<MetricFilter>().is_none_or(|f| f.filter_name != "cis-4.1"));
        inv.resources.push(filter(item, "{ ($.errorCode = "));
        let v = verdicts(&inv);
        assert_eq!(of(&v, "cis-5.0:4.1").1, Status::Unknown);
        let mut good = filter(item, item.pattern);
        good.id = format!("{GROUP}/another");
        if let Properties::LogsMetricFilter(f) = &mut good.properties {
            f.filter_name = "another".into();
        }
        inv.resources.push(good);
        assert_eq!(of(&verdicts(&inv), "cis-5.0:4.1").1, Status::Pass);
    }
}
