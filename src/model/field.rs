//! Tri-state values: what the collector learned about one property.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A property read from an API call that can fail.
///
/// `Absent` is a *known* absence (AWS answered "not found": no bucket policy, no lifecycle rules);
/// `Unknown` means the call failed and nothing may be concluded from it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field<T> {
    Known(T),
    Absent,
    Unknown(UnknownReason),
}

impl<T> Field<T> {
    pub fn as_ref(&self) -> Field<&T> {
        match self {
            Field::Known(v) => Field::Known(v),
            Field::Absent => Field::Absent,
            Field::Unknown(r) => Field::Unknown(r.clone()),
        }
    }

    /// The value if known, `None` if known absent, `Err` with the reason otherwise.
    pub fn known(&self) -> Result<Option<&T>, &UnknownReason> {
        match self {
            Field::Known(v) => Ok(Some(v)),
            Field::Absent => Ok(None),
            Field::Unknown(r) => Err(r),
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Known(v) => Field::Known(f(v)),
            Field::Absent => Field::Absent,
            Field::Unknown(r) => Field::Unknown(r),
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Field::Unknown(_))
    }
}

/// The safe default: a property nobody filled in is unknown, so it can never turn into a PASS or a FAIL.
impl<T> Default for Field<T> {
    fn default() -> Self {
        Field::Unknown(UnknownReason::not_collected("property"))
    }
}

impl<T> From<Option<T>> for Field<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Field::Absent, Field::Known)
    }
}

/// Why a value could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The credentials are not allowed to make the call (IAM, SCP, resource policy).
    AccessDenied,
    /// AWS kept throttling after every retry.
    Throttled,
    /// The call timed out or the connection failed.
    Network,
    /// The service answered with an error that is neither "denied" nor "not found".
    ServiceError,
    /// The operation or service is not available in this region or for this resource.
    Unsupported,
    /// The region is not enabled for the account (opt-in region).
    RegionDisabled,
    /// The answer could not be understood (an unparseable policy document, a missing field).
    Malformed,
    /// The data was not collected in this run (service or region not selected).
    NotCollected,
    /// Something this value depends on could not be read (e.g. the list it would be resolved from).
    Dependency,
}

impl Cause {
    pub fn label(self) -> &'static str {
        match self {
            Cause::AccessDenied => "access denied",
            Cause::Throttled => "throttled",
            Cause::Network => "network error or timeout",
            Cause::ServiceError => "service error",
            Cause::Unsupported => "not supported",
            Cause::RegionDisabled => "region not enabled",
            Cause::Malformed => "malformed response",
            Cause::NotCollected => "not collected",
            Cause::Dependency => "depends on data that could not be read",
        }
    }
}

/// The reason a property, a listing or a finding is unknown.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UnknownReason {
    pub cause: Cause,
    /// The API operation (`s3:GetBucketPolicy`) or the step that failed.
    pub operation: String,
    /// The AWS error code, when AWS gave one (`AccessDenied`, `ThrottlingException`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

impl UnknownReason {
    pub fn new(cause: Cause, operation: impl Into<String>, message: impl Into<String>) -> Self {
        UnknownReason { cause, operation: operation.into(), code: None, message: message.into() }
    }

    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    pub fn not_collected(what: impl Into<String>) -> Self {
        UnknownReason::new(Cause::NotCollected, what, "not collected in this run")
    }
}

impl fmt::Display for UnknownReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.operation, self.cause.label())?;
        if let Some(code) = &self.code {
            write!(f, " ({code})")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}
