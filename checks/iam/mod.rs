use crate::check::DynCheck;

pub mod access_key_rotated;
pub mod credentials_unused;
pub mod deprecated_managed_policy;
pub mod password_policy_strong;
pub mod policy_no_admin_star;
pub mod policy_no_service_wildcard;
pub mod root_access_key_absent;
pub mod root_mfa_enabled;
mod shared;
pub mod user_console_mfa;
pub mod user_no_direct_policies;

pub static CHECKS: &[&dyn DynCheck] = &[
    &policy_no_admin_star::IamPolicyNoAdminStar,
    &policy_no_service_wildcard::IamPolicyNoServiceWildcard,
    &deprecated_managed_policy::IamDeprecatedManagedPolicy,
    &root_access_key_absent::IamRootAccessKeyAbsent,
    &root_mfa_enabled::IamRootMfaEnabled,
    &password_policy_strong::IamPasswordPolicyStrong,
    &user_console_mfa::IamUserConsoleMfa,
    &access_key_rotated::IamAccessKeyRotated,
    &credentials_unused::IamCredentialsUnused,
    &user_no_direct_policies::IamUserNoDirectPolicies,
];
