//! Every check awsaudit runs, one file each, grouped by service. Adding a check: write the file (copy a
//! neighbour), add it to its service's `mod.rs`, and add one line to [`REGISTRY`].

pub mod account;
pub mod autoscaling;
pub mod cloudfront;
pub mod cloudtrail;
pub mod cloudwatch;
pub mod config;
pub mod ec2;
pub mod elbv2;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod rds;
pub mod route53;
pub mod s3;
pub mod sns;
pub mod vpc;

#[cfg(test)]
pub mod testing;

use crate::check::DynCheck;
use std::sync::LazyLock;

/// Every check, grouped by service; each service's `mod.rs` lists its own checks.
pub static REGISTRY: LazyLock<Vec<&'static dyn DynCheck>> = LazyLock::new(|| {
    [
        s3::CHECKS,
        ec2::CHECKS,
        vpc::CHECKS,
        cloudtrail::CHECKS,
        config::CHECKS,
        kms::CHECKS,
        iam::CHECKS,
        autoscaling::CHECKS,
        rds::CHECKS,
        elbv2::CHECKS,
        lambda::CHECKS,
        sns::CHECKS,
        cloudwatch::CHECKS,
        route53::CHECKS,
        cloudfront::CHECKS,
        account::CHECKS,
    ]
    .concat()
});

/// Looks a check up by id.
pub fn find(id: &str) -> Option<&'static dyn DynCheck> {
    REGISTRY.iter().copied().find(|c| c.meta().id == id)
}

/// The verdict on how many Availability Zones something spans (`zones`: distinct, sorted), at least `min`.
/// AWS always reports the zones of what these checks judge, so none at all is an answer not understood.
pub fn zone_spread(zones: &[&str], min: usize, operation: &str, subject: &str) -> crate::check::Verdict {
    use crate::model::{Cause, UnknownReason};
    match zones.len() {
        0 => crate::check::Verdict::Unknown(UnknownReason::new(
            Cause::Malformed,
            operation,
            format!("the {subject} reports no Availability Zone"),
        )),
        n if n >= min => crate::check::Verdict::Pass(format!("spans {n} Availability Zones ({})", zones.join(", "))),
        n => crate::check::Verdict::Fail(format!(
            "spans {n} Availability Zone(s) ({}), fewer than {min}",
            zones.join(", ")
        )),
    }
}

/// What every check file imports.
pub mod prelude {
    pub use crate::check;
    pub use crate::check::{Check, CheckParams, CheckScope, Context, Findings, NoParams, Verdict, cis, fsbp};
    pub use crate::finding::Severity;
    pub use crate::model::*;
}

#[cfg(test)]
mod registry_tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for check in REGISTRY.iter() {
            let meta = check.meta();
            assert!(seen.insert(meta.id), "duplicate check id {}", meta.id);
            assert!(
                meta.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{} is not snake_case",
                meta.id
            );
            let prefix = meta.id.split('_').next().unwrap_or_default();
            assert!(
                prefix == meta.service || (meta.service == "ec2" && prefix == "vpc") || meta.service == "account",
                "{} is not prefixed by its service {}",
                meta.id,
                meta.service
            );
            assert!(!meta.kinds.is_empty(), "{} reads no kind", meta.id);
        }
    }

    #[test]
    fn every_check_is_documented() {
        for check in REGISTRY.iter() {
            let doc = check.meta().documentation();
            for section in ["## What it does", "## Why is this bad?", "## Remediation"] {
                assert!(doc.contains(section), "{} lacks a {section} section", check.meta().id);
            }
        }
    }

    #[test]
    fn default_params_are_valid() {
        for check in REGISTRY.iter() {
            let defaults = check.default_params();
            check.validate_params(&defaults).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}
