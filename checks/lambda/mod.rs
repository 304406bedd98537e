use crate::check::DynCheck;

pub mod not_public;
pub mod runtime_supported;
pub mod tracing_enabled;
pub mod vpc_multi_az;

pub static CHECKS: &[&dyn DynCheck] = &[
    &runtime_supported::LambdaRuntimeSupported,
    &not_public::LambdaNotPublic,
    &tracing_enabled::LambdaTracingEnabled,
    &vpc_multi_az::LambdaVpcMultiAz,
];
