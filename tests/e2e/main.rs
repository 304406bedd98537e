//! End-to-end tests: the `awsaudit` binary against moto servers holding accounts built through boto3
//! (`mocks/scenarios.py`). One test target on purpose: each target links its own binary against the AWS SDK.

mod cli;
mod cloudwatch;
mod config;
mod diff;
mod elbv2;
mod faults;
mod global;
mod golden;
mod harness;
mod html;
mod lambda_sns;
mod moto;
mod outputs;
mod permissions;
mod scenarios;
