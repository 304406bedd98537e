//! S3 buckets and the account-level Block Public Access setting.

use super::{Field, PolicyDocument};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `AWS::S3::Bucket`. The envelope's region is the bucket's own region (from `GetBucketLocation`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct S3Bucket {
    pub creation_date: Option<DateTime<Utc>>,
    /// Default encryption rules; `Absent` when the bucket has no configuration (only on emulators and
    /// pre-2023 data: AWS now reports SSE-S3 for every bucket).
    pub encryption: Field<Vec<EncryptionRule>>,
    pub versioning: Field<Versioning>,
    /// Server access logging; `Absent` when logging is off.
    pub logging: Field<LoggingTarget>,
    /// Bucket-level Block Public Access; `Absent` when none is configured.
    pub public_access_block: Field<PublicAccessBlock>,
    /// `Absent` when the bucket has no policy.
    pub policy: Field<PolicyDocument>,
    /// AWS's own evaluation of the policy (`GetBucketPolicyStatus`); `Absent` when there is no policy.
    pub policy_is_public: Field<bool>,
    pub acl: Field<Acl>,
    /// Object Ownership (`BucketOwnerEnforced` disables ACLs); `Absent` when no ownership controls are set.
    pub ownership: Field<String>,
    /// Lifecycle rules; `Absent` when there is no lifecycle configuration.
    pub lifecycle: Field<Vec<LifecycleRule>>,
    /// Replication; `Absent` when none is configured.
    pub replication: Field<Replication>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EncryptionRule {
    /// `AES256`, `aws:kms` or `aws:kms:dsse`.
    pub algorithm: String,
    pub kms_key_id: Option<String>,
    pub bucket_key_enabled: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Versioning {
    /// `Enabled`, `Suspended`, or `None` when versioning was never enabled.
    pub status: Option<String>,
    pub mfa_delete: Option<String>,
}

impl Versioning {
    pub fn enabled(&self) -> bool {
        self.status.as_deref() == Some("Enabled")
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoggingTarget {
    pub target_bucket: String,
    pub target_prefix: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicAccessBlock {
    pub block_public_acls: bool,
    pub ignore_public_acls: bool,
    pub block_public_policy: bool,
    pub restrict_public_buckets: bool,
}

impl PublicAccessBlock {
    pub fn all_on(&self) -> bool {
        self.block_public_acls && self.ignore_public_acls && self.block_public_policy && self.restrict_public_buckets
    }

    /// The names of the settings that are off, for messages.
    pub fn missing(&self) -> Vec<&'static str> {
        [
            (self.block_public_acls, "BlockPublicAcls"),
            (self.ignore_public_acls, "IgnorePublicAcls"),
            (self.block_public_policy, "BlockPublicPolicy"),
            (self.restrict_public_buckets, "RestrictPublicBuckets"),
        ]
        .into_iter()
        .filter(|(on, _)| !on)
        .map(|(_, name)| name)
        .collect()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Acl {
    pub owner_id: Option<String>,
    pub grants: Vec<Grant>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Grant {
    /// `CanonicalUser`, `Group` or `AmazonCustomerByEmail`.
    pub grantee_type: String,
    pub grantee_id: Option<String>,
    /// Group grantees: `http://acs.amazonaws.com/groups/global/AllUsers` and friends.
    pub grantee_uri: Option<String>,
    pub permission: String,
}

pub const ALL_USERS_URI: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
pub const AUTHENTICATED_USERS_URI: &str = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LifecycleRule {
    pub id: Option<String>,
    pub enabled: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Replication {
    pub role: String,
    pub rules: Vec<ReplicationRule>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplicationRule {
    pub id: Option<String>,
    pub enabled: bool,
    /// `arn:aws:s3:::bucket-name`
    pub destination_bucket: String,
    pub destination_account: Option<String>,
    /// Where the destination bucket is, resolved by the collector once every bucket is listed: `Absent` when S3
    /// answers that no such bucket exists, `Unknown` when that could not be found out.
    #[serde(default)]
    pub destination: Field<ReplicationDestination>,
}

impl ReplicationRule {
    /// The destination bucket's name, from its ARN (`arn:aws:s3:::name`); a bare name is returned as is.
    pub fn destination_name(&self) -> &str {
        let arn = self.destination_bucket.as_str();
        arn.strip_prefix("arn:").and_then(|rest| rest.split(":::").nth(1)).unwrap_or(arn)
    }
}

/// A replication destination bucket that exists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplicationDestination {
    pub region: String,
    /// Whether the audited account owns it (it is in the account's `ListBuckets`); a bucket outside that list
    /// whose location could still be read belongs to another account.
    pub owned: bool,
}

/// `AWS::S3::AccountPublicAccessBlock` (awsaudit pseudo-kind; S3 Control `GetPublicAccessBlock`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct S3AccountPublicAccessBlock {
    /// `Absent` when the account has no configuration (everything off).
    pub config: Field<PublicAccessBlock>,
}
