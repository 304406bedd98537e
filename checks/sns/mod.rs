use crate::check::DynCheck;

pub mod subscription_confirmed;
pub mod topic_kms_encrypted;
pub mod topic_not_public;

pub static CHECKS: &[&dyn DynCheck] = &[
    &topic_kms_encrypted::SnsTopicKmsEncrypted,
    &topic_not_public::SnsTopicNotPublic,
    &subscription_confirmed::SnsSubscriptionConfirmed,
];
