//! The API key in the real OS keychain (Secret Service on Linux) where one answers, and the
//! fallback to `REHEARSE_LLM_API_KEY` where none does. `scripts/lib/keychain.sh` runs this under
//! a private D-Bus session with gnome-keyring, and sets REHEARSE_REQUIRE_KEYCHAIN=1 so that a
//! keychain that should be there and is not fails the test instead of testing the fallback.

use rehearse_core::ApiKeySource;
use rehearse_engine::{
    resolve_api_key, store_api_key, OsKeychain, SecretError, SecretStore, API_KEY_VAR,
};

fn env_with(key: &'static str) -> impl Fn(&str) -> Option<String> {
    move |k| (k == API_KEY_VAR).then(|| key.to_string())
}

#[test]
fn the_os_keychain_or_the_environment_holds_the_key() {
    let user = format!("test-{}", uuid_like());
    let keychain = OsKeychain::new("rehearse-test", &user);
    let require = std::env::var("REHEARSE_REQUIRE_KEYCHAIN").is_ok_and(|v| v == "1");
    match keychain.get() {
        Ok(before) => {
            assert_eq!(before, None, "a fresh entry holds nothing");
            store_api_key(&keychain, " sk-test-keychain-3141 ").expect("store in the keychain");
            assert_eq!(
                keychain.get().unwrap().as_deref(),
                Some("sk-test-keychain-3141")
            );
            // The keychain wins over the environment.
            let (key, status) = resolve_api_key(&keychain, env_with("sk-env-2718"));
            assert_eq!(key.as_deref(), Some("sk-test-keychain-3141"));
            assert_eq!(status.source, ApiKeySource::Keychain);
            assert!(status.keychain_available);
            // Cleared: the environment is used again.
            keychain.delete().unwrap();
            keychain.delete().expect("deleting twice is fine");
            assert_eq!(keychain.get().unwrap(), None);
            let (key, status) = resolve_api_key(&keychain, env_with("sk-env-2718"));
            assert_eq!(key.as_deref(), Some("sk-env-2718"));
            assert_eq!(status.source, ApiKeySource::Environment);
            eprintln!("keychain: the OS keychain answered (set, read, cleared)");
        }
        Err(e) => {
            assert!(
                !require,
                "REHEARSE_REQUIRE_KEYCHAIN=1 but the keychain failed: {e}"
            );
            assert!(matches!(e, SecretError::Unavailable(_)), "{e}");
            // No keychain: the key comes from the environment, and the UI is told why.
            let (key, status) = resolve_api_key(&keychain, env_with("sk-env-2718"));
            assert_eq!(key.as_deref(), Some("sk-env-2718"));
            assert_eq!(status.source, ApiKeySource::Environment);
            assert!(!status.keychain_available);
            assert!(status.keychain_message.unwrap().contains(API_KEY_VAR));
            let err = store_api_key(&keychain, "sk-env-2718")
                .unwrap_err()
                .to_string();
            assert!(!err.contains("sk-env-2718"), "{err}");
            eprintln!("keychain: none here ({e}); tested the environment fallback");
        }
    }
}

fn uuid_like() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    )
}
