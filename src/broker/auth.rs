//! Sign-in with a password (and a TOTP code where enrolled) or an API key, and the bearer
//! tokens that follow: random, stored as digests, expiring, revocable.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use totp_rs::{Algorithm, Secret, TOTP};
use uuid::Uuid;

use super::secret;
use super::{Broker, BrokerError};
use crate::core::throttle::{self, Reservation, SignInKeys, normalize_login};
use crate::core::{Account, AccountKind, Role, TokenRecord, TokenStage};

/// A pre-MFA token only has to live long enough for someone to type a code.
const PRE_MFA_TTL: chrono::Duration = chrono::Duration::minutes(5);
/// Expired tokens are kept this long for the record, then deleted.
const EXPIRED_TOKEN_RETENTION: chrono::Duration = chrono::Duration::days(1);

const SIGN_IN_HINT: &str = "sign in again with `pamctl login`";

/// Who is calling: the account behind a full bearer token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account_id: Uuid,
    pub name: String,
    pub display_name: String,
    pub role: Role,
    pub kind: AccountKind,
    pub mfa_enrolled: bool,
    pub token_id: Uuid,
    pub token_expires_at: DateTime<Utc>,
    /// The client's address, when the server knows it (the audit trail and log lines say it).
    pub source: Option<IpAddr>,
}

impl Caller {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// A token just issued: the only moment the plain token exists on the server.
pub struct IssuedToken {
    pub token: String,
    pub stage: TokenStage,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedToken")
            .field("stage", &self.stage)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

fn admin_only(caller: &Caller, what: &str) -> Result<(), BrokerError> {
    if caller.is_admin() {
        Ok(())
    } else {
        tracing::warn!(login = %caller.name, "refused: only admins may {what}");
        Err(BrokerError::Forbidden(format!("only admins may {what}")))
    }
}

/// The length of a TOTP time step (RFC 6238's default, what authenticator apps use).
const TOTP_STEP_SECS: u64 = 30;

/// The time step whose code `code` is, among the current one and its neighbours (one step of
/// clock skew either way: a code is good for 30 to 90 seconds); `None` when it is none of them.
fn totp_step(base32_secret: &str, code: &str, now: DateTime<Utc>) -> Option<u64> {
    let bytes = Secret::Encoded(base32_secret.to_owned()).to_bytes().ok()?;
    // Shorter secrets than RFC 4226's recommended 128 bits are common in authenticator apps.
    let totp = TOTP::new_unchecked(Algorithm::SHA1, 6, 1, TOTP_STEP_SECS, bytes);
    let now = u64::try_from(now.timestamp()).ok()?;
    let current = now / TOTP_STEP_SECS;
    let code = code.trim();
    [current.saturating_sub(1), current, current + 1]
        .into_iter()
        .find(|step| totp.generate(step * TOTP_STEP_SECS) == code)
}

impl Broker {
    /// `POST /signinBody`: a full token, or a pre-MFA token for a user enrolled in MFA.
    pub async fn sign_in(
        &self,
        login: &str,
        password: &str,
        from: IpAddr,
    ) -> Result<IssuedToken, BrokerError> {
        // The lookup trims the login and matches any case; the throttle's key does the same
        // (and folds case beyond ASCII too), so no variant of a login gets a counter of its own.
        let trimmed = login.trim();
        let name = normalize_login(login);
        if name.is_empty() {
            return Err(BrokerError::invalid("Login", "must not be empty"));
        }
        let keys = SignInKeys::new(&name, from);
        if let Err(refusal) = self.reserve_attempt(&keys, &name, from, "sign-in").await {
            // audit
            if matches!(refusal, BrokerError::RateLimited { .. }) {
                self.record_sign_in(
                    "sign_in",
                    None,
                    trimmed,
                    from,
                    "refused",
                    "too many failures",
                )
                .await;
            }
            return Err(refusal);
        }
        let account = self.store.account_by_name(trimmed).await?;
        let hash = account
            .as_ref()
            .and_then(|a| a.secret_hash.clone())
            .unwrap_or_else(|| secret::decoy_hash().to_owned());
        let password = password.to_owned();
        // Counted in the log so that tests (and operators) can see how many guesses reached
        // the expensive check.
        tracing::debug!(login = ?name, %from, "password checked against its hash");
        let verified = tokio::task::spawn_blocking(move || secret::verify_secret(&hash, &password))
            .await
            .unwrap_or(false);
        let account = match account {
            Some(account) if verified => account,
            _ => {
                tracing::warn!(login = ?name, %from, reason = "wrong name or secret", "sign-in failed");
                // audit
                self.record_sign_in(
                    "sign_in",
                    None,
                    trimmed,
                    from,
                    "failed",
                    "wrong name or secret",
                )
                .await;
                return Err(BrokerError::unauthenticated(
                    "wrong user name or password (or API key)",
                    Some(
                        "check the name and the secret; for an application, the login is its name and the password its API key",
                    ),
                ));
            }
        };
        self.store.sign_in_succeeded(&keys).await?;
        let stage = if account.kind == AccountKind::User && account.totp_secret.is_some() {
            TokenStage::PreMfa
        } else {
            TokenStage::Full
        };
        tracing::info!(login = %account.name, %from, stage = stage.as_str(), "signed in");
        // audit
        let detail = match stage {
            TokenStage::PreMfa => "password accepted; the second factor is next",
            TokenStage::Full => "signed in",
        };
        self.record_sign_in(
            "sign_in",
            Some(account.id),
            &account.name,
            from,
            "ok",
            detail,
        )
        .await;
        self.issue(&account, stage, Some(from), None).await
    }

