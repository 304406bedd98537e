//! SNS topics and subscriptions.
