//! IAM: roles, users, groups, customer-managed policies and the account-wide settings.

use super::{Field, PolicyDocument};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InlinePolicy {
    pub name: String,
    pub document: Field<PolicyDocument>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachedPolicy {
    pub name: String,
    pub arn: String,
}

/// `AWS::IAM::Role`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IamRole {
    pub path: String,
    pub create_date: Option<DateTime<Utc>>,
    pub assume_role_policy: Field<PolicyDocument>,
    pub inline_policies: Vec<InlinePolicy>,
    pub attached_policies: Vec<AttachedPolicy>,
    pub instance_profile_arns: Vec<String>,
    pub last_used: Option<DateTime<Utc>>,
    pub permissions_boundary_arn: Option<String>,
}

/// `AWS::IAM::User`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IamUser {
    pub path: String,
    pub create_date: Option<DateTime<Utc>>,
    pub inline_policies: Vec<InlinePolicy>,
    pub attached_policies: Vec<AttachedPolicy>,
    pub groups: Vec<String>,
    /// The user's row of the credential report.
    pub credentials: Field<Credentials>,
}

/// A row of the IAM credential report (dates are `None` where the report says `N/A` or `no_information`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Credentials {
    pub password_enabled: bool,
    pub password_last_used: Option<DateTime<Utc>>,
    pub password_last_changed: Option<DateTime<Utc>>,
    pub mfa_active: bool,
    pub access_keys: Vec<AccessKey>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AccessKey {
    /// 1 or 2, the key's column in the credential report.
    pub slot: u8,
    pub active: bool,
    pub last_rotated: Option<DateTime<Utc>>,
    pub last_used: Option<DateTime<Utc>>,
}

/// `AWS::IAM::Group`
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IamGroup {
    pub path: String,
    pub inline_policies: Vec<InlinePolicy>,
    pub attached_policies: Vec<AttachedPolicy>,
}

/// `AWS::IAM::ManagedPolicy` (customer-managed policies only).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IamManagedPolicy {
    pub path: String,
    pub default_version_id: Option<String>,
    pub attachment_count: i32,
    /// The default version's document.
    pub document: Field<PolicyDocument>,
}

/// `AWS::IAM::RootUser` (awsaudit pseudo-kind: the account's root user).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IamRootUser {
    /// `AccountMFAEnabled` from `GetAccountSummary`.
    pub mfa_enabled: Field<bool>,
    /// `AccountAccessKeysPresent` from `GetAccountSummary`.
    pub access_keys_present: Field<bool>,
    /// The `<root_account>` row of the credential report.
    pub credentials: Field<Credentials>,
}

/// `AWS::IAM::AccountPasswordPolicy` (awsaudit pseudo-kind).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IamPasswordPolicy {
    /// `Absent` when the account has no password policy (AWS defaults apply).
    pub policy: Field<PasswordPolicy>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub minimum_length: Option<i32>,
    pub require_symbols: bool,
    pub require_numbers: bool,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    pub allow_users_to_change: bool,
    pub expire_passwords: bool,
    pub max_age_days: Option<i32>,
    pub reuse_prevention: Option<i32>,
    pub hard_expiry: Option<bool>,
}
