use crate::check::DynCheck;

pub mod group_launch_template;

pub static CHECKS: &[&dyn DynCheck] = &[&group_launch_template::AutoscalingGroupLaunchTemplate];
