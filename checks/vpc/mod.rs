use crate::check::DynCheck;

pub mod dns_enabled;
pub mod flow_logs_enabled;
pub mod nat_gateway_per_az;
pub mod private_route_table_per_az;
pub mod routing;
pub mod subnets_multi_az;

pub static CHECKS: &[&dyn DynCheck] = &[
    &flow_logs_enabled::VpcFlowLogsEnabled,
    &dns_enabled::VpcDnsEnabled,
    &subnets_multi_az::VpcSubnetsMultiAz,
    &private_route_table_per_az::VpcPrivateRouteTablePerAz,
    &nat_gateway_per_az::VpcNatGatewayPerAz,
];