    /// Checks the throttle and counts this attempt, before anything expensive; a refusal is
    /// logged with the login, the address and the reason.
    async fn reserve_attempt(
        &self,
        keys: &SignInKeys,
        login: &str,
        from: IpAddr,
        what: &'static str,
    ) -> Result<(), BrokerError> {
        let reservation = self
            .store
            .reserve_sign_in(keys, &self.throttle, self.clock.now())
            .await?;
        match reservation {
            Reservation::Allowed { .. } => Ok(()),
            Reservation::Refused(refusal) => {
                let retry_after = refusal
                    .retry_after
                    .to_std()
                    .unwrap_or(std::time::Duration::from_secs(1));
                tracing::warn!(
                    login = ?login,
                    %from,
                    reason = refusal.reason,
                    retry_after_secs = retry_after.as_secs_f64().ceil(),
                    "{what} refused by the throttle"
                );
                Err(BrokerError::RateLimited { retry_after })
            }
        }
    }

    /// `POST /signin2fa`: exchanges a pre-MFA token and a TOTP code for a full token. For an
    /// account without MFA (the `optional` setting) the code is not checked. Wrong codes count
    /// against the same throttle as wrong passwords.
    pub async fn complete_mfa(
        &self,
        token: &str,
        code: &str,
        from: IpAddr,
    ) -> Result<IssuedToken, BrokerError> {
        let (record, account) = self.token_owner(token).await?;
        let keys = SignInKeys::new(&account.name, from);
        if let Some(totp_secret) = &account.totp_secret {
            if let Err(refusal) = self
                .reserve_attempt(&keys, &account.name, from, "MFA")
                .await
            {
                // audit
                if matches!(refusal, BrokerError::RateLimited { .. }) {
                    self.record_mfa(&account, from, "refused", "too many failures")
                        .await;
                }
                return Err(refusal);
            }
            let Some(step) = totp_step(totp_secret, code, self.clock.now()) else {
                tracing::warn!(login = %account.name, %from, reason = "wrong code", "MFA failed");
                // audit
                self.record_mfa(&account, from, "failed", "wrong or expired code")
                    .await;
                return Err(BrokerError::unauthenticated(
                    "wrong or expired MFA code",
                    Some("enter the current 6-digit code from your authenticator app"),
                ));
            };
            if !self.store.accept_totp_step(account.id, step).await? {
                tracing::warn!(login = %account.name, %from, reason = "a code already used", "MFA refused");
                // audit
                self.record_mfa(&account, from, "refused", "a code already used")
                    .await;
                return Err(BrokerError::unauthenticated(
                    "that MFA code was already used: each code signs in once",
                    Some("wait for your authenticator app to show the next code"),
                ));
            }
            self.store.sign_in_succeeded(&keys).await?;
        }
        if record.stage == TokenStage::PreMfa {
            self.store.revoke_token(record.id, self.clock.now()).await?;
            self.tokens.forget(record.id);
        }
        tracing::info!(login = %account.name, %from, "second factor accepted");
        // audit
        self.record_mfa(&account, from, "ok", "second factor accepted")
            .await;
        self.issue(&account, TokenStage::Full, Some(from), Some(&record))
            .await
    }

    /// The caller behind a full token; a pre-MFA token is not enough.
    pub async fn authenticate(&self, token: &str) -> Result<Caller, BrokerError> {
        let (record, account) = self.token_owner(token).await?;
        if record.stage != TokenStage::Full {
            return Err(BrokerError::MfaRequired);
        }
        Ok(Caller {
            account_id: account.id,
            name: account.name,
            display_name: account.display_name,
            role: account.role,
            kind: account.kind,
            mfa_enrolled: account.totp_secret.is_some(),
            token_id: record.id,
            token_expires_at: record.expires_at,
            source: None,
        })
    }

