//! The two secrets a target handles: the password it hands to a session, and its own admin
//! password, which configuration names by where it lives and never by its value.

use std::fmt;

use rand::Rng;
use rand::distributions::Alphanumeric;
use rand::rngs::OsRng;
use secrecy::{ExposeSecret, SecretString};

use super::TargetError;

/// Length of a generated password: letters and digits only, so that it survives copying,
/// shells and connection strings, and about 190 bits all the same.
const GENERATED_LENGTH: usize = 32;

/// A password that never prints: `Debug` and `Display` show `***`, and its memory is wiped
/// when it is dropped. Only [`Password::expose`] gives the text, so every place that reveals
/// it is one a reviewer can find.
#[derive(Clone)]
pub struct Password(SecretString);

impl Password {
    pub fn new(text: impl Into<String>) -> Self {
        Self(SecretString::from(text.into()))
    }

    /// A new random password for a session.
    pub fn generate() -> Self {
        let text: String = OsRng
            .sample_iter(&Alphanumeric)
            .take(GENERATED_LENGTH)
            .map(char::from)
            .collect();
        Self::new(text)
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

impl fmt::Display for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Where a password lives: `file:PATH` (its first line) or `env:NAME`. The password itself
/// is refused, so that it stays out of configuration files and command lines; the source is
/// no secret and may be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    File(std::path::PathBuf),
    Env(String),
}

impl SecretSource {
    pub fn parse(source: &str) -> Result<Self, TargetError> {
        if let Some(path) = source.strip_prefix("file:") {
            Ok(Self::File(path.into()))
        } else if let Some(name) = source.strip_prefix("env:") {
            Ok(Self::Env(name.to_owned()))
        } else {
            // Never repeat `source`: it may be the password, written where it should not be.
            Err(TargetError::Secret(
                "write file:PATH or env:NAME, not the password itself".to_owned(),
            ))
        }
    }

    /// Reads the password now, so that a rotated file or variable is picked up at the next
    /// connection.
    pub fn read(&self) -> Result<Password, TargetError> {
        match self {
            Self::File(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    TargetError::Secret(format!("cannot read the file {}: {e}", path.display()))
                })?;
                let password = text.lines().next().unwrap_or("");
                if password.is_empty() {
                    return Err(TargetError::Secret(format!(
                        "the file {} is empty",
                        path.display()
                    )));
                }
                Ok(Password::new(password))
            }
            Self::Env(name) => match std::env::var(name) {
                Ok(password) if !password.is_empty() => Ok(Password::new(password)),
                _ => Err(TargetError::Secret(format!(
                    "the environment variable {name} is not set"
                ))),
            },
        }
    }
}

impl fmt::Display for SecretSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File(path) => write!(f, "file:{}", path.display()),
            Self::Env(name) => write!(f, "env:{name}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_prints() {
        let password = Password::new("hunter2-very-secret");
        assert_eq!(format!("{password:?}"), "Password(***)");
        assert_eq!(format!("{password}"), "***");
        assert_eq!(password.expose(), "hunter2-very-secret");
    }

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let one = Password::generate();
        let two = Password::generate();
        assert!(one.expose().len() >= 24);
        assert!(one.expose().chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(one.expose(), two.expose());
    }

    #[test]
    fn a_source_is_a_file_or_a_variable_never_the_password() {
        let error = SecretSource::parse("hunter2").unwrap_err();
        assert!(!error.to_string().contains("hunter2"));
        assert_eq!(
            SecretSource::parse("env:PG_ADMIN").unwrap(),
            SecretSource::Env("PG_ADMIN".to_owned())
        );
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), "s3cret-from-file\nignored\n").unwrap();
        let source = SecretSource::parse(&format!("file:{}", file.path().display())).unwrap();
        assert_eq!(source.read().unwrap().expose(), "s3cret-from-file");
        let missing = SecretSource::Env("PAMCTL_TARGETS_TEST_UNSET_VARIABLE".to_owned());
        assert!(missing.read().unwrap_err().to_string().contains("not set"));
    }
}
