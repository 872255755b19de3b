use std::fmt::Write as _;
use std::path::PathBuf;

/// A temporary AWS config and credentials file pair, never the user's own.
pub struct AwsFiles {
    pub dir: tempfile::TempDir,
    config: String,
    credentials: String,
}

impl Default for AwsFiles {
    fn default() -> Self {
        Self::new()
    }
}

impl AwsFiles {
    pub fn new() -> Self {
        AwsFiles { dir: tempfile::tempdir().unwrap(), config: String::new(), credentials: String::new() }
    }

    /// A profile with static keys pointing at `endpoint` (a moto server).
    pub fn static_profile(&mut self, name: &str, endpoint: &str, region: &str) -> &mut Self {
        writeln!(self.config, "[profile {name}]\nregion = {region}\nendpoint_url = {endpoint}\n").unwrap();
        writeln!(
            self.credentials,
            "[{name}]\naws_access_key_id = AKIATESTING{n:0>9}\naws_secret_access_key = testing-secret\n",
            n = name.len()
        )
        .unwrap();
        self
    }

    /// Adds raw text to the config file (other kinds of profile, broken lines).
    pub fn config_text(&mut self, text: &str) -> &mut Self {
        self.config.push_str(text);
        self.config.push('\n');
        self
    }

    pub fn credentials_text(&mut self, text: &str) -> &mut Self {
        self.credentials.push_str(text);
        self.credentials.push('\n');
        self
    }

    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    pub fn credentials_path(&self) -> PathBuf {
        self.dir.path().join("credentials")
    }

    /// Writes both files and returns their paths (config, credentials).
    pub fn write(&self) -> (PathBuf, PathBuf) {
        std::fs::write(self.config_path(), &self.config).unwrap();
        std::fs::write(self.credentials_path(), &self.credentials).unwrap();
        (self.config_path(), self.credentials_path())
    }
}
