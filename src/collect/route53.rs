//! Route 53 hosted zones, record sets and health checks (global, read once).

use super::scope::Scope;

pub async fn collect(scope: Scope) {
    let _ = scope;
}
