//! KMS keys with rotation, policy, aliases and tags, per region.

use super::scope::{Scope, time};
use super::session::client;
use crate::model::{Cause, Field, KeyRotation, KmsKey, PolicyDocument, ResourceKind, UnknownReason};
use futures::StreamExt;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Per-key detail calls in flight at once within one region.
const KEY_CONCURRENCY: usize = 16;

pub async fn collect(scope: Scope) {
    let kms = client!(&scope.session, aws_sdk_kms, "kms", &scope.region);
    let (keys, aliases) = tokio::join!(
        scope.pages("ListKeys", kms.list_keys().into_paginator().send()),
        scope.pages("ListAliases", kms.list_aliases().into_paginator().send()),
    );
    let keys = match keys {
        Ok(pages) => pages,
        Err(reason) => {
            scope.listed(ResourceKind::KmsKey, Err(reason));
            return;
        }
    };
    let aliases: Arc<Field<BTreeMap<String, Vec<String>>>> = Arc::new(match aliases {
        Ok(pages) => {
            let mut by_key: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for alias in pages.iter().flat_map(|p| p.aliases()) {
                if let (Some(key), Some(name)) = (alias.target_key_id(), alias.alias_name()) {
                    by_key.entry(key.to_string()).or_default().push(name.to_string());
                }
            }
            Field::Known(by_key)
        }
        Err(reason) => Field::Unknown(reason),
    });

    let key_ids: Vec<String> =
        keys.iter().flat_map(|p| p.keys()).filter_map(|k| k.key_id().map(String::from)).collect();
    let mut complete = true;
    // Owned arguments: the futures must be 'static to run inside the spawned collector task.
    let mut details = futures::stream::iter(
        key_ids.into_iter().map(|id| describe_key(scope.clone(), kms.clone(), id, aliases.clone())),
    )
    .buffer_unordered(KEY_CONCURRENCY);
    while let Some(described) = details.next().await {
        // A key that cannot be described is a key the checks cannot see: the list is then incomplete.
        complete &= described;
    }
    let outcome = if complete {
        Ok(())
    } else {
        Err(UnknownReason::new(Cause::Dependency, "kms:DescribeKey", "some keys could not be described"))
    };
    scope.listed(ResourceKind::KmsKey, outcome);
}

/// Reads one key; `false` when it could not be described at all.
async fn describe_key(
    scope: Scope,
    kms: aws_sdk_kms::Client,
    key_id: String,
    aliases: Arc<Field<BTreeMap<String, Vec<String>>>>,
) -> bool {
    let key_id = key_id.as_str();
    let Ok(described) = scope.call("DescribeKey", Some(key_id), kms.describe_key().key_id(key_id).send()).await else {
        return false;
    };
    let Some(meta) = described.key_metadata() else {
        scope.record(Some(key_id), UnknownReason::new(Cause::Malformed, "kms:DescribeKey", "no KeyMetadata"));
        return false;
    };
    let mut key = KmsKey {
        description: meta.description().filter(|d| !d.is_empty()).map(String::from),
        key_manager: meta.key_manager().map(|v| v.as_str().to_string()),
        key_state: meta.key_state().map(|v| v.as_str().to_string()),
        key_spec: meta.key_spec().map(|v| v.as_str().to_string()),
        key_usage: meta.key_usage().map(|v| v.as_str().to_string()),
        origin: meta.origin().map(|v| v.as_str().to_string()),
        multi_region: meta.multi_region().unwrap_or(false),
        creation_date: time(meta.creation_date()),
        deletion_date: time(meta.deletion_date()),
        rotation: Field::Absent,
        policy: Field::Absent,
        aliases: (*aliases).as_ref().map(|by_key| by_key.get(key_id).cloned().unwrap_or_default()),
    };
    let mut tags = Field::Absent;
    // AWS-managed keys rotate automatically and carry AWS's own policy: nothing to ask about them.
    if key.is_customer_managed() {
        let rotation = async {
            if !key.supports_rotation() {
                return Field::Absent;
            }
            scope
                .fetch("GetKeyRotationStatus", key_id, &[], kms.get_key_rotation_status().key_id(key_id).send(), |o| {
                    Field::Known(KeyRotation {
                        enabled: o.key_rotation_enabled(),
                        period_days: o.rotation_period_in_days(),
                    })
                })
                .await
        };
        let policy = scope.fetch(
            "GetKeyPolicy",
            key_id,
            &[],
            kms.get_key_policy().key_id(key_id).policy_name("default").send(),
            |o| match o.policy().map(PolicyDocument::parse) {
                Some(Ok(doc)) => Field::Known(doc),
                Some(Err(e)) => Field::Unknown(UnknownReason::new(
                    Cause::Malformed,
                    "kms:GetKeyPolicy",
                    format!("the key policy is not valid JSON: {e}"),
                )),
                None => Field::Absent,
            },
        );
        let tag_list =
            scope.fetch("ListResourceTags", key_id, &[], kms.list_resource_tags().key_id(key_id).send(), |o| {
                Field::Known(o.tags().iter().map(|t| (t.tag_key().to_string(), t.tag_value().to_string())).collect())
            });
        (key.rotation, key.policy, tags) = tokio::join!(rotation, policy, tag_list);
    }
    let arn = meta.arn().map(String::from).unwrap_or_else(|| scope.arn("kms", &format!("key/{key_id}")));
    let name = key.aliases.known().ok().flatten().and_then(|a| a.first().cloned());
    scope.add(scope.resource(key_id, arn, name, tags, key));
    true
}
