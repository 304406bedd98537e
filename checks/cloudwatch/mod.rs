use crate::check::DynCheck;

pub mod alarms_have_actions;
pub mod cis_metric_alarms;
pub mod filter_pattern;
pub mod logs_group_kms_encrypted;
pub mod logs_group_retention;

pub static CHECKS: &[&dyn DynCheck] = &[
    &logs_group_retention::LogsGroupRetention,
    &logs_group_kms_encrypted::LogsGroupKmsEncrypted,
    &alarms_have_actions::CloudwatchAlarmsHaveActions,
    &cis_metric_alarms::CloudwatchCisMetricAlarms,
];
