//! RDS: DB instances, clusters, parameter groups, snapshots.
