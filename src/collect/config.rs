//! AWS Config: configuration recorders with their status, and delivery channels, per region.

use super::scope::Scope;
use super::session::client;
use crate::model::{ConfigDeliveryChannel, ConfigRecorder, ConfigRecorderStatus, Field, ResourceKind};

pub async fn collect(scope: Scope) {
    let config = client!(&scope.session, aws_sdk_config, "config", &scope.region);
    // The three lists are independent: ask for them at once.
    let (recorders, statuses, channels) = tokio::join!(
        scope.call("DescribeConfigurationRecorders", None, config.describe_configuration_recorders().send()),
        scope.call("DescribeConfigurationRecorderStatus", None, config.describe_configuration_recorder_status().send()),
        scope.call("DescribeDeliveryChannels", None, config.describe_delivery_channels().send()),
    );

    match recorders {
        Ok(out) => {
            for recorder in out.configuration_recorders() {
                let name = recorder.name().unwrap_or("default").to_string();
                let status = match &statuses {
                    Ok(s) => match s.configuration_recorders_status().iter().find(|st| st.name() == Some(&name)) {
                        Some(st) => Field::Known(ConfigRecorderStatus {
                            recording: st.recording(),
                            last_status: st.last_status().map(|v| v.as_str().to_string()),
                            last_error_code: st.last_error_code().map(String::from),
                            last_error_message: st.last_error_message().map(String::from),
                        }),
                        None => Field::Absent,
                    },
                    Err(reason) => Field::Unknown(reason.clone()),
                };
                let group = recorder.recording_group();
                let properties = ConfigRecorder {
                    role_arn: recorder.role_arn().map(String::from),
                    // AWS's default recording group (none given) records all supported types.
                    all_supported: group.is_none_or(|g| g.all_supported()),
                    include_global_resource_types: group.is_some_and(|g| g.include_global_resource_types()),
                    recording_strategy: group
                        .and_then(|g| g.recording_strategy())
                        .and_then(|s| s.use_only())
                        .map(|s| s.as_str().to_string()),
                    resource_types: group
                        .map(|g| g.resource_types().iter().map(|t| t.as_str().to_string()).collect())
                        .unwrap_or_default(),
                    excluded_resource_types: group
                        .and_then(|g| g.exclusion_by_resource_types())
                        .map(|e| e.resource_types().iter().map(|t| t.as_str().to_string()).collect())
                        .unwrap_or_default(),
                    status,
                };
                let arn = recorder
                    .arn()
                    .map(String::from)
                    .unwrap_or_else(|| scope.arn("config", &format!("configuration-recorder/{name}")));
                scope.add(scope.resource(name.clone(), arn, Some(name), Field::Absent, properties));
            }
            scope.listed(ResourceKind::ConfigRecorder, Ok(()));
        }
        Err(reason) => scope.listed(ResourceKind::ConfigRecorder, Err(reason)),
    }

    match channels {
        Ok(out) => {
            for channel in out.delivery_channels() {
                let name = channel.name().unwrap_or("default").to_string();
                let properties = ConfigDeliveryChannel {
                    s3_bucket_name: channel.s3_bucket_name().map(String::from),
                    s3_key_prefix: channel.s3_key_prefix().map(String::from),
                    sns_topic_arn: channel.sns_topic_arn().map(String::from),
                    delivery_frequency: channel
                        .config_snapshot_delivery_properties()
                        .and_then(|p| p.delivery_frequency())
                        .map(|f| f.as_str().to_string()),
                };
                let arn = scope.arn("config", &format!("delivery-channel/{name}"));
                scope.add(scope.resource(name.clone(), arn, Some(name), Field::Absent, properties));
            }
            scope.listed(ResourceKind::ConfigDeliveryChannel, Ok(()));
        }
        Err(reason) => scope.listed(ResourceKind::ConfigDeliveryChannel, Err(reason)),
    }
}
