//! Lambda functions with their resource policies, per region.

use super::scope::Scope;

pub async fn collect(scope: Scope) {
    let _ = scope;
}
