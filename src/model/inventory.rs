//! The Inventory: every resource one audit collected, which lists were complete, and every collection error.
//! It is also the snapshot file format.

use super::{Cause, GLOBAL, KindProperties, Resource, ResourceKind, UnknownReason};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The snapshot format version. Bump it on any change that an older awsaudit could not read correctly.
pub const SNAPSHOT_SCHEMA_VERSION: u32 = 1;
const SNAPSHOT_SCHEMA: &str = "awsaudit.snapshot";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    pub account_id: String,
    pub partition: String,
    /// The identity the audit ran as (`GetCallerIdentity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller_arn: Option<String>,
    pub collected_at: DateTime<Utc>,
    /// The regions audited, in order.
    pub regions: Vec<String>,
    /// The services collected (`--services` names).
    pub services: Vec<String>,
    pub resources: Vec<Resource>,
    /// Which (kind, region) lists were attempted, and which of them failed.
    pub listings: Vec<Listing>,
    pub errors: Vec<CollectionError>,
    #[serde(default)]
    pub stats: CollectionStats,
}

/// The outcome of listing one kind in one region. A kind with no `Listing` for a region was not collected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    pub kind: ResourceKind,
    pub region: String,
    /// Set when the list could not be read completely.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<UnknownReason>,
}

/// What is known about the completeness of one kind's list in one region.
#[derive(Clone, Debug, PartialEq)]
pub enum ListingState<'a> {
    Complete,
    Failed(&'a UnknownReason),
    NotCollected,
}

impl ListingState<'_> {
    /// `Ok` when the list is complete, else the reason nothing may be concluded from its absence: the failed
    /// call, or "not collected".
    pub fn complete(&self, kind: ResourceKind, region: &str) -> Result<(), UnknownReason> {
        match self {
            ListingState::Complete => Ok(()),
            // The failed call itself is the reason: it names the operation and the cause an operator can fix.
            ListingState::Failed(reason) => Err((*reason).clone()),
            ListingState::NotCollected => Err(UnknownReason::new(
                Cause::NotCollected,
                format!("list {kind} in {region}"),
                format!("{} was not collected in {region} in this run", kind.service()),
            )),
        }
    }
}

/// One failed API call, kept so the report can say what the audit could not see.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CollectionError {
    pub service: String,
    pub region: String,
    /// The resource the call was about, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    pub reason: UnknownReason,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CollectionStats {
    pub duration_ms: u64,
    /// HTTP requests sent, retries included, by service.
    pub api_calls: BTreeMap<String, u64>,
    /// Requests that were retries of an earlier attempt (throttling, transient errors), by service.
    #[serde(default)]
    pub retried: BTreeMap<String, u64>,
}

impl CollectionStats {
    pub fn total_api_calls(&self) -> u64 {
        self.api_calls.values().sum()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("cannot read snapshot {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("cannot write snapshot {path}: {source}")]
    Write { path: String, source: std::io::Error },
    #[error("{path} is not an awsaudit snapshot: {detail}")]
    NotSnapshot { path: String, detail: String },
    #[error("snapshot {path} has schema version {found}; this awsaudit reads version {SNAPSHOT_SCHEMA_VERSION}")]
    Version { path: String, found: u64 },
    #[error("snapshot {path} is malformed at line {line}, column {column}: {detail}")]
    Malformed { path: String, line: usize, column: usize, detail: String },
}

#[derive(Serialize)]
struct SnapshotOut<'a> {
    schema: &'static str,
    schema_version: u32,
    generator: String,
    #[serde(flatten)]
    inventory: &'a Inventory,
}

#[derive(Deserialize)]
struct SnapshotIn {
    #[serde(flatten)]
    inventory: Inventory,
}

impl Inventory {
    pub fn new(account_id: impl Into<String>, partition: impl Into<String>, collected_at: DateTime<Utc>) -> Self {
        Inventory {
            account_id: account_id.into(),
            partition: partition.into(),
            caller_arn: None,
            collected_at,
            regions: Vec::new(),
            services: Vec::new(),
            resources: Vec::new(),
            listings: Vec::new(),
            errors: Vec::new(),
            stats: CollectionStats::default(),
        }
    }

    /// Every resource of one kind, with its typed properties.
    pub fn iter<P: KindProperties>(&self) -> impl Iterator<Item = (&Resource, &P)> {
        self.resources.iter().filter_map(|r| r.props::<P>().map(|p| (r, p)))
    }

    pub fn find<P: KindProperties>(&self, region: &str, id: &str) -> Option<(&Resource, &P)> {
        self.iter::<P>().find(|(r, _)| r.region == region && r.id == id)
    }

    /// Whether the list of `kind` in `region` (or `global`) is complete.
    pub fn listing(&self, kind: ResourceKind, region: &str) -> ListingState<'_> {
        let region = if kind.is_global() { GLOBAL } else { region };
        match self.listings.iter().find(|l| l.kind == kind && l.region == region) {
            None => ListingState::NotCollected,
            Some(Listing { error: Some(reason), .. }) => ListingState::Failed(reason),
            Some(Listing { error: None, .. }) => ListingState::Complete,
        }
    }

    /// The regions where `kind` was listed (complete or not); `global` for global kinds.
    pub fn listed_regions(&self, kind: ResourceKind) -> impl Iterator<Item = &Listing> {
        self.listings.iter().filter(move |l| l.kind == kind)
    }

    pub fn to_snapshot_json(&self) -> String {
        let out = SnapshotOut {
            schema: SNAPSHOT_SCHEMA,
            schema_version: SNAPSHOT_SCHEMA_VERSION,
            generator: concat!("awsaudit ", env!("CARGO_PKG_VERSION")).to_string(),
            inventory: self,
        };
        // Serializing plain data structures with string keys cannot fail.
        serde_json::to_string_pretty(&out).unwrap_or_default()
    }

    pub fn from_snapshot_json(text: &str, path: &str) -> Result<Self, SnapshotError> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| SnapshotError::Malformed {
            path: path.to_string(),
            line: e.line(),
            column: e.column(),
            detail: e.to_string(),
        })?;
        match value.get("schema").and_then(|s| s.as_str()) {
            Some(SNAPSHOT_SCHEMA) => {}
            Some(other) => {
                return Err(SnapshotError::NotSnapshot {
                    path: path.to_string(),
                    detail: format!("its schema is {other:?}, expected {SNAPSHOT_SCHEMA:?}"),
                });
            }
            None => {
                return Err(SnapshotError::NotSnapshot {
                    path: path.to_string(),
                    detail: format!("no \"schema\": \"{SNAPSHOT_SCHEMA}\" field"),
                });
            }
        }
        let version = value.get("schema_version").and_then(|v| v.as_u64()).unwrap_or(0);
        if version != u64::from(SNAPSHOT_SCHEMA_VERSION) {
            return Err(SnapshotError::Version { path: path.to_string(), found: version });
        }
        // Parse the text again (not the Value) so errors carry line and column.
        serde_json::from_str::<SnapshotIn>(text).map(|s| s.inventory).map_err(|e| SnapshotError::Malformed {
            path: path.to_string(),
            line: e.line(),
            column: e.column(),
            detail: e.to_string(),
        })
    }

    pub fn load(path: &Path) -> Result<Self, SnapshotError> {
        let shown = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|source| SnapshotError::Read { path: shown.clone(), source })?;
        Self::from_snapshot_json(&text, &shown)
    }

    pub fn save(&self, path: &Path) -> Result<(), SnapshotError> {
        std::fs::write(path, self.to_snapshot_json())
            .map_err(|source| SnapshotError::Write { path: path.display().to_string(), source })
    }
}
