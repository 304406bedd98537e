use crate::check::DynCheck;

pub static CHECKS: &[&dyn DynCheck] = &[];
