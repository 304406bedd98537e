use super::super::prelude::*;
use serde::{Deserialize, Serialize};

check! {
    /// ## What it does
    /// Flags CloudWatch Logs log groups that keep their events for fewer days than the `min_days` parameter
    /// (365 by default). A group set to never expire passes by default, as in AWS Config's
    /// `cw-loggroup-retention-period-check` (the rule behind Security Hub CloudWatch.16): its events are kept;
    /// set `allow_never_expire = false` to require an explicit retention period (to bound storage costs and to
    /// honour data-minimisation rules).
    ///
    /// ## Why is this bad?
    /// Logs are the evidence of an incident, and incidents are often found months after they started: a group
    /// that keeps 7 days of events cannot answer "who did this in March?". Many standards (PCI DSS, ISO 27001,
    /// SOC 2) require a year of audit logs.
    ///
    /// ## Remediation
    /// ```sh
    /// aws logs put-retention-policy --log-group-name GROUP --retention-in-days 365
    /// ```
    /// CDK: `new logs.LogGroup(this, 'G', { retention: logs.RetentionDays.ONE_YEAR })`; CloudFormation:
    /// `AWS::Logs::LogGroup` with `RetentionInDays: 365`. Create log groups in infrastructure code before the
    /// service that writes to them does (Lambda, ECS): groups created on first write never expire.
    ///
    /// ## Parameters
    /// - `min_days` (integer, default `365`): the shortest acceptable retention, 1 to 3653 days.
    /// - `allow_never_expire` (boolean, default `true`): whether a group without a retention period passes.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention
    /// - https://docs.aws.amazon.com/config/latest/developerguide/cw-loggroup-retention-period-check.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-16
    pub LogsGroupRetention {
        id: "logs_group_retention",
        title: "CloudWatch Logs log groups keep events long enough",
        severity: Severity::Medium,
        service: "logs",
        kinds: &[ResourceKind::LogsLogGroup],
        scope: CheckScope::Resource,
        compliance: &[fsbp("CloudWatch.16")],
    }
}

/// The longest retention CloudWatch Logs offers (10 years).
const MAX_RETENTION_DAYS: i64 = 3653;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// The shortest acceptable retention, in days.
    pub min_days: i64,
    /// Whether a group whose events never expire passes.
    pub allow_never_expire: bool,
}

impl Default for Params {
    fn default() -> Self {
        Params { min_days: 365, allow_never_expire: true }
    }
}

impl CheckParams for Params {
    fn validate(&self) -> Result<(), String> {
        if !(1..=MAX_RETENTION_DAYS).contains(&self.min_days) {
            return Err(format!(
                "min_days: {} is not a retention CloudWatch Logs can have (1 to {MAX_RETENTION_DAYS} days)",
                self.min_days
            ));
        }
        Ok(())
    }
}

impl Check for LogsGroupRetention {
    type Params = Params;

    fn run(&self, cx: &Context<'_>, params: &Params, out: &mut Findings<'_>) {
        for (resource, group) in cx.inventory.iter::<LogGroup>() {
            let verdict = match group.retention_in_days {
                Some(days) if i64::from(days) >= params.min_days => {
                    Verdict::Pass(format!("events are kept {days} days (minimum {})", params.min_days))
                }
                Some(days) => Verdict::Fail(format!("events are kept only {days} days (minimum {})", params.min_days)),
                None if params.allow_never_expire => Verdict::Pass("events never expire".into()),
                None => Verdict::Fail("events never expire: no retention period is set".into()),
            };
            out.verdict(resource, verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::DynCheck;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use serde_json::json;

    fn group(days: Option<i32>) -> LogGroup {
        LogGroup { retention_in_days: days, ..Default::default() }
    }

    fn with_groups() -> Inventory {
        let mut inv = inventory();
        inv.resources.push(resource("year", group(Some(365))));
        inv.resources.push(resource("week", group(Some(7))));
        inv.resources.push(resource("forever", group(None)));
        inv
    }

    #[test]
    fn pass_and_fail_with_defaults() {
        let findings = run(&LogsGroupRetention, &with_groups());
        assert_eq!(
            statuses(&findings),
            vec![("forever".into(), Status::Pass), ("week".into(), Status::Fail), ("year".into(), Status::Pass)]
        );
        let week = findings.iter().find(|f| f.resource.id == "week").map(|f| f.message.as_str());
        assert_eq!(week, Some("events are kept only 7 days (minimum 365)"));
    }

    #[test]
    fn parameters() {
        let params = json!({"min_days": 400, "allow_never_expire": false});
        let findings = run_with(&LogsGroupRetention, &with_groups(), Some(params));
        assert_eq!(
            statuses(&findings),
            vec![("forever".into(), Status::Fail), ("week".into(), Status::Fail), ("year".into(), Status::Fail)]
        );
        let findings = run_with(&LogsGroupRetention, &with_groups(), Some(json!({"min_days": 7})));
        assert_eq!(findings.iter().filter(|f| f.status == Status::Pass).count(), 3);
    }

    #[test]
    fn rejects_bad_params() {
        let err = |v| LogsGroupRetention.validate_params(&v).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err(json!({"min_days": -30})).contains("min_days"));
        assert!(err(json!({"min_days": 0})).contains("min_days"));
        assert!(err(json!({"min_days": 4000})).contains("min_days"));
        assert!(err(json!({"min_days": "a year"})).contains("invalid type"));
        assert!(err(json!({"days": 30})).contains("unknown field"));
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::LogsLogGroup, REGION, denied("logs:DescribeLogGroups"));
        assert_eq!(statuses(&run(&LogsGroupRetention, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
