use crate::check::DynCheck;

pub mod bucket_versioning_enabled;

pub static CHECKS: &[&dyn DynCheck] = &[&bucket_versioning_enabled::S3BucketVersioningEnabled];
