//! awsaudit: collect a live AWS account into a typed inventory, run checks over it, report findings.

pub mod app;
pub mod check;
#[path = "../checks/mod.rs"]
pub mod checks;
pub mod cli;
#[cfg(feature = "live")]
pub mod collect;
pub mod compliance;
pub mod config;
pub mod diff;
pub mod docs;
pub mod engine;
pub mod finding;
pub mod model;
pub mod output;
pub mod report;
pub mod suppress;
