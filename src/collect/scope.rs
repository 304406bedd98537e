//! What a collector works with: the session, its (service, region), and where results go. Every API call
//! goes through [`Scope::call`] or [`Scope::fetch`], which bound concurrency, turn errors into
//! [`UnknownReason`]s and record them.

use super::session::Session;
use crate::model::{
    Cause, CollectionError, Field, KindProperties, Listing, Properties, Resource, ResourceKind, UnknownReason,
};
use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

/// Error codes that mean "the caller may not do this".
const DENIED_CODES: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "AuthorizationError",
    "AllAccessDisabled",
    "UnauthorizedAccess",
    "Forbidden",
];
/// Error codes that mean "slow down". The SDK retries these; seeing one here means every attempt failed.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "TooManyRequestsException",
    "SlowDown",
    "PriorRequestNotComplete",
    "ProvisionedThroughputExceededException",
];
/// Error codes that mean the region is not enabled for the account.
const REGION_DISABLED_CODES: &[&str] =
    &["OptInRequired", "InvalidClientTokenId", "UnrecognizedClientException", "AuthFailure"];
const UNSUPPORTED_CODES: &[&str] = &[
    "UnsupportedOperation",
    "UnsupportedOperationException",
    "InvalidAction",
    "NotImplemented",
    "UnknownOperationException",
];

/// Resources, listings and errors gathered by collectors.
#[derive(Default)]
pub struct Batch {
    pub resources: Vec<Resource>,
    pub listings: Vec<Listing>,
    pub errors: Vec<CollectionError>,
}

#[derive(Clone)]
pub struct Scope {
    pub session: Arc<Session>,
    pub service: &'static str,
    pub region: String,
    pub account_id: Arc<str>,
    pub partition: Arc<str>,
    out: Arc<Mutex<Batch>>,
}

impl Scope {
    pub fn new(session: Arc<Session>, service: &'static str, region: &str, account_id: &str, partition: &str) -> Self {
        Scope {
            session,
            service,
            region: region.to_string(),
            account_id: account_id.into(),
            partition: partition.into(),
            out: Arc::new(Mutex::new(Batch::default())),
        }
    }

    /// The same collector output, another region (S3 bucket details are fetched in the bucket's region).
    pub fn in_region(&self, region: &str) -> Scope {
        Scope { region: region.to_string(), ..self.clone() }
    }

    pub fn take(&self) -> Batch {
        self.out.lock().map(|mut b| std::mem::take(&mut *b)).unwrap_or_default()
    }

