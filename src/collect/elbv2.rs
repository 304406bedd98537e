//! Application, Network and Gateway Load Balancers with attributes, listeners and target groups.

use super::scope::Scope;

pub async fn collect(scope: Scope) {
    let _ = scope;
}
