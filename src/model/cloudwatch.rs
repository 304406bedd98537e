//! CloudWatch Logs log groups and metric filters, and CloudWatch alarms.

use serde::{Deserialize, Serialize};

/// `AWS::Logs::LogGroup`. Everything comes from `DescribeLogGroups`, so nothing here can be unknown on its own.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LogGroup {
    pub log_group_name: String,
    /// Days events are kept; `None` means they never expire.
    pub retention_in_days: Option<i32>,
    /// The KMS key ARN the group's data is encrypted with; `None` means CloudWatch Logs' own encryption.
    pub kms_key_id: Option<String>,
    /// `STANDARD`, `INFREQUENT_ACCESS` or `DELIVERY`.
    pub log_group_class: Option<String>,
    pub metric_filter_count: Option<i32>,
}

/// `AWS::Logs::MetricFilter`: turns matching log events of one log group into metric data points.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricFilter {
    pub filter_name: String,
    pub log_group_name: String,
    /// The pattern as AWS stores it (`{ ($.eventName = ConsoleLogin) && … }` for JSON log events).
    pub filter_pattern: String,
    pub metric_transformations: Vec<MetricTransformation>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricTransformation {
    pub metric_name: String,
    pub metric_namespace: String,
    pub metric_value: String,
}

/// `AWS::CloudWatch::Alarm` (a metric alarm).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Alarm {
    pub alarm_name: String,
    /// Whether actions run on state changes at all.
    pub actions_enabled: bool,
    /// Actions run when the alarm enters the `ALARM` state (SNS topics, Auto Scaling, EC2, Systems Manager).
    pub alarm_actions: Vec<String>,
    pub ok_actions: Vec<String>,
    pub insufficient_data_actions: Vec<String>,
    /// The metric of a single-metric alarm; `None` for a metric-math alarm (see `metrics`).
    pub metric_name: Option<String>,
    pub namespace: Option<String>,
    pub dimensions: Vec<AlarmDimension>,
    /// The metrics a metric-math alarm reads.
    pub metrics: Vec<AlarmMetric>,
    /// `OK`, `ALARM` or `INSUFFICIENT_DATA`.
    pub state_value: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AlarmDimension {
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AlarmMetric {
    pub namespace: Option<String>,
    pub metric_name: Option<String>,
    pub dimensions: Vec<AlarmDimension>,
}

impl Alarm {
    /// Whether the alarm watches `namespace`/`metric_name` without a dimension filter, as a metric filter emits
    /// it (metric filters without dimensions publish dimensionless metrics).
    pub fn watches(&self, namespace: &str, metric_name: &str) -> bool {
        let single = self.namespace.as_deref() == Some(namespace)
            && self.metric_name.as_deref() == Some(metric_name)
            && self.dimensions.is_empty();
        let math = self.metrics.iter().any(|m| {
            m.namespace.as_deref() == Some(namespace)
                && m.metric_name.as_deref() == Some(metric_name)
                && m.dimensions.is_empty()
        });
        single || math
    }

    /// The actions that run when the alarm fires, if any run at all.
    pub fn effective_alarm_actions(&self) -> &[String] {
        if self.actions_enabled { &self.alarm_actions } else { &[] }
    }
}

/// The parts of a CloudWatch Logs log group ARN (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME`, optionally
/// followed by `:*`, as CloudTrail stores it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogGroupArn {
    pub region: String,
    pub account_id: String,
    pub name: String,
}

impl LogGroupArn {
    pub fn parse(arn: &str) -> Option<Self> {
        let mut parts = arn.splitn(7, ':');
        let (Some("arn"), Some(_partition), Some("logs"), Some(region), Some(account), Some("log-group"), Some(rest)) =
            (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        // Log group names cannot contain ':', so whatever follows one is the `*` suffix (or a stream part).
        let name = rest.split(':').next().unwrap_or_default();
        if region.is_empty() || name.is_empty() {
            return None;
        }
        Some(LogGroupArn { region: region.to_string(), account_id: account.to_string(), name: name.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_group_arns_with_and_without_the_star() {
        let expected = LogGroupArn {
            region: "eu-west-1".into(),
            account_id: "123456789012".into(),
            name: "aws-cloudtrail-logs/main".into(),
        };
        let arn = "arn:aws:logs:eu-west-1:123456789012:log-group:aws-cloudtrail-logs/main";
        assert_eq!(LogGroupArn::parse(&format!("{arn}:*")), Some(expected.clone()));
        assert_eq!(LogGroupArn::parse(arn), Some(expected));
        assert_eq!(LogGroupArn::parse("arn:aws:s3:::bucket"), None);
        assert_eq!(LogGroupArn::parse("arn:aws:logs:eu-west-1:123456789012:log-group:"), None);
    }

    #[test]
    fn alarms_watch_dimensionless_metrics_directly_or_through_math() {
        let direct =
            Alarm { namespace: Some("CIS".into()), metric_name: Some("RootUsage".into()), ..Default::default() };
        assert!(direct.watches("CIS", "RootUsage"));
        assert!(!direct.watches("CIS", "Other"));
        let filtered =
            Alarm { dimensions: vec![AlarmDimension { name: "Env".into(), value: "prod".into() }], ..direct.clone() };
        assert!(!filtered.watches("CIS", "RootUsage"));
        let math = Alarm {
            metrics: vec![AlarmMetric {
                namespace: Some("CIS".into()),
                metric_name: Some("RootUsage".into()),
                dimensions: Vec::new(),
            }],
            ..Default::default()
        };
        assert!(math.watches("CIS", "RootUsage"));
        let disabled = Alarm { actions_enabled: false, alarm_actions: vec!["arn:aws:sns:x".into()], ..direct };
        assert!(disabled.effective_alarm_actions().is_empty());
    }
}
