use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags CloudWatch metric alarms that tell nobody when they fire: alarms with no action for the `ALARM`
    /// state, and alarms whose actions are disabled (`ActionsEnabled: false`). Actions for the `OK` and
    /// `INSUFFICIENT_DATA` states alone do not count: they do not run when the alarm fires.
    ///
    /// ## Why is this bad?
    /// An alarm without an action only changes colour on a dashboard nobody watches at 3 a.m. Security alarms
    /// (root sign-in, trail stopped) and operational ones (disk full, errors rising) are only worth having if
    /// they reach someone, usually through an SNS topic, or trigger automation.
    ///
    /// ## Remediation
    /// ```sh
    /// aws cloudwatch put-metric-alarm --alarm-name NAME ... --alarm-actions arn:aws:sns:REGION:ACCOUNT_ID:TOPIC
    /// aws cloudwatch enable-alarm-actions --alarm-names NAME
    /// ```
    /// CDK: `alarm.addAlarmAction(new cw_actions.SnsAction(topic))` (and do not set `actionsEnabled: false`);
    /// CloudFormation: `AWS::CloudWatch::Alarm` with `AlarmActions` and `ActionsEnabled: true`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-actions
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-15
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-17
    pub CloudwatchAlarmsHaveActions {
        id: "cloudwatch_alarms_have_actions",
        title: "CloudWatch alarms have an enabled action for the ALARM state",
        severity: Severity::Medium,
        service: "cloudwatch",
        kinds: &[ResourceKind::CloudWatchAlarm],
        scope: CheckScope::Resource,
        compliance: &[fsbp("CloudWatch.15"), fsbp("CloudWatch.17")],
    }
}

impl Check for CloudwatchAlarmsHaveActions {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, alarm) in cx.inventory.iter::<Alarm>() {
            let verdict = match (alarm.actions_enabled, alarm.alarm_actions.as_slice()) {
                (_, []) if alarm.ok_actions.is_empty() && alarm.insufficient_data_actions.is_empty() => {
                    Verdict::Fail("the alarm has no actions at all".into())
                }
                (_, []) => Verdict::Fail("the alarm has actions for other states but none for ALARM".into()),
                (false, _) => Verdict::Fail(format!(
                    "the alarm's actions are disabled, so {} is never notified",
                    alarm.alarm_actions.join(", ")
                )),
                (true, actions) => Verdict::Pass(format!("in ALARM state the alarm notifies {}", actions.join(", "))),
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

    const TOPIC: &str = "arn:aws:sns:eu-west-1:123456789012:alerts";

    fn alarm(enabled: bool, alarm_actions: &[&str], ok_actions: &[&str]) -> Alarm {
        Alarm {
            actions_enabled: enabled,
            alarm_actions: alarm_actions.iter().map(|s| s.to_string()).collect(),
            ok_actions: ok_actions.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn pass_and_fail() {
        let mut inv = inventory();
        inv.resources.push(resource("notifies", alarm(true, &[TOPIC], &[])));
        inv.resources.push(resource("silent", alarm(true, &[], &[])));
        inv.resources.push(resource("ok-only", alarm(true, &[], &[TOPIC])));
        inv.resources.push(resource("disabled", alarm(false, &[TOPIC], &[])));
        let findings = run(&CloudwatchAlarmsHaveActions, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("disabled".into(), Status::Fail),
                ("notifies".into(), Status::Pass),
                ("ok-only".into(), Status::Fail),
                ("silent".into(), Status::Fail),
            ]
        );
        let msg = |id: &str| findings.iter().find(|f| f.resource.id == id).map(|f| f.message.clone());
        assert_eq!(msg("ok-only").as_deref(), Some("the alarm has actions for other states but none for ALARM"));
        assert_eq!(msg("notifies"), Some(format!("in ALARM state the alarm notifies {TOPIC}")));
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::CloudWatchAlarm, REGION, denied("cloudwatch:DescribeAlarms"));
        assert_eq!(statuses(&run(&CloudwatchAlarmsHaveActions, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
