//! CloudTrail trails with their status, event selectors and tags.
//!
//! Each trail is read once, with a client in its home region (trail ARNs are only resolvable there on some
//! endpoints). `DescribeTrails` in a region also lists the shadows of multi-region trails from other regions:
//! a trail whose home region is audited is collected by that region's task, and one whose home region is not
//! audited (a multi-region trail homed elsewhere) by the first audited region's task, so it is neither
//! missed nor read twice.

use super::scope::{Scope, time};
use super::session::client;
use crate::model::{
    AdvancedEventSelector, AdvancedFieldSelector, BasicEventSelector, EventSelectors, Field, ResourceKind, Trail,
    TrailStatus,
};
use std::collections::BTreeMap;
use std::sync::Arc;

/// `ListTags` accepts at most 20 trail ARNs per call.
const TAGS_BATCH: usize = 20;

pub async fn collect(scope: Scope, audited: Arc<[String]>) {
    let here = client!(&scope.session, aws_sdk_cloudtrail, "cloudtrail", &scope.region);
    let described =
        match scope.call("DescribeTrails", None, here.describe_trails().include_shadow_trails(true).send()).await {
            Ok(out) => out,
            Err(reason) => {
                scope.listed(ResourceKind::CloudTrailTrail, Err(reason));
                return;
            }
        };
    let first_audited = audited.first().map(String::as_str) == Some(scope.region.as_str());
    let mine: Vec<&aws_sdk_cloudtrail::types::Trail> = described
        .trail_list()
        .iter()
        .filter(|t| match t.home_region() {
            Some(home) if home == scope.region => true,
            Some(home) => first_audited && !audited.iter().any(|r| r == home),
            None => true,
        })
        .collect();

    let mut by_home: BTreeMap<String, Vec<&aws_sdk_cloudtrail::types::Trail>> = BTreeMap::new();
    for trail in mine {
        by_home.entry(trail.home_region().unwrap_or(&scope.region).to_string()).or_default().push(trail);
    }
    for (home, trails) in by_home {
        let home_scope = scope.in_region(&home);
        let client = if home == scope.region {
            here.clone()
        } else {
            client!(&scope.session, aws_sdk_cloudtrail, "cloudtrail", &home)
        };
        let arns: Vec<String> = trails.iter().filter_map(|t| t.trail_arn().map(String::from)).collect();
        let tags = fetch_tags(&home_scope, &client, &arns);
        let details = futures::future::join_all(trails.iter().map(|t| trail_details(&home_scope, &client, t)));
        let (tags, details) = tokio::join!(tags, details);
        for (trail, (status, event_selectors)) in trails.iter().zip(details) {
            let arn = trail.trail_arn().unwrap_or_default().to_string();
            let name = trail.name().unwrap_or_default().to_string();
            let properties = Trail {
                home_region: home.clone(),
                is_multi_region: trail.is_multi_region_trail().unwrap_or(false),
                is_organization_trail: trail.is_organization_trail().unwrap_or(false),
                include_global_service_events: trail.include_global_service_events().unwrap_or(false),
                log_file_validation_enabled: trail.log_file_validation_enabled().unwrap_or(false),
                kms_key_id: trail.kms_key_id().map(String::from),
                s3_bucket_name: trail.s3_bucket_name().map(String::from),
                cloudwatch_logs_log_group_arn: trail.cloud_watch_logs_log_group_arn().map(String::from),
                cloudwatch_logs_role_arn: trail.cloud_watch_logs_role_arn().map(String::from),
                sns_topic_arn: trail.sns_topic_arn().map(String::from),
                status,
                event_selectors,
            };
            let trail_tags = tags.as_ref().map(|all| all.get(&arn).cloned().unwrap_or_default());
            home_scope.add(home_scope.resource(name.clone(), arn, Some(name), trail_tags, properties));
        }
    }
    scope.listed(ResourceKind::CloudTrailTrail, Ok(()));
}

async fn trail_details(
    scope: &Scope,
    client: &aws_sdk_cloudtrail::Client,
    trail: &aws_sdk_cloudtrail::types::Trail,
) -> (Field<TrailStatus>, Field<EventSelectors>) {
    let id = trail.trail_arn().or(trail.name()).unwrap_or_default();
    let status = scope.fetch("GetTrailStatus", id, &[], client.get_trail_status().name(id).send(), |o| {
        Field::Known(TrailStatus {
            is_logging: o.is_logging().unwrap_or(false),
            latest_delivery_error: o.latest_delivery_error().filter(|e| !e.is_empty()).map(String::from),
            latest_delivery_time: time(o.latest_delivery_time()),
        })
    });
    let selectors =
        scope.fetch("GetEventSelectors", id, &[], client.get_event_selectors().trail_name(id).send(), |o| {
            Field::Known(EventSelectors {
                basic: o
                    .event_selectors()
                    .iter()
                    .map(|s| BasicEventSelector {
                        read_write_type: s.read_write_type().map(|v| v.as_str().to_string()),
                        // AWS's default when the field is omitted is true.
                        include_management_events: s.include_management_events().unwrap_or(true),
                        exclude_management_event_sources: s.exclude_management_event_sources().to_vec(),
                        data_resource_types: s
                            .data_resources()
                            .iter()
                            .filter_map(|d| d.r#type().map(String::from))
                            .collect(),
                    })
                    .collect(),
                advanced: o
                    .advanced_event_selectors()
                    .iter()
                    .map(|s| AdvancedEventSelector {
                        name: s.name().map(String::from),
                        field_selectors: s
                            .field_selectors()
                            .iter()
                            .map(|f| AdvancedFieldSelector {
                                field: f.field().to_string(),
                                equals: f.equals().to_vec(),
                                not_equals: f.not_equals().to_vec(),
                                starts_with: f.starts_with().to_vec(),
                                not_starts_with: f.not_starts_with().to_vec(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
        });
    tokio::join!(status, selectors)
}

async fn fetch_tags(
    scope: &Scope,
    client: &aws_sdk_cloudtrail::Client,
    arns: &[String],
) -> Field<BTreeMap<String, BTreeMap<String, String>>> {
    let mut all = BTreeMap::new();
    for batch in arns.chunks(TAGS_BATCH) {
        let pages = scope
            .pages("ListTags", client.list_tags().set_resource_id_list(Some(batch.to_vec())).into_paginator().send())
            .await;
        match pages {
            Ok(pages) => {
                for entry in pages.iter().flat_map(|p| p.resource_tag_list()) {
                    if let Some(id) = entry.resource_id() {
                        let tags = super::scope::tags(entry.tags_list().iter().map(|t| (Some(t.key()), t.value())));
                        all.insert(id.to_string(), tags);
                    }
                }
            }
            Err(reason) => return Field::Unknown(reason),
        }
    }
    Field::Known(all)
}
