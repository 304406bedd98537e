//! SNS topics with attributes and subscriptions, per region.

use super::scope::Scope;

pub async fn collect(scope: Scope) {
    let _ = scope;
}