    /// Runs one API call. Errors are classified, recorded against `resource`, and returned.
    pub async fn call<T, E>(
        &self,
        operation: &str,
        resource: Option<&str>,
        request: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    ) -> Result<T, UnknownReason>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let result = {
            let _permit = self.session.permits.acquire().await;
            request.await
        };
        result.map_err(|err| {
            let reason = classify(&self.qualified(operation), &err);
            self.record(resource, reason.clone());
            reason
        })
    }

    /// Runs one API call whose "not found" error codes (`NoSuchBucketPolicy` …) mean the property is absent.
    pub async fn fetch<T, E, V>(
        &self,
        operation: &str,
        resource: &str,
        absent_codes: &[&str],
        request: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        convert: impl FnOnce(T) -> Field<V>,
    ) -> Field<V>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let result = {
            let _permit = self.session.permits.acquire().await;
            request.await
        };
        match result {
            Ok(output) => convert(output),
            Err(err) if err.code().is_some_and(|c| absent_codes.contains(&c)) => Field::Absent,
            Err(err) => {
                let reason = classify(&self.qualified(operation), &err);
                self.record(Some(resource), reason.clone());
                Field::Unknown(reason)
            }
        }
    }

    /// Reads every page of a paginated call, each page under the concurrency bound.
    pub async fn pages<P, E>(
        &self,
        operation: &str,
        mut stream: PaginationStream<Result<P, SdkError<E, HttpResponse>>>,
    ) -> Result<Vec<P>, UnknownReason>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let mut pages = Vec::new();
        loop {
            let next = {
                let _permit = self.session.permits.acquire().await;
                stream.next().await
            };
            match next {
                None => return Ok(pages),
                Some(Ok(page)) => pages.push(page),
                Some(Err(err)) => {
                    let reason = classify(&self.qualified(operation), &err);
                    self.record(None, reason.clone());
                    return Err(reason);
                }
            }
        }
    }

    /// Records an error that did not come from an SDK call (a malformed document, a missing field).
    pub fn record(&self, resource: Option<&str>, reason: UnknownReason) {
        tracing::debug!(service = self.service, region = %self.region, %reason, "collection error");
        if let Ok(mut out) = self.out.lock() {
            out.errors.push(CollectionError {
                service: self.service.to_string(),
                region: self.region.clone(),
                resource: resource.map(String::from),
                reason,
            });
        }
    }

    /// Records the outcome of listing `kind` in this scope's region (`global` for global kinds).
    pub fn listed(&self, kind: ResourceKind, outcome: Result<(), UnknownReason>) {
        let region = if kind.is_global() { crate::model::GLOBAL.to_string() } else { self.region.clone() };
        if let Ok(mut out) = self.out.lock() {
            out.listings.push(Listing { kind, region, error: outcome.err() });
        }
    }

    pub fn add(&self, resource: Resource) {
        if let Ok(mut out) = self.out.lock() {
            out.resources.push(resource);
        }
    }

    /// A resource of this scope's region (or `global` for global kinds) and account.
    pub fn resource<P: KindProperties + Into<Properties>>(
        &self,
        id: impl Into<String>,
        arn: impl Into<String>,
        name: Option<String>,
        tags: Field<BTreeMap<String, String>>,
        properties: P,
    ) -> Resource {
        let region = if P::KIND.is_global() { crate::model::GLOBAL.to_string() } else { self.region.clone() };
        Resource {
            arn: arn.into(),
            account_id: self.account_id.to_string(),
            region,
            id: id.into(),
            name,
            tags,
            properties: properties.into(),
        }
    }

    /// `arn:{partition}:{service}:{region}:{account}:{rest}`, in this scope's region.
    pub fn arn(&self, service: &str, rest: &str) -> String {
        format!("arn:{}:{service}:{}:{}:{rest}", self.partition, self.region, self.account_id)
    }

    fn qualified(&self, operation: &str) -> String {
        format!("{}:{operation}", self.service)
    }
}

/// Turns an SDK error into the reason a value is unknown.
pub fn classify<E>(operation: &str, err: &SdkError<E, HttpResponse>) -> UnknownReason
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match err {
        SdkError::TimeoutError(_) => UnknownReason::new(Cause::Network, operation, "the request timed out"),
        SdkError::DispatchFailure(failure) => {
            let detail =
                if failure.is_timeout() { "the connection timed out" } else { "the request could not be sent" };
            UnknownReason::new(Cause::Network, operation, format!("{detail}: {}", error_chain(err)))
        }
        SdkError::ResponseError(response) => {
            let status = response.raw().status().as_u16();
            let cause = if status >= 500 { Cause::ServiceError } else { Cause::Malformed };
            UnknownReason::new(cause, operation, format!("HTTP {status}, unreadable response: {}", error_chain(err)))
        }
        SdkError::ServiceError(service_error) => {
            let status = service_error.raw().status().as_u16();
            let code = err.code().map(String::from);
            let message = err.message().map(String::from).unwrap_or_else(|| format!("HTTP {status}"));
            let cause = match code.as_deref() {
                Some(c) if DENIED_CODES.contains(&c) => Cause::AccessDenied,
                Some(c) if THROTTLING_CODES.contains(&c) => Cause::Throttled,
                Some(c) if REGION_DISABLED_CODES.contains(&c) => Cause::RegionDisabled,
                Some(c) if UNSUPPORTED_CODES.contains(&c) => Cause::Unsupported,
                None if status == 403 => Cause::AccessDenied,
                None if status == 429 => Cause::Throttled,
                _ => Cause::ServiceError,
            };
            UnknownReason { cause, operation: operation.to_string(), code, message }
        }
        _ => UnknownReason::new(Cause::ServiceError, operation, error_chain(err)),
    }
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Tags from any SDK's key/value pairs.
pub fn tags<'a>(pairs: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>)>) -> BTreeMap<String, String> {
    pairs.into_iter().filter_map(|(k, v)| k.map(|k| (k.to_string(), v.unwrap_or_default().to_string()))).collect()
}

/// An SDK timestamp as a chrono time.
pub fn time(t: Option<&aws_smithy_types::DateTime>) -> Option<chrono::DateTime<chrono::Utc>> {
    t.and_then(|t| chrono::DateTime::from_timestamp(t.secs(), t.subsec_nanos()))
}
