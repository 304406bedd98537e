//! CloudFront distributions (global, read once).

use super::scope::Scope;

pub async fn collect(scope: Scope) {
    let _ = scope;
}
