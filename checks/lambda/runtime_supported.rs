use super::super::prelude::*;
use serde::{Deserialize, Serialize};

check! {
    /// ## What it does
    /// Flags Lambda functions (.zip packages) whose runtime is on the list of disallowed runtimes: by default every
    /// runtime AWS has deprecated. Container-image functions choose their runtime inside the image and get no
    /// finding.
    ///
    /// ## Why is this bad?
    /// Once a runtime is deprecated, Lambda stops applying security patches to it: the language version, its
    /// libraries and the operating system underneath stay as they are while vulnerabilities are published. Soon
    /// after, functions on it can no longer be created or updated, so an urgent fix cannot even be deployed
    /// without a runtime upgrade first.
    ///
    /// ## Remediation
    /// Test the code on a supported runtime, then switch:
    /// ```sh
    /// aws lambda update-function-configuration --function-name FUNCTION --runtime python3.13
    /// ```
    /// CDK: `new lambda.Function(this, 'F', { runtime: lambda.Runtime.PYTHON_3_13, ... })`; CloudFormation:
    /// `AWS::Lambda::Function` with `Runtime: python3.13`.
    ///
    /// ## Parameters
    /// - `disallowed_runtimes` (list of runtime identifiers, default: the runtimes AWS had deprecated by November
    ///   2026, from `nodejs` to `nodejs20.x`, `python2.7` to `python3.9`, `ruby2.5` to `ruby3.2`, `java8`, `go1.x`,
    ///   `dotnetcore1.0` to `dotnet8` and `provided`): add runtimes as AWS deprecates them, or older supported ones
    ///   your organization no longer allows. Each entry must be a Lambda runtime identifier awsaudit knows.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-2
    pub LambdaRuntimeSupported {
        id: "lambda_runtime_supported",
        title: "Lambda functions do not use deprecated or disallowed runtimes",
        severity: Severity::Medium,
        service: "lambda",
        kinds: &[ResourceKind::LambdaFunction],
        scope: CheckScope::Resource,
        compliance: &[fsbp("Lambda.2")],
    }
}

/// Runtimes AWS has deprecated (end of security patches) by November 2026.
const DEPRECATED: &[&str] = &[
    "nodejs",
    "nodejs4.3",
    "nodejs4.3-edge",
    "nodejs6.10",
    "nodejs8.10",
    "nodejs10.x",
    "nodejs12.x",
    "nodejs14.x",
    "nodejs16.x",
    "nodejs18.x",
    "nodejs20.x",
    "python2.7",
    "python3.6",
    "python3.7",
    "python3.8",
    "python3.9",
    "ruby2.5",
    "ruby2.7",
    "ruby3.2",
    "java8",
    "go1.x",
    "dotnetcore1.0",
    "dotnetcore2.0",
    "dotnetcore2.1",
    "dotnetcore3.1",
    "dotnet6",
    "dotnet8",
    "provided",
];

/// Runtimes still supported, or deprecated later than the default list: valid in `disallowed_runtimes`.
const OTHER_KNOWN: &[&str] = &[
    "nodejs22.x",
    "nodejs24.x",
    "python3.10",
    "python3.11",
    "python3.12",
    "python3.13",
    "python3.14",
    "ruby3.3",
    "ruby3.4",
    "java8.al2",
    "java11",
    "java17",
    "java21",
    "java25",
    "dotnet10",
    "provided.al2",
    "provided.al2023",
];

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// Runtime identifiers functions must not use.
    pub disallowed_runtimes: Vec<String>,
}

impl Default for Params {
    fn default() -> Self {
        Params { disallowed_runtimes: DEPRECATED.iter().map(|r| r.to_string()).collect() }
    }
}

impl CheckParams for Params {
    fn validate(&self) -> Result<(), String> {
        for runtime in &self.disallowed_runtimes {
            // A typo (`python3.8x`) would silently allow the runtime it meant to forbid.
            if !DEPRECATED.contains(&runtime.as_str()) && !OTHER_KNOWN.contains(&runtime.as_str()) {
                return Err(format!(
                    "disallowed_runtimes: {runtime:?} is not a Lambda runtime identifier (e.g. python3.9, nodejs18.x, \
                     java11)"
                ));
            }
        }
        Ok(())
    }
}

impl Check for LambdaRuntimeSupported {
    type Params = Params;

    fn run(&self, cx: &Context<'_>, params: &Params, out: &mut Findings<'_>) {
        for (resource, function) in cx.inventory.iter::<LambdaFunction>() {
            if function.is_image() {
                continue;
            }
            let verdict = match function.runtime.as_deref() {
                None => Verdict::Unknown(UnknownReason::new(
                    Cause::Malformed,
                    "lambda:ListFunctions",
                    "the function's runtime was not returned",
                )),
                Some(runtime) if params.disallowed_runtimes.iter().any(|r| r == runtime) => {
                    Verdict::Fail(format!("runtime {runtime} is deprecated or not allowed"))
                }
                Some(runtime) => Verdict::Pass(format!("runtime {runtime} is allowed")),
            };
            out.verdict(resource, verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::DynCheck;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use serde_json::json;

    fn function(runtime: Option<&str>, package_type: &str) -> LambdaFunction {
        LambdaFunction {
            runtime: runtime.map(String::from),
            package_type: Some(package_type.into()),
            policy: Field::Absent,
            ..Default::default()
        }
    }

    fn inventory_with_functions() -> Inventory {
        let mut inv = inventory();
        inv.resources.push(resource("current", function(Some("python3.13"), "Zip")));
        inv.resources.push(resource("old", function(Some("python3.8"), "Zip")));
        inv.resources.push(resource("node20", function(Some("nodejs20.x"), "Zip")));
        inv.resources.push(resource("image", function(None, "Image")));
        inv.resources.push(resource("no-runtime", function(None, "Zip")));
        inv
    }

    #[test]
    fn default_list_flags_deprecated_runtimes() {
        let findings = run(&LambdaRuntimeSupported, &inventory_with_functions());
        let s = |id: &str, st| (id.to_string(), st);
        assert_eq!(
            statuses(&findings),
            vec![
                s("current", Status::Pass),
                s("no-runtime", Status::Unknown),
                s("node20", Status::Fail),
                s("old", Status::Fail)
            ]
        );
        let old = findings.iter().find(|f| f.resource.id == "old").map(|f| f.message.as_str());
        assert_eq!(old, Some("runtime python3.8 is deprecated or not allowed"));
    }

    #[test]
    fn parameter_replaces_the_list() {
        let params = json!({"disallowed_runtimes": ["python3.13"]});
        let findings = run_with(&LambdaRuntimeSupported, &inventory_with_functions(), Some(params));
        let failing: Vec<_> = findings.iter().filter(|f| f.status == Status::Fail).map(|f| &f.resource.id).collect();
        assert_eq!(failing, ["current"]);
    }

    #[test]
    fn unknown_runtime_names_are_rejected() {
        let err = LambdaRuntimeSupported.validate_params(&json!({"disallowed_runtimes": ["python3.8x"]}));
        let message = err.map_err(|e| e.to_string()).err().unwrap_or_default();
        assert!(message.contains("disallowed_runtimes") && message.contains("python3.8x"), "{message}");
        assert!(LambdaRuntimeSupported.validate_params(&json!({"disallowed_runtimes": ["java11"]})).is_ok());
        assert!(LambdaRuntimeSupported.validate_params(&json!({"allowed": []})).is_err());
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::LambdaFunction, REGION, denied("lambda:ListFunctions"));
        let findings = run(&LambdaRuntimeSupported, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
