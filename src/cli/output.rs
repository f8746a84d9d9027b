//! Where a command's results go: standard output, or a file written atomically (gzip- or
//! zstd-compressed when its name ends in `.gz` or `.zst`).

use std::io::{self, Write};
use std::path::Path;

use chaff::io::sniff::Compression;
use chaff::io::{Compressor, OutputFile};
use chaff::{Error, Result};

/// Standard output, or a file that appears at its path only when the command succeeds.
pub enum Output {
    /// Buffered standard output (never compressed).
    Stdout(io::BufWriter<io::Stdout>),
    /// A file written through a temp file and renamed into place, compressed as its
    /// extension says.
    File(Box<Compressor<OutputFile>>),
}

impl Output {
    /// `path`, or standard output when `None`.
    pub fn open(path: Option<&Path>) -> Result<Output> {
        Ok(match path {
            Some(p) => {
                let file = OutputFile::create(p)?;
                Output::File(Box::new(
                    Compressor::new(file, Compression::from_extension(p))
                        .map_err(|e| Error::io(p, e))?,
                ))
            }
            None => Output::Stdout(io::BufWriter::with_capacity(1 << 16, io::stdout())),
        })
    }

    /// How the output is named in messages.
    pub fn name(&self) -> String {
        match self {
            Output::Stdout(_) => "<stdout>".into(),
            Output::File(f) => f.get_ref().path().display().to_string(),
        }
    }

    /// Flushes standard output, or ends the compressed stream and commits the file.
    pub fn finish(self) -> Result<()> {
        match self {
            Output::Stdout(mut w) => w.flush().map_err(|e| Error::io("<stdout>", e)),
            Output::File(f) => {
                let name = f.get_ref().path().to_path_buf();
                f.finish().map_err(|e| Error::io(&name, e))?.commit()
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::File(f) => f.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::File(f) => f.flush(),
        }
    }
}

/// Writes `text` to standard output, naming it in the error.
pub fn print(text: &str) -> Result<()> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| Error::io("<stdout>", e))
}

/// Writes a CSV file atomically: `rows` writes the records, and the file appears only when
/// all of them were written.
pub fn write_csv(
    path: &Path,
    rows: impl FnOnce(&mut csv::Writer<&mut OutputFile>) -> csv::Result<()>,
) -> Result<()> {
    let mut out = OutputFile::create(path)?;
    let mut w = csv::Writer::from_writer(&mut out);
    rows(&mut w)
        .and_then(|()| w.flush().map_err(csv::Error::from))
        .map_err(|e| Error::io(path, e.into()))?;
    drop(w);
    out.commit()
}
