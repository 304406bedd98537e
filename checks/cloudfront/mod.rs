use crate::check::DynCheck;

pub mod https_only;
pub mod logging;
pub mod origin_access_control;
pub mod s3_origin_exists;

pub static CHECKS: &[&dyn DynCheck] = &[
    &https_only::CloudFrontHttpsOnly,
    &origin_access_control::CloudFrontOriginAccessControl,
    &logging::CloudFrontLoggingEnabled,
    &s3_origin_exists::CloudFrontS3OriginExists,
];
