//! CloudWatch Logs log groups (with tags) and metric filters, per region.

use super::scope::Scope;
use super::session::client;
use crate::model::{Field, LogGroup, MetricFilter, MetricTransformation, ResourceKind};
use futures::StreamExt;
use std::collections::BTreeMap;

/// Per-group tag reads in flight at once within one region.
const GROUP_CONCURRENCY: usize = 16;

pub async fn collect(scope: Scope) {
    let logs = client!(&scope.session, aws_sdk_cloudwatchlogs, "logs", &scope.region);
    // Every metric filter of the region in one paginated listing (no log group name), instead of one per group.
    let (groups, filters) = tokio::join!(
        scope.pages("DescribeLogGroups", logs.describe_log_groups().into_paginator().send()),
        scope.pages("DescribeMetricFilters", logs.describe_metric_filters().into_paginator().send()),
    );

    match filters {
        Ok(pages) => {
            for filter in pages.iter().flat_map(|p| p.metric_filters()) {
                add_filter(&scope, filter);
            }
            scope.listed(ResourceKind::LogsMetricFilter, Ok(()));
        }
        Err(reason) => scope.listed(ResourceKind::LogsMetricFilter, Err(reason)),
    }

    let groups = match groups {
        Ok(pages) => pages,
        Err(reason) => {
            scope.listed(ResourceKind::LogsLogGroup, Err(reason));
            return;
        }
    };
    let groups: Vec<aws_sdk_cloudwatchlogs::types::LogGroup> =
        groups.into_iter().flat_map(|p| p.log_groups.unwrap_or_default()).collect();
    let mut added = futures::stream::iter(groups.into_iter().map(|g| add_group(scope.clone(), logs.clone(), g)))
        .buffer_unordered(GROUP_CONCURRENCY);
    while added.next().await.is_some() {}
    scope.listed(ResourceKind::LogsLogGroup, Ok(()));
}

async fn add_group(scope: Scope, logs: aws_sdk_cloudwatchlogs::Client, group: aws_sdk_cloudwatchlogs::types::LogGroup) {
    let name = group.log_group_name().unwrap_or_default().to_string();
    // `arn` ends in `:*`; `logGroupArn` (newer) does not, and is what tagging APIs take.
    let arn = group
        .log_group_arn()
        .map(String::from)
        .or_else(|| group.arn().map(|a| a.trim_end_matches(":*").to_string()))
        .unwrap_or_else(|| scope.arn("logs", &format!("log-group:{name}")));
    let tags = scope
        .fetch("ListTagsForResource", &name, &[], logs.list_tags_for_resource().resource_arn(&arn).send(), |o| {
            Field::Known(o.tags().map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default())
        })
        .await;
    let properties = LogGroup {
        log_group_name: name.clone(),
        retention_in_days: group.retention_in_days(),
        kms_key_id: group.kms_key_id().filter(|k| !k.is_empty()).map(String::from),
        log_group_class: group.log_group_class().map(|c| c.as_str().to_string()),
        metric_filter_count: group.metric_filter_count(),
    };
    scope.add(scope.resource(name.clone(), arn, Some(name), tags, properties));
}

fn add_filter(scope: &Scope, filter: &aws_sdk_cloudwatchlogs::types::MetricFilter) {
    let group = filter.log_group_name().unwrap_or_default().to_string();
    let name = filter.filter_name().unwrap_or_default().to_string();
    let properties = MetricFilter {
        filter_name: name.clone(),
        log_group_name: group.clone(),
        filter_pattern: filter.filter_pattern().unwrap_or_default().to_string(),
        metric_transformations: filter
            .metric_transformations()
            .iter()
            .map(|t| MetricTransformation {
                metric_name: t.metric_name().to_string(),
                metric_namespace: t.metric_namespace().to_string(),
                metric_value: t.metric_value().to_string(),
            })
            .collect(),
    };
    // Metric filters have no ARN of their own; this one is stable and unique (filter names are unique per group).
    let arn = scope.arn("logs", &format!("log-group:{group}:metric-filter:{name}"));
    // Metric filters cannot be tagged.
    let tags = Field::Known(BTreeMap::new());
    scope.add(scope.resource(format!("{group}/{name}"), arn, Some(name), tags, properties));
}
