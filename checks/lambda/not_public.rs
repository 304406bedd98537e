use super::super::prelude::*;
use crate::model::policy::{Principal, Statement};

check! {
    /// ## What it does
    /// Flags Lambda functions whose resource-based policy lets anyone invoke or manage them:
    /// - an `Allow` for everyone (`"Principal": "*"` or `{"AWS": "*"}`) unless a condition pins the caller to fixed
    ///   values of `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOwner`, `aws:PrincipalOrgID`,
    ///   `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:SourceVpc(e)`, `aws:SourceIp` or `aws:userid` (with a
    ///   positive operator: not `…Not…`, `…IfExists`, `ForAllValues:` or `Null`; no wildcard or policy variable);
    /// - an `Allow` for the S3 service (`s3.amazonaws.com`) without a fixed `aws:SourceAccount`: bucket ARNs carry
    ///   no account, so any bucket in any account with that name could invoke the function.
    ///
    /// Functions without a resource-based policy pass.
    ///
    /// ## Why is this bad?
    /// A public function can be invoked by anyone with AWS credentials: they can run its code with its role's
    /// permissions, feed it crafted events, read what it returns, and run up the bill. Function URLs with
    /// `AuthType NONE` rely on exactly such a statement.
    ///
    /// ## Remediation
    /// Remove the public statement, or grant the caller that needs it with a source condition:
    /// ```sh
    /// aws lambda get-policy --function-name FUNCTION
    /// aws lambda remove-permission --function-name FUNCTION --statement-id STATEMENT_ID
    /// aws lambda add-permission --function-name FUNCTION --statement-id s3-invoke \
    ///   --action lambda:InvokeFunction --principal s3.amazonaws.com \
    ///   --source-account ACCOUNT_ID --source-arn arn:aws:s3:::BUCKET
    /// ```
    /// CDK: `fn.addPermission('S3', { principal: new iam.ServicePrincipal('s3.amazonaws.com'), sourceAccount:
    /// ACCOUNT_ID, sourceArn: bucket.bucketArn })`; CloudFormation: `AWS::Lambda::Permission` with a specific
    /// `Principal`, `SourceAccount` and `SourceArn`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
    /// - https://docs.aws.amazon.com/config/latest/developerguide/lambda-function-public-access-prohibited.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-1
    pub LambdaNotPublic {
        id: "lambda_not_public",
        title: "Lambda function policies do not allow public access",
        severity: Severity::Critical,
        service: "lambda",
        kinds: &[ResourceKind::LambdaFunction],
        scope: CheckScope::Resource,
        compliance: &[fsbp("Lambda.1")],
    }
}

/// An S3 notification grant that any account's bucket could use.
fn s3_without_source_account(st: &Statement<'_>) -> bool {
    let Principal::Named(principals) = &st.principal else {
        return false;
    };
    st.allow
        && principals.iter().any(|(kind, id)| *kind == "Service" && id.eq_ignore_ascii_case("s3.amazonaws.com"))
        && !st.restricted_by(&["aws:SourceAccount"])
}

fn public_statements(policy: &PolicyDocument) -> Vec<String> {
    policy
        .statements()
        .iter()
        .filter_map(|st| {
            let why = if st.allows_everyone_unrestricted() {
                "allows everyone"
            } else if s3_without_source_account(st) {
                "allows s3.amazonaws.com without aws:SourceAccount"
            } else {
                return None;
            };
            let actions =
                if st.actions.is_empty() { "every action except NotAction".to_string() } else { st.actions.join(", ") };
            Some(match st.sid {
                Some(sid) => format!("statement {sid:?} {why} {actions}"),
                None => format!("a statement {why} {actions}"),
            })
        })
        .collect()
}

impl Check for LambdaNotPublic {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, function) in cx.inventory.iter::<LambdaFunction>() {
            let verdict = match function.policy.known() {
                Err(reason) => Verdict::Unknown(reason.clone()),
                Ok(None) => Verdict::Pass("the function has no resource-based policy".into()),
                Ok(Some(policy)) => {
                    let public = public_statements(policy);
                    if public.is_empty() {
                        Verdict::Pass("the function policy grants only specific principals or sources".into())
                    } else {
                        Verdict::Fail(format!("the function policy is public: {}", public.join("; ")))
                    }
                }
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
    use serde_json::{Value, json};

    fn with_policy(statement: Value) -> LambdaFunction {
        LambdaFunction {
            runtime: Some("python3.13".into()),
            policy: Field::Known(PolicyDocument(json!({"Version": "2012-10-17", "Statement": [statement]}))),
            ..Default::default()
        }
    }

    fn grant(principal: Value, condition: Option<Value>) -> Value {
        let mut st = json!({"Sid": "grant", "Effect": "Allow", "Principal": principal,
                            "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:eu-west-1:1:function:f"});
        if let (Some(c), Some(obj)) = (condition, st.as_object_mut()) {
            obj.insert("Condition".into(), c);
        }
        st
    }

    #[test]
    fn pass_fail_unknown() {
        let account = json!({"StringEquals": {"AWS:SourceAccount": "123456789012"}});
        let bucket = json!({"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads"}});
        let s3 = json!({"Service": "s3.amazonaws.com"});
        let mut inv = inventory();
        let functions = [
            ("no-policy", LambdaFunction { policy: Field::Absent, ..Default::default() }),
            ("public", with_policy(grant(json!("*"), None))),
            ("public-aws", with_policy(grant(json!({"AWS": "*"}), None))),
            ("public-pinned", with_policy(grant(json!("*"), Some(account.clone())))),
            ("s3-with-account", with_policy(grant(s3.clone(), Some(account)))),
            ("s3-bucket-only", with_policy(grant(s3, Some(bucket)))),
            ("account", with_policy(grant(json!({"AWS": "arn:aws:iam::210987654321:root"}), None))),
            ("denied", LambdaFunction { policy: Field::Unknown(denied("lambda:GetPolicy")), ..Default::default() }),
        ];
        for (id, f) in functions {
            inv.resources.push(resource(id, f));
        }
        let findings = run(&LambdaNotPublic, &inv);
        let s = |id: &str, st| (id.to_string(), st);
        assert_eq!(
            statuses(&findings),
            vec![
                s("account", Status::Pass),
                s("denied", Status::Unknown),
                s("no-policy", Status::Pass),
                s("public", Status::Fail),
                s("public-aws", Status::Fail),
                s("public-pinned", Status::Pass),
                s("s3-bucket-only", Status::Fail),
                s("s3-with-account", Status::Pass),
            ]
        );
        let public = findings.iter().find(|f| f.resource.id == "public").map(|f| f.message.as_str());
        assert_eq!(
            public,
            Some("the function policy is public: statement \"grant\" allows everyone lambda:InvokeFunction")
        );
    }

    #[test]
    fn failed_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::LambdaFunction, REGION, denied("lambda:ListFunctions"));
        assert_eq!(statuses(&run(&LambdaNotPublic, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
