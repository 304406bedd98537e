//! Lambda functions.

use super::{Field, PolicyDocument};
use serde::{Deserialize, Serialize};

/// `AWS::Lambda::Function` (the `$LATEST` configuration). Environment variable values are never collected: they
/// often hold secrets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LambdaFunction {
    /// Runtime identifier (`python3.12`); `None` for container-image functions.
    pub runtime: Option<String>,
    /// `Zip` or `Image`.
    pub package_type: Option<String>,
    /// X-Ray tracing mode: `Active` or `PassThrough`; `None` if AWS did not say.
    pub tracing_mode: Option<String>,
    /// `None` when the function is not attached to a VPC.
    pub vpc: Option<LambdaVpcConfig>,
    /// The execution role ARN.
    pub role: Option<String>,
    /// The customer-managed KMS key for environment variables; `None` means the AWS-owned key.
    pub kms_key_arn: Option<String>,
    /// `x86_64`, `arm64`.
    pub architectures: Vec<String>,
    /// The resource-based policy (`GetPolicy`); `Absent` when the function has none.
    pub policy: Field<PolicyDocument>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LambdaVpcConfig {
    pub vpc_id: Option<String>,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
}

impl LambdaFunction {
    pub fn is_image(&self) -> bool {
        self.package_type.as_deref() == Some("Image")
    }
}