    /// `GET /api/v1/UserToken`: a fresh full token for the caller, in the caller's token
    /// family: it ends with the family (logout) and never outlives the family's absolute
    /// lifetime.
    pub async fn refresh_token(&self, caller: &Caller) -> Result<IssuedToken, BrokerError> {
        let account = self.live_account(caller.account_id).await?;
        let record = self.store.token(caller.token_id).await?.ok_or_else(|| {
            BrokerError::unauthenticated("the token is not valid", Some(SIGN_IN_HINT))
        })?;
        self.usable(&record)?;
        self.issue(&account, TokenStage::Full, None, Some(&record))
            .await
    }

    /// `DELETE /api/v1/UserToken` (logout): revokes the caller's whole token family, so a
    /// token obtained by refresh ends with the one it was refreshed from (and vice versa).
    pub async fn revoke_token(&self, caller: &Caller) -> Result<(), BrokerError> {
        let now = self.clock.now();
        let family = match self.store.token(caller.token_id).await? {
            Some(record) => record.family_id,
            None => caller.token_id,
        };
        let revoked = self.store.revoke_token_family(family, now).await?;
        self.store.revoke_token(caller.token_id, now).await?;
        self.tokens.forget_family(family);
        self.tokens.forget(caller.token_id);
        tracing::info!(login = %caller.name, %family, revoked, "token family revoked (signed out)");
        // audit
        let event = self.audit_event(caller, "token.revoke", Some(caller.token_id));
        self.record(vec![event.detail("signed out")]).await;
        Ok(())
    }

    /// The live tokens of one user (by name) or of everyone, oldest first, with their
    /// owners' names (admins only).
    pub async fn list_tokens(
        &self,
        caller: &Caller,
        user: Option<&str>,
    ) -> Result<Vec<(TokenRecord, String)>, BrokerError> {
        admin_only(caller, "list tokens")?;
        let account = match user {
            Some(name) => Some(self.account_named(name).await?.id),
            None => None,
        };
        let names: std::collections::HashMap<Uuid, String> = self
            .store
            .accounts()
            .await?
            .into_iter()
            .map(|account| (account.id, account.name))
            .collect();
        let tokens = self.store.live_tokens(account, self.clock.now()).await?;
        Ok(tokens
            .into_iter()
            .map(|token| {
                let name = names
                    .get(&token.account_id)
                    .cloned()
                    .unwrap_or_else(|| token.account_id.to_string());
                (token, name)
            })
            .collect())
    }

    /// Revokes a token and the rest of its family (admins only): whoever holds any token of
    /// that sign-in is signed out. Revoking a token already dead succeeds and revokes nothing.
    pub async fn revoke_token_by_id(&self, caller: &Caller, id: Uuid) -> Result<u64, BrokerError> {
        admin_only(caller, "revoke tokens")?;
        let record = self
            .store
            .token(id)
            .await?
            .ok_or_else(|| BrokerError::NotFound {
                what: "token",
                id: id.to_string(),
            })?;
        let revoked = self
            .store
            .revoke_token_family(record.family_id, self.clock.now())
            .await?;
        self.tokens.forget_family(record.family_id);
        tracing::warn!(admin = %caller.name, token = %id, family = %record.family_id, revoked, "an admin revoked a token family");
        let event = self
            .audit_event(caller, "token.revoke", Some(id))
            .detail(format!("the sign-in's {revoked} token(s), by an admin"));
        self.record(vec![event]).await;
        Ok(revoked)
    }

    /// Revokes every token of a user (admins only).
    pub async fn revoke_user_tokens(
        &self,
        caller: &Caller,
        user: &str,
    ) -> Result<u64, BrokerError> {
        admin_only(caller, "revoke tokens")?;
        let account = self.account_named(user).await?;
        let revoked = self
            .store
            .revoke_account_tokens(account.id, self.clock.now())
            .await?;
        self.tokens.forget_account(account.id);
        tracing::warn!(admin = %caller.name, login = %account.name, revoked, "an admin revoked every token of an account");
        let event = self
            .audit_event(caller, "token.revoke", Some(account.id))
            .detail(format!(
                "every token of {} ({revoked}), by an admin",
                account.name
            ));
        self.record(vec![event]).await;
        Ok(revoked)
    }

    async fn account_named(&self, name: &str) -> Result<Account, BrokerError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(BrokerError::invalid(
                "user",
                "must not be empty; give a user name",
            ));
        }
        self.store
            .account_by_name(name)
            .await?
            .ok_or_else(|| BrokerError::NoSuchName {
                what: "user",
                name: name.to_owned(),
            })
    }

    /// A full token for a named account without its secret: only for `pamctl server --dev`,
    /// which signs the local CLI in.
    pub async fn issue_token_for(&self, login: &str) -> Result<IssuedToken, BrokerError> {
        let account =
            self.store
                .account_by_name(login)
                .await?
                .ok_or_else(|| BrokerError::NotFound {
                    what: "account",
                    id: login.to_owned(),
                })?;
        self.issue(&account, TokenStage::Full, None, None).await
    }

