//! Standard Webhooks signatures: `v1,<base64 HMAC-SHA256 of
//! "{webhook-id}.{webhook-timestamp}.{body}">` under the endpoint's secret
//! (`whsec_` + base64 of its bytes), space-separated when a rotation's
//! grace period signs with two secrets.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;

/// Secrets start so, as the specification writes them.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new secret: 32 random bytes.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{SECRET_PREFIX}{}", STANDARD.encode(bytes))
}

/// The key bytes of a `whsec_` secret; `None` if it is not one.
pub fn key_of(secret: &str) -> Option<Vec<u8>> {
    let encoded = secret.strip_prefix(SECRET_PREFIX)?;
    STANDARD.decode(encoded).ok().filter(|k| !k.is_empty())
}

/// One `v1,…` signature of a message under one secret.
pub fn sign(secret: &str, message_id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &key_of(secret)?);
    let signed = format!("{message_id}.{timestamp}.{body}");
    let tag = ring::hmac::sign(&key, signed.as_bytes());
    Some(format!("v1,{}", STANDARD.encode(tag.as_ref())))
}

/// The `webhook-signature` header under each of `secrets`.
pub fn signature_header(secrets: &[&str], message_id: &str, timestamp: i64, body: &str) -> String {
    secrets
        .iter()
        .filter_map(|secret| sign(secret, message_id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_specifications_test_vector() {
        // From the Standard Webhooks specification's reference tests.
        let signature = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(
            signature.as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
    }

    #[test]
    fn new_secrets_are_32_bytes() {
        let secret = new_secret();
        assert_eq!(key_of(&secret).map(|k| k.len()), Some(32));
        assert_ne!(secret, new_secret());
        assert_eq!(key_of("nope"), None);
    }
}
