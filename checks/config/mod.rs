use crate::check::DynCheck;

pub mod delivery_channel;
pub mod recorder_enabled;
pub mod recorder_role;

pub static CHECKS: &[&dyn DynCheck] = &[
    &recorder_enabled::ConfigRecorderEnabled,
    &delivery_channel::ConfigDeliveryChannelExists,
    &recorder_role::ConfigRecorderRole,
];
