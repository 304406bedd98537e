use super::super::prelude::*;

check! {
    /// ## What it does
    /// Flags Lambda functions without active AWS X-Ray tracing (tracing mode `PassThrough`).
    ///
    /// ## Why is this bad?
    /// Without tracing, a slow or failing request cannot be followed across the function and the services it
    /// calls: incidents take longer to diagnose, and unusual call patterns (a function suddenly reaching a new
    /// service) go unseen.
    ///
    /// ## Remediation
    /// ```sh
    /// aws lambda update-function-configuration --function-name FUNCTION --tracing-config Mode=Active
    /// ```
    /// The execution role needs `xray:PutTraceSegments` and `xray:PutTelemetryRecords` (the managed policy
    /// `AWSXRayDaemonWriteAccess`). CDK: `new lambda.Function(this, 'F', { tracing: lambda.Tracing.ACTIVE, ... })`;
    /// CloudFormation: `AWS::Lambda::Function` with `TracingConfig: { Mode: Active }`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
    /// - https://docs.aws.amazon.com/config/latest/developerguide/lambda-function-xray-enabled.html
    pub LambdaTracingEnabled {
        id: "lambda_tracing_enabled",
        title: "Lambda functions have X-Ray tracing enabled",
        severity: Severity::Low,
        service: "lambda",
        kinds: &[ResourceKind::LambdaFunction],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

impl Check for LambdaTracingEnabled {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, function) in cx.inventory.iter::<LambdaFunction>() {
            let verdict = match function.tracing_mode.as_deref() {
                Some("Active") => Verdict::Pass("X-Ray tracing is active".into()),
                Some(mode) => Verdict::Fail(format!("X-Ray tracing is off (mode {mode})")),
                None => Verdict::Unknown(UnknownReason::new(
                    Cause::Malformed,
                    "lambda:ListFunctions",
                    "the function's tracing configuration was not returned",
                )),
            };
            out.verdict(resource, verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        for (id, mode) in [("active", Some("Active")), ("passthrough", Some("PassThrough")), ("missing", None)] {
            let f =
                LambdaFunction { tracing_mode: mode.map(String::from), policy: Field::Absent, ..Default::default() };
            inv.resources.push(resource(id, f));
        }
        let findings = run(&LambdaTracingEnabled, &inv);
        let s = |id: &str, st| (id.to_string(), st);
        assert_eq!(
            statuses(&findings),
            vec![s("active", Status::Pass), s("missing", Status::Unknown), s("passthrough", Status::Fail)]
        );
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::LambdaFunction, REGION, denied("lambda:ListFunctions"));
        assert_eq!(statuses(&run(&LambdaTracingEnabled, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
