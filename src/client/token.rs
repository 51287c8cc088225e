//! Where a token comes from: `--token`/`PAMCTL_TOKEN` may hold the token itself, `file:PATH`
//! or `env:NAME`, so that a secret need not sit in argv where `ps` shows it.

#[derive(Debug, thiserror::Error)]
pub enum TokenSourceError {
    #[error("cannot read the token file {path}: {message}")]
    File { path: String, message: String },
    #[error("the environment variable {0} named by --token env:{0} is not set or empty")]
    Env(String),
    #[error("the token is empty")]
    Empty,
}

pub fn resolve(source: &str) -> Result<String, TokenSourceError> {
    let token = if let Some(path) = source.strip_prefix("file:") {
        std::fs::read_to_string(path).map_err(|e| TokenSourceError::File {
            path: path.to_owned(),
            message: e.to_string(),
        })?
    } else if let Some(name) = source.strip_prefix("env:") {
        std::env::var(name).map_err(|_| TokenSourceError::Env(name.to_owned()))?
    } else {
        source.to_owned()
    };
    let token = token.trim().to_owned();
    if token.is_empty() {
        return Err(match source.strip_prefix("env:") {
            Some(name) => TokenSourceError::Env(name.to_owned()),
            None => TokenSourceError::Empty,
        });
    }
    Ok(token)
}
