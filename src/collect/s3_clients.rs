//! S3 and S3 Control clients: both need settings the generic `client!` macro does not give.
//!
//! - S3 with a custom endpoint (`--endpoint-url`) must use path-style addressing: virtual-host style puts the
//!   bucket name in front of the endpoint host (`bucket.127.0.0.1`), which does not resolve.
//! - S3 Control's endpoint rules put the account id in front of the host (`123456789012.s3-control.…`). With a
//!   custom endpoint the operator named the one host every call must go to, so awsaudit uses it as-is (the
//!   standard meaning of a configured endpoint, see the AWS SDKs reference guide "Service-specific endpoints");
//!   the account id still travels in the `x-amz-account-id` header. Without a custom endpoint the SDK's own
//!   rules apply unchanged.

use super::session::Session;
use aws_sdk_s3control::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};
use aws_smithy_runtime_api::client::endpoint::EndpointFuture;
use aws_types::region::Region;

impl Session {
    /// An S3 client for `region` (bucket-level calls must use the bucket's own region).
    pub fn s3_client(&self, region: &str) -> aws_sdk_s3::Client {
        let mut config = aws_sdk_s3::config::Builder::from(self.sdk_config())
            .region(Region::new(region.to_string()))
            .retry_partition(self.retry_partition("s3", region))
            .interceptor(self.counter("s3"));
        if self.endpoint_url.is_some() {
            config = config.force_path_style(true);
        }
        aws_sdk_s3::Client::from_conf(config.build())
    }

    /// An S3 Control client for `region`; with a custom endpoint, requests go to that endpoint unchanged.
    pub fn s3control_client(&self, region: &str) -> aws_sdk_s3control::Client {
        let mut config = aws_sdk_s3control::config::Builder::from(self.sdk_config())
            .region(Region::new(region.to_string()))
            .retry_partition(self.retry_partition("s3control", region))
            .interceptor(self.counter("s3control"));
        if self.endpoint_url.is_some() {
            config = config.endpoint_resolver(ConfiguredEndpointAsIs::default());
        }
        aws_sdk_s3control::Client::from_conf(config.build())
    }
}

/// S3 Control endpoint resolution that leaves a configured endpoint's host alone: the SDK's rules, minus the
/// `{AccountId}.` host prefix.
#[derive(Debug)]
struct ConfiguredEndpointAsIs(DefaultResolver);

impl Default for ConfiguredEndpointAsIs {
    fn default() -> Self {
        // Not `DefaultResolver::default()`: that one has no partition data and matches no rule.
        ConfiguredEndpointAsIs(DefaultResolver::new())
    }
}

impl ConfiguredEndpointAsIs {
    fn params_without_account_prefix(params: &Params) -> Option<Params> {
        params.endpoint()?;
        Params::builder()
            .set_region(params.region().map(String::from))
            .set_use_fips(params.use_fips())
            .set_use_dual_stack(params.use_dual_stack())
            .set_endpoint(params.endpoint().map(String::from))
            .set_outpost_id(params.outpost_id().map(String::from))
            .set_bucket(params.bucket().map(String::from))
            .set_access_point_name(params.access_point_name().map(String::from))
            .set_use_arn_region(params.use_arn_region())
            .set_resource_arn(params.resource_arn().map(String::from))
            .set_use_s3_express_control_endpoint(params.use_s3_express_control_endpoint())
            // No `account_id` / `requires_account_id`: they only serve to build the `{AccountId}.` prefix.
            .build()
            .ok()
    }
}

impl ResolveEndpoint for ConfiguredEndpointAsIs {
    fn resolve_endpoint<'a>(&'a self, params: &'a Params) -> EndpointFuture<'a> {
        match Self::params_without_account_prefix(params) {
            Some(own) => EndpointFuture::new(async move { self.0.resolve_endpoint(&own).await }),
            None => self.0.resolve_endpoint(params),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(endpoint: Option<&str>) -> Params {
        Params::builder()
            .region("us-east-1")
            .set_endpoint(endpoint.map(String::from))
            .account_id("123456789012")
            .requires_account_id(true)
            .build()
            .unwrap_or_else(|e| panic!("{e}"))
    }

    async fn url(params: &Params) -> String {
        match ConfiguredEndpointAsIs::default().resolve_endpoint(params).await {
            Ok(endpoint) => endpoint.url().to_string(),
            Err(e) => panic!("{e}"),
        }
    }

    #[tokio::test]
    async fn custom_endpoint_is_used_as_is() {
        assert_eq!(url(&params(Some("http://127.0.0.1:5055"))).await, "http://127.0.0.1:5055");
        assert_eq!(url(&params(Some("https://proxy.example.com/aws"))).await, "https://proxy.example.com/aws");
    }

    #[tokio::test]
    async fn aws_endpoints_keep_the_account_prefix() {
        assert_eq!(url(&params(None)).await, "https://123456789012.s3-control.us-east-1.amazonaws.com");
    }
}
