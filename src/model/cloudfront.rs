//! CloudFront distributions (global).