    /// Deletes expired tokens, and sign-in failures old enough to be forgotten (the
    /// throttle's rows stay bounded).
    pub async fn purge_expired_tokens(&self) -> Result<u64, BrokerError> {
        let now = self.clock.now();
        self.store
            .purge_sign_in_failures(now - throttle::FORGET_AFTER)
            .await?;
        Ok(self
            .store
            .delete_tokens_expired_before(now - EXPIRED_TOKEN_RETENTION)
            .await?)
    }

    /// Issues a token: in `parent`'s family when it continues one (MFA, refresh), else in a
    /// new family whose absolute lifetime starts now.
    async fn issue(
        &self,
        account: &Account,
        stage: TokenStage,
        from: Option<IpAddr>,
        parent: Option<&TokenRecord>,
    ) -> Result<IssuedToken, BrokerError> {
        let now = self.clock.now();
        let ttl = match stage {
            TokenStage::PreMfa => PRE_MFA_TTL,
            TokenStage::Full => chrono::Duration::from_std(self.settings.token_ttl)
                .unwrap_or(chrono::Duration::hours(8)),
        };
        let id = Uuid::new_v4();
        let (family_id, family_expires_at) = match parent {
            Some(parent) => (parent.family_id, parent.family_expires_at),
            None => (
                id,
                now + chrono::Duration::from_std(self.settings.token_absolute_lifetime)
                    .unwrap_or(chrono::Duration::hours(12)),
            ),
        };
        if family_expires_at <= now {
            return Err(BrokerError::unauthenticated(
                format!(
                    "this sign-in reached its absolute lifetime at {}",
                    family_expires_at.to_rfc3339()
                ),
                Some(SIGN_IN_HINT),
            ));
        }
        let expires_at = (now + ttl).min(family_expires_at);
        let claims = secret::TokenClaims {
            jti: id.to_string(),
            sub: account.id.to_string(),
            unique_name: account.name.clone(),
            iss: "pamctl".to_owned(),
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: expires_at.timestamp(),
            role: account.role.as_str().to_owned(),
            is_mfa: stage == TokenStage::Full,
            is_local_user: true,
        };
        let token = secret::signed_token(&self.settings.token_signing_key.0, &claims)
            .map_err(BrokerError::Internal)?;
        let record = TokenRecord {
            id,
            digest: secret::token_digest(&token),
            account_id: account.id,
            stage,
            created_at: now,
            expires_at,
            revoked_at: None,
            created_from: from.map(|ip| ip.to_string()),
            family_id,
            family_expires_at,
        };
        self.store.insert_token(&record).await?;
        Ok(IssuedToken {
            token,
            stage,
            expires_at: record.expires_at,
        })
    }

    /// Records a second-factor step (audit).
    async fn record_mfa(&self, account: &Account, from: IpAddr, result: &str, detail: &str) {
        self.record_sign_in(
            "sign_in.mfa",
            Some(account.id),
            &account.name,
            from,
            result,
            detail,
        )
        .await;
    }

    async fn token_owner(&self, token: &str) -> Result<(TokenRecord, Account), BrokerError> {
        let digest = secret::token_digest(token.trim());
        if let Some((record, account)) = self.tokens.get(&digest) {
            self.usable(&record)?;
            return Ok((record, account));
        }
        let (record, account) = self
            .store
            .token_with_account(&digest)
            .await?
            .ok_or_else(|| {
                BrokerError::unauthenticated("the token is not valid", Some(SIGN_IN_HINT))
            })?;
        self.usable(&record)?;
        let account = account.ok_or_else(gone_account)?;
        self.tokens.put(digest, record.clone(), account.clone());
        Ok((record, account))
    }

    /// Refuses a revoked or expired token.
    fn usable(&self, record: &TokenRecord) -> Result<(), BrokerError> {
        if record.revoked_at.is_some() {
            return Err(BrokerError::unauthenticated(
                "the token was revoked (signed out)",
                Some(SIGN_IN_HINT),
            ));
        }
        if record.expires_at <= self.clock.now() {
            return Err(BrokerError::unauthenticated(
                format!("the token expired at {}", record.expires_at.to_rfc3339()),
                Some(SIGN_IN_HINT),
            ));
        }
        Ok(())
    }

    async fn live_account(&self, id: Uuid) -> Result<Account, BrokerError> {
        self.store.account(id).await?.ok_or_else(gone_account)
    }
}

fn gone_account() -> BrokerError {
    BrokerError::unauthenticated(
        "the account no longer exists or was disabled",
        Some(SIGN_IN_HINT),
    )
}
