//! CloudFront distributions (global).

use super::Field;
use serde::{Deserialize, Serialize};

/// `AWS::CloudFront::Distribution`. The envelope's id is the distribution id; its name is the first alternate
/// domain name (CNAME), else the CloudFront domain name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudFrontDistribution {
    /// `d111111abcdef8.cloudfront.net`
    pub domain_name: String,
    /// `Deployed` or `InProgress`.
    pub status: Option<String>,
    pub enabled: bool,
    /// Alternate domain names (CNAMEs).
    pub aliases: Vec<String>,
    pub comment: Option<String>,
    pub default_cache_behavior: CloudFrontCacheBehavior,
    /// The path-specific cache behaviors, in precedence order.
    pub cache_behaviors: Vec<CloudFrontCacheBehavior>,
    pub origins: Vec<CloudFrontOrigin>,
    /// Standard (legacy) access logging to S3, from `GetDistributionConfig`; `Absent` when it is off.
    pub logging: Field<CloudFrontLogging>,
}

impl CloudFrontDistribution {
    /// The default behavior, then the path-specific ones.
    pub fn behaviors(&self) -> impl Iterator<Item = &CloudFrontCacheBehavior> {
        std::iter::once(&self.default_cache_behavior).chain(self.cache_behaviors.iter())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudFrontCacheBehavior {
    /// `None` for the default cache behavior.
    pub path_pattern: Option<String>,
    pub target_origin_id: String,
    /// `allow-all`, `https-only` or `redirect-to-https`.
    pub viewer_protocol_policy: String,
}

impl CloudFrontCacheBehavior {
    /// How the behavior is named in messages: its path pattern, or `default`.
    pub fn label(&self) -> &str {
        self.path_pattern.as_deref().unwrap_or("default")
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudFrontOrigin {
    pub id: String,
    pub domain_name: String,
    /// The origin has an `S3OriginConfig` (an S3 REST endpoint origin, as opposed to a custom origin).
    pub s3_origin_config: bool,
    /// The legacy origin access identity (`origin-access-identity/cloudfront/E…`), if any.
    pub origin_access_identity: Option<String>,
    /// The origin access control id, if any.
    pub origin_access_control_id: Option<String>,
}

/// An S3 bucket named by an origin's domain name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct S3OriginBucket {
    pub bucket: String,
    /// The region when the domain names one (`bucket.s3.eu-west-1.amazonaws.com`); `None` for the global
    /// endpoint `bucket.s3.amazonaws.com`.
    pub region: Option<String>,
}

impl CloudFrontOrigin {
    /// The bucket of an S3 REST endpoint origin. S3 static website endpoints (`bucket.s3-website-…`) are custom
    /// origins, not S3 origins: they serve public website content and cannot use origin access control.
    pub fn s3_bucket(&self) -> Option<S3OriginBucket> {
        parse_s3_rest_domain(&self.domain_name)
    }

    /// Whether CloudFront treats the origin as an S3 bucket (REST endpoint).
    pub fn is_s3(&self) -> bool {
        self.s3_origin_config || self.s3_bucket().is_some()
    }
}

/// Parses `bucket.s3.amazonaws.com`, `bucket.s3.REGION.amazonaws.com`, `bucket.s3-REGION.amazonaws.com`,
/// `bucket.s3-external-1.amazonaws.com`, `bucket.s3.dualstack.REGION.amazonaws.com` (and the `.com.cn` forms).
fn parse_s3_rest_domain(domain: &str) -> Option<S3OriginBucket> {
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    let rest = domain.strip_suffix(".amazonaws.com").or_else(|| domain.strip_suffix(".amazonaws.com.cn"))?;
    if let Some(bucket) = rest.strip_suffix(".s3") {
        return named(bucket, None);
    }
    let (head, last) = rest.rsplit_once('.')?;
    if last.starts_with("s3-website") || head.ends_with(".s3-website") {
        return None;
    }
    if last == "s3-external-1" {
        return named(head, Some("us-east-1"));
    }
    if let Some(region) = last.strip_prefix("s3-") {
        return named(head, Some(region));
    }
    if let Some(bucket) = head.strip_suffix(".s3.dualstack").or_else(|| head.strip_suffix(".s3")) {
        return named(bucket, Some(last));
    }
    None
}

fn named(bucket: &str, region: Option<&str>) -> Option<S3OriginBucket> {
    (!bucket.is_empty()).then(|| S3OriginBucket { bucket: bucket.to_string(), region: region.map(String::from) })
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudFrontLogging {
    /// The log bucket's domain name (`logs.s3.amazonaws.com`).
    pub bucket: String,
    pub prefix: String,
    pub include_cookies: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(domain: &str) -> CloudFrontOrigin {
        CloudFrontOrigin { id: "o".into(), domain_name: domain.into(), ..Default::default() }
    }

    fn bucket(domain: &str) -> Option<(String, Option<String>)> {
        origin(domain).s3_bucket().map(|b| (b.bucket, b.region))
    }

    #[test]
    fn s3_rest_domains_name_their_bucket_and_region() {
        let some = |b: &str, r: Option<&str>| Some((b.to_string(), r.map(String::from)));
        assert_eq!(bucket("site.s3.amazonaws.com"), some("site", None));
        assert_eq!(bucket("my.site.s3.eu-west-1.amazonaws.com"), some("my.site", Some("eu-west-1")));
        assert_eq!(bucket("site.s3-eu-west-1.amazonaws.com"), some("site", Some("eu-west-1")));
        assert_eq!(bucket("site.s3-external-1.amazonaws.com"), some("site", Some("us-east-1")));
        assert_eq!(bucket("site.s3.dualstack.us-west-2.amazonaws.com"), some("site", Some("us-west-2")));
        assert_eq!(bucket("Site.S3.cn-north-1.amazonaws.com.cn."), some("site", Some("cn-north-1")));
    }

    #[test]
    fn website_and_custom_domains_are_not_s3_origins() {
        assert_eq!(bucket("site.s3-website-us-east-1.amazonaws.com"), None);
        assert_eq!(bucket("site.s3-website.eu-west-1.amazonaws.com"), None);
        assert_eq!(bucket("api.example.com"), None);
        assert_eq!(bucket("elb-1.eu-west-1.elb.amazonaws.com"), None);
        assert_eq!(bucket(".s3.amazonaws.com"), None);
        assert!(!origin("api.example.com").is_s3());
        assert!(CloudFrontOrigin { s3_origin_config: true, ..origin("odd.example.com") }.is_s3());
    }
}
