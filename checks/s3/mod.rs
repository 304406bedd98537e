pub mod bucket_versioning_enabled;
