use crate::check::DynCheck;

pub mod recorder_enabled;

pub static CHECKS: &[&dyn DynCheck] = &[&recorder_enabled::ConfigRecorderEnabled];
