use crate::check::DynCheck;

pub mod records_health_checked;
pub mod zone_public_placeholder;

pub static CHECKS: &[&dyn DynCheck] =
    &[&records_health_checked::Route53RecordsHealthChecked, &zone_public_placeholder::Route53ZonePublicPlaceholder];
