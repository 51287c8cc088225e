//! Saved logins: `$XDG_CONFIG_HOME/pamctl/config.toml`, mode 0600. A profile holds a server, a
//! token and TLS settings; never a password.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("no configuration directory: set HOME or XDG_CONFIG_HOME")]
    NoConfigDir,
    #[error("cannot read {path}: {message}")]
    Read { path: String, message: String },
    #[error("cannot write {path}: {message}")]
    Write { path: String, message: String },
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Profile {
    pub server: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_obtained: Option<DateTime<Utc>>,
    /// When the token expires, as the server said at login (Privilege Secure does not say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_expires: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_cert: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProfileFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

impl ProfileFile {
    pub fn path() -> Result<PathBuf, ProfileError> {
        dirs::config_dir()
            .map(|dir| dir.join("pamctl").join("config.toml"))
            .ok_or(ProfileError::NoConfigDir)
    }

    pub fn load() -> Result<Self, ProfileError> {
        Self::load_from(&Self::path()?)
    }

    pub fn load_from(path: &Path) -> Result<Self, ProfileError> {
        let read_error = |message: String| ProfileError::Read {
            path: path.display().to_string(),
            message,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| read_error(e.message().to_owned())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(read_error(e.to_string())),
        }
    }

    pub fn save(&self) -> Result<PathBuf, ProfileError> {
        let path = Self::path()?;
        self.save_to(&path)?;
        Ok(path)
    }

    /// Writes a temporary file with mode 0600 and renames it over the old one, so the file is
    /// never readable by others and never half-written.
    pub fn save_to(&self, path: &Path) -> Result<(), ProfileError> {
        let write_error = |message: String| ProfileError::Write {
            path: path.display().to_string(),
            message,
        };
        let dir = path
            .parent()
            .ok_or_else(|| write_error("no parent directory".to_owned()))?;
        create_private_dir(dir).map_err(|e| write_error(e.to_string()))?;
        let text = toml::to_string_pretty(self).map_err(|e| write_error(e.to_string()))?;
        let temp = dir.join(format!(".config.toml.{}", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options
            .open(&temp)
            .map_err(|e| write_error(e.to_string()))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| write_error(e.to_string()))?;
        std::fs::rename(&temp, path).map_err(|e| write_error(e.to_string()))
    }

    /// The profile a command uses: the one named, or the current one.
    pub fn selected(&self, name: Option<&str>) -> Option<(&str, &Profile)> {
        let name = name.or(self.current.as_deref())?;
        self.profiles
            .get_key_value(name)
            .map(|(k, v)| (k.as_str(), v))
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}
