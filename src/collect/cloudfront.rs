//! CloudFront distributions (global, read once): behaviors, origins and aliases from `ListDistributions`, the
//! logging configuration from `GetDistributionConfig`, and tags.

use super::scope::{self, Scope};
use super::session::client;
use crate::model::{
    Cause, CloudFrontCacheBehavior, CloudFrontDistribution, CloudFrontLogging, CloudFrontOrigin, Field, ResourceKind,
    UnknownReason,
};
use aws_sdk_cloudfront::Client;
use aws_sdk_cloudfront::types::{DistributionSummary, Origin};
use futures::stream::{self, StreamExt};

/// Distributions detailed at once (two calls each).
const DISTRIBUTION_CONCURRENCY: usize = 16;

pub async fn collect(scope: Scope) {
    let cf = client!(&scope.session, aws_sdk_cloudfront, "cloudfront", &scope.region);
    let pages = match scope.pages("ListDistributions", cf.list_distributions().into_paginator().send()).await {
        Ok(pages) => pages,
        Err(reason) => {
            scope.listed(ResourceKind::CloudFrontDistribution, Err(reason));
            return;
        }
    };
    let summaries: Vec<DistributionSummary> =
        pages.iter().filter_map(|p| p.distribution_list()).flat_map(|l| l.items()).cloned().collect();
    stream::iter(summaries)
        .map(|summary| distribution(&scope, &cf, summary))
        .buffer_unordered(DISTRIBUTION_CONCURRENCY)
        .collect::<Vec<()>>()
        .await;
    scope.listed(ResourceKind::CloudFrontDistribution, Ok(()));
}

async fn distribution(scope: &Scope, cf: &Client, summary: DistributionSummary) {
    let id = summary.id();
    let logging = scope.fetch("GetDistributionConfig", id, &[], cf.get_distribution_config().id(id).send(), |out| {
        match out.distribution_config() {
            Some(config) => match config.logging() {
                Some(logging) if logging.enabled() => Field::Known(CloudFrontLogging {
                    bucket: logging.bucket().to_string(),
                    prefix: logging.prefix().to_string(),
                    include_cookies: logging.include_cookies(),
                }),
                _ => Field::Absent,
            },
            None => {
                let reason = UnknownReason::new(
                    Cause::Malformed,
                    "cloudfront:GetDistributionConfig",
                    "the answer has no DistributionConfig",
                );
                scope.record(Some(id), reason.clone());
                Field::Unknown(reason)
            }
        }
    });
    let tags = scope.fetch(
        "ListTagsForResource",
        id,
        &[],
        cf.list_tags_for_resource().resource(summary.arn()).send(),
        |out| {
            let pairs = out.tags().map(|t| t.items()).unwrap_or_default();
            Field::Known(scope::tags(pairs.iter().map(|t| (Some(t.key()), t.value()))))
        },
    );
    let (logging, tags) = tokio::join!(logging, tags);

    let default_cache_behavior = summary
        .default_cache_behavior()
        .map(|b| CloudFrontCacheBehavior {
            path_pattern: None,
            target_origin_id: b.target_origin_id().to_string(),
            viewer_protocol_policy: b.viewer_protocol_policy().as_str().to_string(),
        })
        .unwrap_or_default();
    let cache_behaviors = summary
        .cache_behaviors()
        .map(|c| c.items())
        .unwrap_or_default()
        .iter()
        .map(|b| CloudFrontCacheBehavior {
            path_pattern: Some(b.path_pattern().to_string()),
            target_origin_id: b.target_origin_id().to_string(),
            viewer_protocol_policy: b.viewer_protocol_policy().as_str().to_string(),
        })
        .collect();
    let aliases: Vec<String> = summary.aliases().map(|a| a.items().to_vec()).unwrap_or_default();
    let properties = CloudFrontDistribution {
        domain_name: summary.domain_name().to_string(),
        status: Some(summary.status().to_string()).filter(|s| !s.is_empty()),
        enabled: summary.enabled(),
        comment: Some(summary.comment().to_string()).filter(|c| !c.is_empty()),
        default_cache_behavior,
        cache_behaviors,
        origins: summary.origins().map(|o| o.items()).unwrap_or_default().iter().map(origin).collect(),
        logging,
        aliases: aliases.clone(),
    };
    // What people call the distribution: its first alternate domain name, else its CloudFront domain.
    let name = aliases.into_iter().next().unwrap_or_else(|| summary.domain_name().to_string());
    scope.add(scope.resource(id, summary.arn(), Some(name), tags, properties));
}

fn origin(o: &Origin) -> CloudFrontOrigin {
    let non_empty = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    CloudFrontOrigin {
        id: o.id().to_string(),
        domain_name: o.domain_name().to_string(),
        s3_origin_config: o.s3_origin_config().is_some(),
        // An origin with OAC (or no access restriction) carries an empty identity.
        origin_access_identity: o.s3_origin_config().and_then(|c| non_empty(c.origin_access_identity())),
        origin_access_control_id: o.origin_access_control_id().and_then(non_empty),
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_cloudfront::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};

    /// The collector builds its client for the home region, whatever it is: the SDK's rules send every region
    /// to the one global endpoint, signed for us-east-1.
    #[tokio::test]
    async fn any_home_region_reaches_the_global_endpoint_signed_for_us_east_1() {
        for region in ["us-east-1", "eu-west-1", "ap-southeast-2"] {
            let params = Params::builder().region(region).build().unwrap_or_else(|e| panic!("{e}"));
            let endpoint = DefaultResolver::new().resolve_endpoint(&params).await.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(endpoint.url(), "https://cloudfront.amazonaws.com", "{region}");
            let text = format!("{:?}", endpoint.properties().get("authSchemes"));
            assert!(text.contains("\"us-east-1\""), "{region}: {text}");
        }
    }
}
