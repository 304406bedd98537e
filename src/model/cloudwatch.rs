//! CloudWatch Logs log groups and metric filters, and CloudWatch alarms.
