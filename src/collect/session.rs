//! The AWS session: credentials, regions, endpoint, retry and rate-limit settings, and one client per
//! (service, region), all counting their API calls.

use aws_config::{BehaviorVersion, SdkConfig, retry::RetryConfig, timeout::TimeoutConfig};
use aws_smithy_runtime::client::retries::{RetryPartition, TokenBucket};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_types::region::Region;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Region used for global calls when neither `--region` nor the profile names one.
const FALLBACK_HOME_REGION: &str = "us-east-1";

pub struct SessionOptions {
    pub profile: Option<String>,
    pub home_region: Option<String>,
    pub endpoint_url: Option<String>,
    pub concurrency: usize,
    pub max_attempts: u32,
}

/// Shared by every collector of one audit.
pub struct Session {
    sdk: SdkConfig,
    pub home_region: String,
    pub endpoint_url: Option<String>,
    max_attempts: u32,
    /// Bounds the API calls in flight across the whole audit.
    pub permits: Semaphore,
    pub calls: Arc<CallCounter>,
}

impl Session {
    pub async fn new(options: &SessionOptions) -> Self {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(retry_config(options.max_attempts))
            .timeout_config(
                TimeoutConfig::builder()
                    // A short connect timeout: an unreachable regional endpoint must not stall the audit.
                    .connect_timeout(Duration::from_secs(5))
                    .operation_attempt_timeout(Duration::from_secs(30))
                    .operation_timeout(Duration::from_secs(180))
                    .build(),
            );
        if let Some(profile) = &options.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = &options.home_region {
            loader = loader.region(Region::new(region.clone()));
        }
        if let Some(url) = &options.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let sdk = loader.load().await;
        let home_region = sdk.region().map(|r| r.to_string()).unwrap_or_else(|| FALLBACK_HOME_REGION.to_string());
        Session {
            sdk,
            home_region,
            endpoint_url: options.endpoint_url.clone(),
            max_attempts: options.max_attempts,
            permits: Semaphore::new(options.concurrency.max(1)),
            calls: Arc::new(CallCounter::default()),
        }
    }

    pub fn sdk_config(&self) -> &SdkConfig {
        &self.sdk
    }

    /// A retry partition of its own per (service, region), with an uncapped retry quota: the SDK's default
    /// quota (500 tokens shared by every client) silently stops retrying once a throttling burst drains it,
    /// and an audit makes thousands of calls. Attempts stay bounded by `--max-attempts`.
    pub fn retry_partition(&self, service: &str, region: &str) -> RetryPartition {
        RetryPartition::custom(format!("awsaudit-{service}-{region}")).token_bucket(TokenBucket::unlimited()).build()
    }

    pub fn retry_config(&self) -> RetryConfig {
        retry_config(self.max_attempts)
    }

    pub fn counter(&self, service: &'static str) -> CountingInterceptor {
        CountingInterceptor { service, counter: self.calls.clone() }
    }
}

/// Standard mode: jittered exponential backoff. Adaptive mode was tried and rejected: its client-side rate
/// limiter starts from the rate it measured so far, so one throttled call early in a run slowed a whole
/// service to a crawl (24 s instead of 0.3 s for a single injected throttle).
fn retry_config(max_attempts: u32) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(max_attempts)
        .with_initial_backoff(Duration::from_millis(200))
        .with_max_backoff(Duration::from_secs(20))
}

/// Builds a service client for one region with the session's endpoint, retry partition and call counter.
macro_rules! client {
    ($session:expr, $sdk:ident, $service:literal, $region:expr) => {{
        let session: &$crate::collect::session::Session = $session;
        let region: &str = $region;
        let config = $sdk::config::Builder::from(session.sdk_config())
            .region(aws_types::region::Region::new(region.to_string()))
            .retry_partition(session.retry_partition($service, region))
            .interceptor(session.counter($service))
            .build();
        $sdk::Client::from_conf(config)
    }};
}
pub(crate) use client;

/// Counts the operations started and the HTTP requests sent (retries included), by service.
#[derive(Default)]
pub struct CallCounter {
    inner: Mutex<CallCounts>,
}

#[derive(Default, Clone)]
pub struct CallCounts {
    pub requests: BTreeMap<String, u64>,
    pub operations: BTreeMap<String, u64>,
}

impl CallCounter {
    pub fn snapshot(&self) -> CallCounts {
        self.inner.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

#[derive(Clone)]
pub struct CountingInterceptor {
    service: &'static str,
    counter: Arc<CallCounter>,
}

impl std::fmt::Debug for CountingInterceptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CountingInterceptor({})", self.service)
    }
}

impl Intercept for CountingInterceptor {
    fn name(&self) -> &'static str {
        "awsaudit-call-counter"
    }

    fn read_before_execution(
        &self,
        _: &BeforeSerializationInterceptorContextRef<'_>,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Ok(mut c) = self.counter.inner.lock() {
            *c.operations.entry(self.service.to_string()).or_default() += 1;
        }
        Ok(())
    }

    fn read_before_transmit(
        &self,
        _: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Ok(mut c) = self.counter.inner.lock() {
            *c.requests.entry(self.service.to_string()).or_default() += 1;
        }
        Ok(())
    }
}
