//! Lambda functions with their resource policies and tags, per region.

use super::scope::Scope;
use super::session::client;
use crate::model::{Cause, Field, LambdaFunction, LambdaVpcConfig, PolicyDocument, ResourceKind, UnknownReason};
use aws_sdk_lambda::types::FunctionConfiguration;
use futures::StreamExt;

/// Per-function detail calls in flight at once within one region.
const FUNCTION_CONCURRENCY: usize = 16;

pub async fn collect(scope: Scope) {
    let lambda = client!(&scope.session, aws_sdk_lambda, "lambda", &scope.region);
    let pages = match scope.pages("ListFunctions", lambda.list_functions().into_paginator().send()).await {
        Ok(pages) => pages,
        Err(reason) => {
            scope.listed(ResourceKind::LambdaFunction, Err(reason));
            return;
        }
    };
    let functions: Vec<FunctionConfiguration> =
        pages.into_iter().flat_map(|p| p.functions.unwrap_or_default()).collect();
    // Owned arguments: the futures must be 'static to run inside the spawned collector task.
    let mut details = futures::stream::iter(functions.into_iter().map(|f| describe(scope.clone(), lambda.clone(), f)))
        .buffer_unordered(FUNCTION_CONCURRENCY);
    while details.next().await.is_some() {}
    scope.listed(ResourceKind::LambdaFunction, Ok(()));
}

/// Records one function; its policy and tags are fetched concurrently.
async fn describe(scope: Scope, lambda: aws_sdk_lambda::Client, config: FunctionConfiguration) {
    let Some(name) = config.function_name().map(String::from) else {
        scope.record(None, UnknownReason::new(Cause::Malformed, "lambda:ListFunctions", "a function without a name"));
        return;
    };
    let arn =
        config.function_arn().map(String::from).unwrap_or_else(|| scope.arn("lambda", &format!("function:{name}")));
    let policy = scope.fetch(
        "GetPolicy",
        &name,
        // A function without a resource-based policy answers "not found".
        &["ResourceNotFoundException"],
        lambda.get_policy().function_name(&name).send(),
        |o| match o.policy().map(PolicyDocument::parse) {
            Some(Ok(doc)) => Field::Known(doc),
            Some(Err(e)) => Field::Unknown(UnknownReason::new(
                Cause::Malformed,
                "lambda:GetPolicy",
                format!("the function policy is not valid JSON: {e}"),
            )),
            None => Field::Absent,
        },
    );
    let tags = scope.fetch("ListTags", &name, &[], lambda.list_tags().resource(&arn).send(), |o| {
        Field::Known(o.tags().map(|t| t.clone().into_iter().collect()).unwrap_or_default())
    });
    let (policy, tags) = tokio::join!(policy, tags);
    // Only the VPC wiring is kept; `Environment` (variable values, often secrets) is deliberately not read.
    let vpc = config.vpc_config().filter(|v| !v.subnet_ids().is_empty()).map(|v| LambdaVpcConfig {
        vpc_id: v.vpc_id().filter(|id| !id.is_empty()).map(String::from),
        subnet_ids: v.subnet_ids().to_vec(),
        security_group_ids: v.security_group_ids().to_vec(),
    });
    let function = LambdaFunction {
        runtime: config.runtime().map(|r| r.as_str().to_string()),
        package_type: config.package_type().map(|p| p.as_str().to_string()),
        tracing_mode: config.tracing_config().and_then(|t| t.mode()).map(|m| m.as_str().to_string()),
        vpc,
        role: config.role().map(String::from),
        kms_key_arn: config.kms_key_arn().filter(|k| !k.is_empty()).map(String::from),
        architectures: config.architectures().iter().map(|a| a.as_str().to_string()).collect(),
        policy,
    };
    scope.add(scope.resource(name.clone(), arn, Some(name), tags, function));
}
