//! CloudWatch Logs log groups and metric filters, per region.

use super::scope::Scope;

pub async fn collect(scope: Scope) {
    let _ = scope;
}
