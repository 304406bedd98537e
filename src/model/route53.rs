//! Route 53 hosted zones, record sets and health checks (global).
