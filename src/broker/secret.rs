//! Secrets at rest: passwords and API keys as argon2 hashes, bearer tokens as SHA-256 digests
//! (they are 256 random bits, so a slow hash would add nothing but latency).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

pub fn hash_secret(secret: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .expect("argon2 with default parameters hashes any input")
        .to_string()
}

pub fn is_valid_hash(hash: &str) -> bool {
    PasswordHash::new(hash).is_ok()
}

pub fn verify_secret(hash: &str, secret: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(secret.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the login names nobody, so that an unknown name costs as
/// much time as a wrong password and does not reveal which names exist.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_secret("decoy password that matches nothing"))
}

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn new_api_key() -> String {
    format!("pamk_{}", random_token())
}

pub fn token_digest(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The claims of a bearer token, as NPS's clients read them (decoded, not verified) to show
/// its expiry and rights. The token is still checked against the token table on every use,
/// so revoking it works whatever it says.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct TokenClaims {
    pub jti: String,
    pub sub: String,
    pub unique_name: String,
    pub iss: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    #[serde(rename = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role")]
    pub role: String,
    /// False for the token of a sign-in still waiting for its second factor.
    #[serde(rename = "isMFA")]
    pub is_mfa: bool,
    #[serde(rename = "isLocalUser")]
    pub is_local_user: bool,
}

/// A bearer token: the claims signed (HS256) with the broker's key.
pub fn signed_token(key: &[u8], claims: &TokenClaims) -> Result<String, String> {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(key),
    )
    .map_err(|e| format!("cannot sign a token: {e}"))
}
