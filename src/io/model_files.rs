//! Model files on disk: loading and atomic saving. The envelope and payload are
//! [`crate::model`]'s; this is only where the bytes come from and go to.

use std::path::Path;

use crate::error::{display_path, Result};
use crate::io::atomic::write_atomically;
use crate::io::read_file;
use crate::model::Model;

impl Model {
    /// Loads a model file; errors name the file and say whether it is missing, truncated,
    /// corrupt, foreign or of a newer format.
    pub fn load(path: &Path) -> Result<Model> {
        let bytes = read_file(path)?;
        Model::from_bytes(&bytes, &display_path(path))
    }

    /// Loads `path`, or the built-in model when `path` is `None`.
    pub fn load_or_builtin(path: Option<&Path>) -> Result<Model> {
        match path {
            Some(p) => Model::load(p),
            None => Model::builtin(),
        }
    }

    /// Writes the model file atomically (temp file and rename): an interrupted save leaves
    /// the previous file as it was.
    pub fn save(&self, path: &Path) -> Result<()> {
        write_atomically(path, &self.to_bytes())
    }
}
