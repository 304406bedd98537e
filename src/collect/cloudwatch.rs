//! CloudWatch metric alarms (with tags), per region.

use super::scope::Scope;
use super::session::client;
use crate::model::{Alarm, AlarmDimension, AlarmMetric, Field, ResourceKind};
use futures::StreamExt;

/// Per-alarm tag reads in flight at once within one region.
const ALARM_CONCURRENCY: usize = 16;

pub async fn collect(scope: Scope) {
    let cloudwatch = client!(&scope.session, aws_sdk_cloudwatch, "cloudwatch", &scope.region);
    // DescribeAlarms returns metric alarms unless composite alarms are asked for.
    let pages = match scope.pages("DescribeAlarms", cloudwatch.describe_alarms().into_paginator().send()).await {
        Ok(pages) => pages,
        Err(reason) => {
            scope.listed(ResourceKind::CloudWatchAlarm, Err(reason));
            return;
        }
    };
    let alarms: Vec<aws_sdk_cloudwatch::types::MetricAlarm> =
        pages.into_iter().flat_map(|p| p.metric_alarms.unwrap_or_default()).collect();
    let mut added = futures::stream::iter(alarms.into_iter().map(|a| add_alarm(scope.clone(), cloudwatch.clone(), a)))
        .buffer_unordered(ALARM_CONCURRENCY);
    while added.next().await.is_some() {}
    scope.listed(ResourceKind::CloudWatchAlarm, Ok(()));
}

fn dimensions(dimensions: &[aws_sdk_cloudwatch::types::Dimension]) -> Vec<AlarmDimension> {
    dimensions
        .iter()
        .map(|d| AlarmDimension {
            name: d.name().unwrap_or_default().to_string(),
            value: d.value().unwrap_or_default().to_string(),
        })
        .collect()
}

async fn add_alarm(
    scope: Scope,
    cloudwatch: aws_sdk_cloudwatch::Client,
    alarm: aws_sdk_cloudwatch::types::MetricAlarm,
) {
    let name = alarm.alarm_name().unwrap_or_default().to_string();
    let arn = alarm.alarm_arn().map(String::from).unwrap_or_else(|| scope.arn("cloudwatch", &format!("alarm:{name}")));
    let tags = scope
        .fetch("ListTagsForResource", &name, &[], cloudwatch.list_tags_for_resource().resource_arn(&arn).send(), |o| {
            Field::Known(super::scope::tags(o.tags().iter().map(|t| (t.key(), t.value()))))
        })
        .await;
    let properties = Alarm {
        alarm_name: name.clone(),
        // AWS's default when the field is omitted is true.
        actions_enabled: alarm.actions_enabled().unwrap_or(true),
        alarm_actions: alarm.alarm_actions().to_vec(),
        ok_actions: alarm.ok_actions().to_vec(),
        insufficient_data_actions: alarm.insufficient_data_actions().to_vec(),
        metric_name: alarm.metric_name().map(String::from),
        namespace: alarm.namespace().map(String::from),
        dimensions: dimensions(alarm.dimensions()),
        metrics: alarm
            .metrics()
            .iter()
            .filter_map(|q| q.metric_stat().and_then(|s| s.metric()))
            .map(|m| AlarmMetric {
                namespace: m.namespace().map(String::from),
                metric_name: m.metric_name().map(String::from),
                dimensions: dimensions(m.dimensions()),
            })
            .collect(),
        state_value: alarm.state_value().map(|s| s.as_str().to_string()),
    };
    scope.add(scope.resource(name.clone(), arn, Some(name), tags, properties));
}
