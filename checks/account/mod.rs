use crate::check::DynCheck;

pub mod tags_required;

pub static CHECKS: &[&dyn DynCheck] = &[&tags_required::TagsRequired];
