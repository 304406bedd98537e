use crate::check::DynCheck;

pub mod access_logs;
pub mod deletion_protection;
pub mod drop_invalid_headers;
pub mod https_only;
pub mod multi_az;

pub static CHECKS: &[&dyn DynCheck] = &[
    &drop_invalid_headers::Elbv2DropInvalidHeaders,
    &https_only::Elbv2HttpsOnly,
    &access_logs::Elbv2AccessLogs,
    &deletion_protection::Elbv2DeletionProtection,
    &multi_az::Elbv2MultiAz,
];
