//! SNS topics with attributes, subscriptions and tags, per region.

use super::scope::Scope;
use super::session::client;
use crate::model::{Cause, Field, PolicyDocument, ResourceKind, SnsSubscription, SnsTopic, UnknownReason};
use futures::StreamExt;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Per-topic detail calls in flight at once within one region.
const TOPIC_CONCURRENCY: usize = 16;
/// What `ListSubscriptions` shows instead of an ARN for a subscription nobody confirmed yet.
const PENDING: &str = "PendingConfirmation";

type ByTopic = Field<BTreeMap<String, Vec<SnsSubscription>>>;

pub async fn collect(scope: Scope) {
    let sns = client!(&scope.session, aws_sdk_sns, "sns", &scope.region);
    // One region-wide subscription listing instead of one call per topic.
    let (topics, subscriptions) = tokio::join!(
        scope.pages("ListTopics", sns.list_topics().into_paginator().send()),
        scope.pages("ListSubscriptions", sns.list_subscriptions().into_paginator().send()),
    );
    let topics = match topics {
        Ok(pages) => pages,
        Err(reason) => {
            scope.listed(ResourceKind::SnsTopic, Err(reason));
            return;
        }
    };
    let by_topic: Arc<ByTopic> = Arc::new(match subscriptions {
        Ok(pages) => {
            let mut by_topic: BTreeMap<String, Vec<SnsSubscription>> = BTreeMap::new();
            for s in pages.iter().flat_map(|p| p.subscriptions()) {
                let Some(topic) = s.topic_arn() else { continue };
                let protocol = s.protocol().unwrap_or_default().to_string();
                let arn = s.subscription_arn().unwrap_or_default();
                let pending = arn == PENDING;
                by_topic.entry(topic.to_string()).or_default().push(SnsSubscription {
                    endpoint: s.endpoint().and_then(|e| SnsSubscription::redact_endpoint(&protocol, e)),
                    protocol,
                    arn: (!pending && !arn.is_empty()).then(|| arn.to_string()),
                    pending_confirmation: pending,
                });
            }
            Field::Known(by_topic)
        }
        Err(reason) => Field::Unknown(reason),
    });
    let arns: Vec<String> =
        topics.iter().flat_map(|p| p.topics()).filter_map(|t| t.topic_arn().map(String::from)).collect();
    // Owned arguments: the futures must be 'static to run inside the spawned collector task.
    let mut details =
        futures::stream::iter(arns.into_iter().map(|arn| describe(scope.clone(), sns.clone(), arn, by_topic.clone())))
            .buffer_unordered(TOPIC_CONCURRENCY);
    while details.next().await.is_some() {}
    scope.listed(ResourceKind::SnsTopic, Ok(()));
}

/// Records one topic; a topic whose attributes cannot be read is still recorded, its properties unknown.
async fn describe(scope: Scope, sns: aws_sdk_sns::Client, arn: String, by_topic: Arc<ByTopic>) {
    let attributes =
        scope.fetch("GetTopicAttributes", &arn, &[], sns.get_topic_attributes().topic_arn(&arn).send(), |o| {
            Field::Known(o.attributes().cloned().unwrap_or_default())
        });
    let tags =
        scope.fetch("ListTagsForResource", &arn, &[], sns.list_tags_for_resource().resource_arn(&arn).send(), |o| {
            Field::Known(o.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect())
        });
    let (attributes, tags) = tokio::join!(attributes, tags);
    let topic = SnsTopic {
        kms_master_key_id: attribute(&attributes, "KmsMasterKeyId", |v| Ok(v.to_string())),
        policy: attribute(&attributes, "Policy", |v| {
            PolicyDocument::parse(v).map_err(|e| format!("the topic policy is not valid JSON: {e}"))
        }),
        subscriptions_pending: attribute(&attributes, "SubscriptionsPending", count),
        subscriptions_confirmed: attribute(&attributes, "SubscriptionsConfirmed", count),
        subscriptions: (*by_topic).as_ref().map(|m| m.get(&arn).cloned().unwrap_or_default()),
    };
    // The name is the ARN's last part: `arn:aws:sns:REGION:ACCOUNT:NAME`.
    let name = arn.rsplit(':').next().unwrap_or(&arn).to_string();
    scope.add(scope.resource(name.clone(), arn, Some(name), tags, topic));
}

/// One topic attribute: absent when missing or empty, unknown when the call failed or the value is unreadable.
fn attribute<T>(
    attributes: &Field<HashMap<String, String>>,
    key: &str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Field<T> {
    match attributes.known() {
        Err(reason) => Field::Unknown(reason.clone()),
        Ok(None) => Field::Absent,
        Ok(Some(map)) => match map.get(key).map(String::as_str).filter(|v| !v.is_empty()) {
            None => Field::Absent,
            Some(value) => match parse(value) {
                Ok(v) => Field::Known(v),
                Err(message) => Field::Unknown(UnknownReason::new(Cause::Malformed, "sns:GetTopicAttributes", message)),
            },
        },
    }
}

fn count(value: &str) -> Result<u64, String> {
    value.trim().parse().map_err(|_| format!("not a count: {value:?}"))
}
