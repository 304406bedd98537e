use crate::check::DynCheck;

pub mod cmk_rotation_enabled;

pub static CHECKS: &[&dyn DynCheck] = &[&cmk_rotation_enabled::KmsCmkRotationEnabled];
