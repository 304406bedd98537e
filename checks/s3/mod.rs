use crate::check::DynCheck;

pub mod account_public_access_block;
pub mod bucket_access_logging_enabled;
pub mod bucket_acls_disabled;
pub mod bucket_default_encryption_kms;
pub mod bucket_lifecycle_configured;
pub mod bucket_not_public;
pub mod bucket_public_access_block;
pub mod bucket_replication_valid;
pub mod bucket_secure_transport_policy;
pub mod bucket_versioning_enabled;

pub static CHECKS: &[&dyn DynCheck] = &[
    &bucket_versioning_enabled::S3BucketVersioningEnabled,
    &bucket_default_encryption_kms::S3BucketDefaultEncryptionKms,
    &bucket_access_logging_enabled::S3BucketAccessLoggingEnabled,
    &bucket_public_access_block::S3BucketPublicAccessBlock,
    &account_public_access_block::S3AccountPublicAccessBlockEnabled,
    &bucket_secure_transport_policy::S3BucketSecureTransportPolicy,
    &bucket_not_public::S3BucketNotPublic,
    &bucket_lifecycle_configured::S3BucketLifecycleConfigured,
    &bucket_acls_disabled::S3BucketAclsDisabled,
    &bucket_replication_valid::S3BucketReplicationValid,
];
