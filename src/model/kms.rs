//! KMS keys.

use super::{Field, PolicyDocument};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `AWS::KMS::Key`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KmsKey {
    pub description: Option<String>,
    /// `CUSTOMER` or `AWS`.
    pub key_manager: Option<String>,
    /// `Enabled`, `Disabled`, `PendingDeletion`, …
    pub key_state: Option<String>,
    /// `SYMMETRIC_DEFAULT`, `RSA_2048`, `HMAC_256`, …
    pub key_spec: Option<String>,
    pub key_usage: Option<String>,
    /// `AWS_KMS`, `EXTERNAL`, `AWS_CLOUDHSM`, `EXTERNAL_KEY_STORE`.
    pub origin: Option<String>,
    pub multi_region: bool,
    pub creation_date: Option<DateTime<Utc>>,
    pub deletion_date: Option<DateTime<Utc>>,
    /// Automatic rotation; `Absent` when rotation does not apply to the key (AWS-managed, asymmetric, HMAC,
    /// imported material or custom key store), so it was not asked.
    pub rotation: Field<KeyRotation>,
    /// `Absent` for AWS-managed keys, whose policy is AWS's and not read.
    pub policy: Field<PolicyDocument>,
    /// Alias names (`alias/app-data`) pointing at the key.
    pub aliases: Field<Vec<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KeyRotation {
    pub enabled: bool,
    pub period_days: Option<i32>,
}

impl KmsKey {
    pub fn is_customer_managed(&self) -> bool {
        self.key_manager.as_deref() == Some("CUSTOMER")
    }

    /// Automatic rotation is possible for symmetric encryption keys with AWS-generated material.
    pub fn supports_rotation(&self) -> bool {
        self.key_spec.as_deref().unwrap_or("SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT"
            && self.origin.as_deref().unwrap_or("AWS_KMS") == "AWS_KMS"
    }
}
