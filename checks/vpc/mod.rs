use crate::check::DynCheck;

pub mod dns_enabled;
pub mod flow_logs_enabled;

pub static CHECKS: &[&dyn DynCheck] = &[&flow_logs_enabled::VpcFlowLogsEnabled, &dns_enabled::VpcDnsEnabled];
