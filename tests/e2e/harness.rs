//! Running the `awsaudit` binary against a moto account built by `mocks/scenarios.py`.

use crate::moto::Moto;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const HOME: &str = "us-east-1";
pub const OTHER: &str = "eu-west-1";

/// A moto server with one scenario built in it.
pub fn account(scenario: &str) -> Moto {
    let moto = Moto::start();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("mocks").join("scenarios.py");
    let out = Command::new(Moto::python())
        .arg(&script)
        .args(["--endpoint", &moto.endpoint, scenario])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    assert!(
        out.status.success(),
        "scenario {scenario} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        moto.stderr_tail()
    );
    moto.clear_requests();
    moto
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("report is not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr))
    }
}

/// Runs awsaudit with test credentials and no ambient AWS configuration.
pub fn awsaudit(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_awsaudit"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        // No instance metadata lookups, no shared config from the developer's home.
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .unwrap_or_else(|e| panic!("cannot run awsaudit: {e}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The bastion subnet is the only network allowed to reach SSH in the test accounts.
pub const SSH_PARAM: &str = r#"ec2_sg_ssh_restricted.allowed_cidrs=["10.0.1.0/24"]"#;

/// `awsaudit audit` of both regions with a JSON report on stdout.
pub fn audit(moto: &Moto, extra: &[&str]) -> Run {
    let regions = format!("{HOME},{OTHER}");
    let mut args = vec![
        "audit",
        "--endpoint-url",
        &moto.endpoint,
        "--region",
        HOME,
        "--regions",
        &regions,
        // Unimplemented moto operations answer 500: do not spend long retrying them.
        "--max-attempts",
        "3",
        "--format",
        "json",
        "--param",
        SSH_PARAM,
    ];
    args.extend_from_slice(extra);
    awsaudit(&args)
}

pub fn findings(report: &Value) -> Vec<Value> {
    report["findings"].as_array().cloned().unwrap_or_else(|| panic!("no findings array in {report}"))
}

pub fn temp_path(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}
