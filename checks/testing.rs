//! Fixture inventories for check unit tests.

use crate::check::{Context, DynCheck, Findings};
use crate::finding::{Finding, Status};
use crate::model::*;
use chrono::{TimeZone, Utc};
use std::collections::BTreeMap;

pub const ACCOUNT: &str = "123456789012";
pub const REGION: &str = "eu-west-1";

/// An inventory with every kind listed completely in `REGION` (and `global`), and no resources.
pub fn inventory() -> Inventory {
    let mut inv =
        Inventory::new(ACCOUNT, "aws", Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).single().unwrap_or_default());
    inv.regions = vec![REGION.to_string()];
    inv.services = SERVICES.iter().map(|s| s.to_string()).collect();
    for kind in ResourceKind::ALL {
        let region = if kind.is_global() { GLOBAL } else { REGION };
        inv.listings.push(Listing { kind: *kind, region: region.to_string(), error: None });
    }
    inv
}

/// A resource in `REGION` (or `global` for global kinds) with no tags.
pub fn resource(id: &str, properties: impl Into<Properties>) -> Resource {
    let properties = properties.into();
    let region = if properties.kind().is_global() { GLOBAL } else { REGION };
    Resource {
        arn: format!("arn:aws:test:{region}:{ACCOUNT}:{id}"),
        account_id: ACCOUNT.to_string(),
        region: region.to_string(),
        id: id.to_string(),
        name: None,
        tags: Field::Known(BTreeMap::new()),
        properties,
    }
}

/// A bucket whose public-access settings were all read and grant nothing public.
pub fn private_bucket() -> S3Bucket {
    S3Bucket {
        public_access_block: Field::Absent,
        policy: Field::Absent,
        policy_is_public: Field::Absent,
        acl: Field::Known(Acl { owner_id: Some("owner".into()), grants: Vec::new() }),
        ownership: Field::Absent,
        ..Default::default()
    }
}

pub fn denied(operation: &str) -> UnknownReason {
    UnknownReason::new(Cause::AccessDenied, operation, "User is not authorized").with_code("AccessDenied")
}

/// Marks the listing of `kind` in `region` as failed.
pub fn fail_listing(inv: &mut Inventory, kind: ResourceKind, region: &str, reason: UnknownReason) {
    inv.listings.retain(|l| !(l.kind == kind && l.region == region));
    inv.listings.push(Listing { kind, region: region.to_string(), error: Some(reason) });
}

/// Runs one check with the given parameters (JSON) through the engine, as the CLI would.
pub fn run_with(check: &dyn DynCheck, inv: &Inventory, params: Option<serde_json::Value>) -> Vec<Finding> {
    let cx = Context::new(inv);
    let mut out = Findings::new(check.meta(), inv);
    check.run_dyn(&cx, params.as_ref(), &mut out).unwrap_or_else(|e| panic!("{e}"));
    let mut findings = out.into_findings();
    findings.extend(crate::engine::listing_gaps(check.meta(), inv));
    findings
}

pub fn run(check: &dyn DynCheck, inv: &Inventory) -> Vec<Finding> {
    run_with(check, inv, None)
}

/// (resource id, status) pairs, sorted: what most assertions compare.
pub fn statuses(findings: &[Finding]) -> Vec<(String, Status)> {
    let mut v: Vec<_> = findings.iter().map(|f| (f.resource.id.clone(), f.status)).collect();
    v.sort();
    v
}
