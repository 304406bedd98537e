//! Lambda functions.
