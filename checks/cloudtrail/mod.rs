use crate::check::DynCheck;

pub mod bucket_access_logging;
pub mod bucket_not_public;
pub mod cloudwatch_logs;
pub mod kms_encrypted;
pub mod log_file_validation;
pub mod multi_region_logging;

pub static CHECKS: &[&dyn DynCheck] = &[
    &multi_region_logging::CloudtrailMultiRegionLogging,
    &log_file_validation::CloudtrailLogFileValidation,
    &kms_encrypted::CloudtrailKmsEncrypted,
    &cloudwatch_logs::CloudtrailCloudwatchLogs,
    &bucket_not_public::CloudtrailBucketNotPublic,
    &bucket_access_logging::CloudtrailBucketAccessLogging,
];
