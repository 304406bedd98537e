use crate::check::DynCheck;

pub mod region_config_coverage;
pub mod resilience_multi_region_footprint;
pub mod tags_required;

pub static CHECKS: &[&dyn DynCheck] = &[
    &tags_required::TagsRequired,
    &region_config_coverage::RegionConfigCoverage,
    &resilience_multi_region_footprint::ResilienceMultiRegionFootprint,
];
