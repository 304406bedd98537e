use crate::check::DynCheck;

pub mod group_elb_health_check;
pub mod group_launch_template;
pub mod group_multi_az;

pub static CHECKS: &[&dyn DynCheck] = &[
    &group_launch_template::AutoscalingGroupLaunchTemplate,
    &group_multi_az::AutoscalingGroupMultiAz,
    &group_elb_health_check::AutoscalingGroupElbHealthCheck,
];
