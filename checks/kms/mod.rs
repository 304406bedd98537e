use crate::check::DynCheck;

pub mod cmk_has_alias;
pub mod cmk_not_pending_deletion;
pub mod cmk_rotation_enabled;
pub mod key_policy_not_public;

pub static CHECKS: &[&dyn DynCheck] = &[
    &cmk_rotation_enabled::KmsCmkRotationEnabled,
    &cmk_not_pending_deletion::KmsCmkNotPendingDeletion,
    &cmk_has_alias::KmsCmkHasAlias,
    &key_policy_not_public::KmsKeyPolicyNotPublic,
];
