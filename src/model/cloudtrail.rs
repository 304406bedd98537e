//! CloudTrail trails and AWS Config recorders.

use super::Field;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `AWS::CloudTrail::Trail`. Collected once, in its home region.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Trail {
    pub home_region: String,
    pub is_multi_region: bool,
    pub is_organization_trail: bool,
    pub include_global_service_events: bool,
    pub log_file_validation_enabled: bool,
    pub kms_key_id: Option<String>,
    pub s3_bucket_name: Option<String>,
    pub cloudwatch_logs_log_group_arn: Option<String>,
    pub cloudwatch_logs_role_arn: Option<String>,
    pub sns_topic_arn: Option<String>,
    pub status: Field<TrailStatus>,
    pub event_selectors: Field<EventSelectors>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrailStatus {
    pub is_logging: bool,
    pub latest_delivery_error: Option<String>,
    pub latest_delivery_time: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventSelectors {
    pub basic: Vec<BasicEventSelector>,
    pub advanced: Vec<AdvancedEventSelector>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BasicEventSelector {
    /// `All`, `ReadOnly` or `WriteOnly`.
    pub read_write_type: Option<String>,
    pub include_management_events: bool,
    pub exclude_management_event_sources: Vec<String>,
    pub data_resource_types: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdvancedEventSelector {
    pub name: Option<String>,
    pub field_selectors: Vec<AdvancedFieldSelector>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdvancedFieldSelector {
    pub field: String,
    pub equals: Vec<String>,
    pub not_equals: Vec<String>,
    pub starts_with: Vec<String>,
    pub not_starts_with: Vec<String>,
}

impl EventSelectors {
    /// Whether the selectors record all management events, reads and writes, from every event source.
    pub fn records_all_management_events(&self) -> bool {
        let basic = self.basic.iter().any(|s| {
            s.include_management_events
                && s.read_write_type.as_deref().unwrap_or("All") == "All"
                && s.exclude_management_event_sources.is_empty()
        });
        let advanced = self.advanced.iter().any(|sel| {
            let category_management = sel
                .field_selectors
                .iter()
                .any(|f| f.field == "eventCategory" && f.equals.iter().any(|v| v == "Management"));
            // Any other field selector (readOnly, eventSource exclusions) narrows what is recorded.
            let narrowed = sel.field_selectors.iter().any(|f| f.field != "eventCategory");
            category_management && !narrowed
        });
        basic || advanced
    }
}

/// `AWS::Config::ConfigurationRecorder`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfigRecorder {
    pub role_arn: Option<String>,
    pub all_supported: bool,
    pub include_global_resource_types: bool,
    /// `ALL_SUPPORTED_RESOURCE_TYPES`, `INCLUSION_BY_RESOURCE_TYPES` or `EXCLUSION_BY_RESOURCE_TYPES`.
    pub recording_strategy: Option<String>,
    pub resource_types: Vec<String>,
    pub excluded_resource_types: Vec<String>,
    pub status: Field<ConfigRecorderStatus>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfigRecorderStatus {
    pub recording: bool,
    /// `Pending`, `Success` or `Failure`.
    pub last_status: Option<String>,
    pub last_error_code: Option<String>,
    pub last_error_message: Option<String>,
}

/// `AWS::Config::DeliveryChannel`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfigDeliveryChannel {
    pub s3_bucket_name: Option<String>,
    pub s3_key_prefix: Option<String>,
    pub sns_topic_arn: Option<String>,
    pub delivery_frequency: Option<String>,
}
