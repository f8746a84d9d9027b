//! Errors that name the file, line or record and the problem, so a user can fix bad input.

use std::fmt;
use std::io;
use std::path::Path;

/// Everything that can go wrong in chaff; each variant says where.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file (`<stdin>`, `<stdout>` for the standard streams).
        path: String,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// Input that chaff cannot read: the location names the file and line or record.
    #[error("{location}: {message}")]
    Input {
        /// Where the bad input is.
        location: Location,
        /// What is wrong with it.
        message: String,
    },
    /// A model file that cannot be loaded.
    #[error("{path}: {message}")]
    Model {
        /// The file, or how the built-in model is named.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// Arguments or settings that are out of range or do not fit together.
    #[error("{0}")]
    Usage(String),
    /// Data that is well formed but cannot serve: no rows to train on, a single label,
    /// labels the model does not know, too few groups for the folds asked.
    #[error("{0}")]
    Data(String),
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl AsRef<Path>, source: io::Error) -> Self {
        Error::Io {
            path: display_path(path.as_ref()),
            source,
        }
    }

    /// Bad input at `location`.
    pub fn input(location: Location, message: impl Into<String>) -> Self {
        Error::Input {
            location,
            message: message.into(),
        }
    }

    /// True when the error is a closed output pipe (`chaff tag | head`): not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// Shorthand used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in the input a problem is: a file and, when known, a line and a record number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as shown in messages.
    pub path: String,
    /// The 1-based line, when known.
    pub line: Option<u64>,
    /// The 1-based record (article or row) number, when known.
    pub record: Option<u64>,
}

impl Location {
    /// A whole file.
    pub fn file(path: impl AsRef<Path>) -> Self {
        Location {
            path: display_path(path.as_ref()),
            line: None,
            record: None,
        }
    }

    /// A line of a file (1-based).
    pub fn line(path: impl AsRef<Path>, line: u64) -> Self {
        Location {
            line: Some(line),
            ..Location::file(path)
        }
    }

    /// A record of a file without lines, such as a Parquet row (1-based).
    pub fn row(path: impl AsRef<Path>, record: u64) -> Self {
        Location {
            record: Some(record),
            ..Location::file(path)
        }
    }

    /// A record of a file (1-based) that starts on `line`.
    pub fn record(path: impl AsRef<Path>, record: u64, line: u64) -> Self {
        Location {
            line: Some(line),
            record: Some(record),
            ..Location::file(path)
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(record) = self.record {
            write!(f, " (record {record})")?;
        }
        Ok(())
    }
}

/// Something worth knowing that did not stop the work: a skipped row, a rare label, a
/// fallback taken. Displays as its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning(String);

impl Warning {
    /// A warning saying `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Warning(message.into())
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a path is shown in messages: `-` means standard input.
pub(crate) fn display_path(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_names_file_line_and_record() {
        assert_eq!(Location::file("a.csv").to_string(), "a.csv");
        assert_eq!(Location::line("a.csv", 3).to_string(), "a.csv:3");
        assert_eq!(
            Location::record("a.jsonl", 2, 5).to_string(),
            "a.jsonl:5 (record 2)"
        );
        assert_eq!(Location::line("-", 1).to_string(), "<stdin>:1");
    }

    #[test]
    fn broken_pipe_is_recognised() {
        let e = Error::io("-", io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(e.is_broken_pipe());
        let e = Error::io("-", io::Error::from(io::ErrorKind::NotFound));
        assert!(!e.is_broken_pipe());
    }
}
