//! The LLM API key: in the OS keychain (Secret Service on Linux, the `keyring` crate) where
//! one answers, else `REHEARSE_LLM_API_KEY`. Never in the settings file, logs, prompts,
//! errors or exports: this module hands the key only to the LLM client, and its errors and
//! `Debug` output never contain it.

use rehearse_core::{ApiKeySource, ApiKeyStatus};

/// The environment variable that holds the key where there is no keychain.
pub const API_KEY_VAR: &str = "REHEARSE_LLM_API_KEY";
const KEYCHAIN_SERVICE: &str = "rehearse";
const KEYCHAIN_USER: &str = "llm-api-key";

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// No keychain answers on this machine (no Secret Service running, locked, ...).
    #[error("the OS keychain cannot be used here ({0}); set the key in the REHEARSE_LLM_API_KEY environment variable instead")]
    Unavailable(String),
    #[error("the keychain refused: {0}")]
    Refused(String),
}

/// Where a secret can be kept; the real one is [`OsKeychain`].
pub trait SecretStore: Send + Sync {
    /// None when no key is stored.
    fn get(&self) -> Result<Option<String>, SecretError>;
    fn set(&self, secret: &str) -> Result<(), SecretError>;
    /// Succeeds when there was nothing to delete.
    fn delete(&self) -> Result<(), SecretError>;
}

/// The OS keychain through the `keyring` crate.
pub struct OsKeychain {
    service: String,
    user: String,
}

impl OsKeychain {
    /// The entry Rehearse keeps its LLM API key in.
    pub fn for_llm_key() -> Self {
        Self::new(KEYCHAIN_SERVICE, KEYCHAIN_USER)
    }

    /// Another entry (tests use their own, so they never touch a user's key).
    pub fn new(service: &str, user: &str) -> Self {
        OsKeychain {
            service: service.to_string(),
            user: user.to_string(),
        }
    }

    fn entry(&self) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(&self.service, &self.user).map_err(map_keyring_error)
    }
}

impl SecretStore for OsKeychain {
    fn get(&self) -> Result<Option<String>, SecretError> {
        match self.entry()?.get_password() {
            Ok(s) => Ok(Some(s)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring_error(e)),
        }
    }

    fn set(&self, secret: &str) -> Result<(), SecretError> {
        self.entry()?
            .set_password(secret)
            .map_err(map_keyring_error)
    }

    fn delete(&self) -> Result<(), SecretError> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring_error(e)),
        }
    }
}

/// keyring's errors describe the platform, never the secret; kept short for the UI.
fn map_keyring_error(e: keyring::Error) -> SecretError {
    match e {
        keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) => {
            SecretError::Unavailable(first_line(&inner.to_string()))
        }
        other => SecretError::Refused(first_line(&other.to_string())),
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().to_string()
}

/// The key and where it came from: the keychain first, then the environment (`var`).
/// A keychain that cannot be reached is not an error: the environment is the fallback.
pub fn resolve_api_key(
    keychain: &dyn SecretStore,
    var: impl Fn(&str) -> Option<String>,
) -> (Option<String>, ApiKeyStatus) {
    let (from_keychain, keychain_available, keychain_message) = match keychain.get() {
        Ok(k) => (k.filter(|k| !k.trim().is_empty()), true, None),
        Err(e) => {
            tracing::info!(reason = %e, "no keychain: the LLM API key can only come from the environment");
            (None, false, Some(e.to_string()))
        }
    };
    let from_env = var(API_KEY_VAR)
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty());
    let (key, source) = match (from_keychain, from_env) {
        (Some(k), _) => (Some(k), ApiKeySource::Keychain),
        (None, Some(k)) => (Some(k), ApiKeySource::Environment),
        (None, None) => (None, ApiKeySource::None),
    };
    (
        key,
        ApiKeyStatus {
            source,
            keychain_available,
            keychain_message,
        },
    )
}

/// Stores a key in the keychain (trimmed); an empty key is refused rather than stored.
pub fn store_api_key(keychain: &dyn SecretStore, key: &str) -> Result<(), SecretError> {
    let key = key.trim();
    if key.is_empty() {
        return Err(SecretError::Refused("the key is empty".into()));
    }
    keychain.set(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A keychain in memory, or one that is not there at all.
    struct FakeKeychain(Option<Mutex<Option<String>>>);

    impl SecretStore for FakeKeychain {
        fn get(&self) -> Result<Option<String>, SecretError> {
            match &self.0 {
                Some(m) => Ok(m.lock().unwrap().clone()),
                None => Err(SecretError::Unavailable("no Secret Service".into())),
            }
        }
        fn set(&self, s: &str) -> Result<(), SecretError> {
            match &self.0 {
                Some(m) => {
                    *m.lock().unwrap() = Some(s.to_string());
                    Ok(())
                }
                None => Err(SecretError::Unavailable("no Secret Service".into())),
            }
        }
        fn delete(&self) -> Result<(), SecretError> {
            match &self.0 {
                Some(m) => {
                    *m.lock().unwrap() = None;
                    Ok(())
                }
                None => Err(SecretError::Unavailable("no Secret Service".into())),
            }
        }
    }

    fn env(key: Option<&'static str>) -> impl Fn(&str) -> Option<String> {
        move |k| (k == API_KEY_VAR).then(|| key.map(String::from)).flatten()
    }

    #[test]
    fn keychain_first_then_environment_then_none() {
        let kc = FakeKeychain(Some(Mutex::new(None)));
        let (k, st) = resolve_api_key(&kc, env(Some(" sk-env ")));
        assert_eq!(
            (k.as_deref(), st.source, st.keychain_available),
            (Some("sk-env"), ApiKeySource::Environment, true)
        );
        store_api_key(&kc, "sk-chain").unwrap();
        let (k, st) = resolve_api_key(&kc, env(Some("sk-env")));
        assert_eq!(
            (k.as_deref(), st.source),
            (Some("sk-chain"), ApiKeySource::Keychain)
        );
        kc.delete().unwrap();
        let (k, st) = resolve_api_key(&kc, env(None));
        assert_eq!((k, st.source), (None, ApiKeySource::None));
        assert!(store_api_key(&kc, "  ").is_err());
    }

    #[test]
    fn no_keychain_falls_back_to_the_environment_and_says_why() {
        let kc = FakeKeychain(None);
        let (k, st) = resolve_api_key(&kc, env(Some("sk-env-only")));
        assert_eq!(k.as_deref(), Some("sk-env-only"));
        assert_eq!(st.source, ApiKeySource::Environment);
        assert!(!st.keychain_available);
        let why = st.keychain_message.unwrap();
        assert!(why.contains("REHEARSE_LLM_API_KEY"), "{why}");
        let err = store_api_key(&kc, "sk-env-only").unwrap_err().to_string();
        assert!(
            !err.contains("sk-env-only") && err.contains("REHEARSE_LLM_API_KEY"),
            "{err}"
        );
    }
}
