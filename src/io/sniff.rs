//! What a stream holds, judged from its first bytes: standard input has no file name to
//! go by, and reading a JSONL feed as plain text would give the raw JSON back with success.
//!
//! [`sniff`] is the one place that decides. Compressed streams (gzip, zstd) are recognised
//! by their magic bytes, whatever the file is called, and [`decompress`] wraps them in a
//! streaming decoder, so the feed is read (and sniffed) as its decompressed bytes.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::io::feed::InputFormat;

/// Compression formats recognised by their magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Compression {
    /// gzip (`1f 8b`).
    Gzip,
    /// Zstandard (`28 b5 2f fd`).
    Zstd,
}

impl Compression {
    /// The format's usual name.
    pub fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }

    /// The command that decompresses it to standard output.
    pub fn decompress_command(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip -dc",
            Compression::Zstd => "zstd -dc",
        }
    }

    /// The compression a file name's last extension names: `.gz`/`.gzip` and
    /// `.zst`/`.zstd` (any case); outputs are compressed by it.
    pub fn from_extension(path: &Path) -> Option<Compression> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("gz" | "gzip") => Some(Compression::Gzip),
            Some("zst" | "zstd") => Some(Compression::Zstd),
            _ => None,
        }
    }

    /// The compression whose magic bytes start `head`.
    pub fn from_magic(head: &[u8]) -> Option<Compression> {
        if head.starts_with(&[0x1f, 0x8b]) {
            Some(Compression::Gzip)
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Some(Compression::Zstd)
        } else {
            None
        }
    }
}

/// `path` without its compression extension (`feed.jsonl.gz` → `feed.jsonl`); other paths
/// as they are.
pub fn without_compression_extension(path: &Path) -> PathBuf {
    match Compression::from_extension(path) {
        Some(_) => path.with_extension(""),
        None => path.to_path_buf(),
    }
}

/// Looks at the first bytes of `reader` and, when they are gzip or zstd magic, wraps it in
/// a streaming decoder (concatenated gzip members and zstd frames are all read). Returns
/// the compression found and a reader that gives the (decompressed) stream from its
/// start. Errors of the compressed data say that it is corrupt or truncated.
pub fn decompress(
    mut reader: Box<dyn Read + Send>,
) -> io::Result<(Option<Compression>, Box<dyn Read + Send>)> {
    let mut head = [0u8; 4];
    let mut len = 0;
    while len < head.len() {
        match reader.read(&mut head[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let head = head[..len].to_vec();
    let compression = Compression::from_magic(&head);
    let whole: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(reader));
    let Some(compression) = compression else {
        return Ok((None, whole));
    };
    let source_failed = Arc::new(AtomicBool::new(false));
    let source = Source {
        inner: whole,
        failed: source_failed.clone(),
    };
    let decoder: Box<dyn Read + Send> = match compression {
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(source)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::new(source)?),
    };
    Ok((
        Some(compression),
        Box::new(Decoding {
            inner: decoder,
            compression,
            source_failed,
        }),
    ))
}

/// The compressed bytes under a decoder; notes when reading them failed, so that the
/// decoder's errors can be told from the file's own.
struct Source {
    inner: Box<dyn Read + Send>,
    failed: Arc<AtomicBool>,
}

impl Read for Source {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).inspect_err(|e| {
            if e.kind() != io::ErrorKind::Interrupted {
                self.failed.store(true, Ordering::Relaxed);
            }
        })
    }
}

/// A decoder whose errors say that the compressed data is corrupt or truncated (errors
/// reading the underlying file pass through as they are).
struct Decoding {
    inner: Box<dyn Read + Send>,
    compression: Compression,
    source_failed: Arc<AtomicBool>,
}

impl Read for Decoding {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            if e.kind() == io::ErrorKind::Interrupted
                || self.source_failed.swap(false, Ordering::Relaxed)
            {
                return e;
            }
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the {name} data is corrupt or truncated ({e})",
                    name = self.compression.name()
                ),
            )
        })
    }
}

/// What the first bytes of a stream say it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// A feed in this format.
    Format(InputFormat),
    /// A compressed stream.
    Compressed(Compression),
}

/// The first (and last) four bytes of a Parquet file.
pub const PARQUET_MAGIC: &[u8; 4] = b"PAR1";

/// How many bytes [`peek`] reads at most to find the first non-blank line.
pub const PEEK_LIMIT: usize = 1 << 20;

/// Judges a stream by `head`, its first bytes: `complete` says whether `head` is the whole
/// stream. Compression magic comes first, then Parquet's; then JSONL when the first non-blank line is a
/// JSON object (or looks like one: `{…}`, or cut off by the end of `head`), CSV when the
/// first non-blank line is a comma-separated header with a `text` column, else text.
pub fn sniff(head: &[u8], complete: bool) -> Sniffed {
    if let Some(compression) = Compression::from_magic(head) {
        return Sniffed::Compressed(compression);
    }
    if head.starts_with(PARQUET_MAGIC) {
        return Sniffed::Format(InputFormat::Parquet);
    }
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let mut lines = head.split(|b| *b == b'\n');
    let Some(first) = lines.find(|l| !l.iter().all(u8::is_ascii_whitespace)) else {
        return Sniffed::Format(InputFormat::Text);
    };
    // The line is cut off when no newline follows it within `head` and there is more.
    let cut_off = !complete && first.as_ptr_range().end == head.as_ptr_range().end;
    let line = first.trim_ascii();
    if line.starts_with(b"{") {
        let json = match serde_json::from_slice::<serde_json::Value>(line) {
            Ok(value) => value.is_object(),
            Err(e) => (e.is_eof() && cut_off) || line.ends_with(b"}"),
        };
        if json {
            return Sniffed::Format(InputFormat::Jsonl);
        }
    }
    if !cut_off && is_csv_header(line) {
        return Sniffed::Format(InputFormat::Csv);
    }
    Sniffed::Format(InputFormat::Text)
}

/// A comma-separated header row with a `text` column (names may be quoted).
fn is_csv_header(line: &[u8]) -> bool {
    line.split(|b| *b == b',').any(|field| {
        let field = field.trim_ascii();
        let field = field
            .strip_prefix(b"\"")
            .and_then(|f| f.strip_suffix(b"\""))
            .unwrap_or(field);
        field == b"text"
    })
}

/// Reads the first bytes of `reader`, enough to [`sniff`] it: up to the end of the first
/// non-blank line, [`PEEK_LIMIT`] bytes, or the end of the stream. Returns them, whether
/// they are the whole stream, and a reader that gives the stream from its start.
pub fn peek<R: Read + Send + 'static>(
    mut reader: R,
) -> io::Result<(Vec<u8>, bool, Box<dyn Read + Send>)> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 8192];
    let mut complete = false;
    // Whether `head` holds a whole non-blank line, rechecked only when a newline comes.
    let mut line = false;
    while !(line && head.len() >= 4) && head.len() < PEEK_LIMIT {
        match reader.read(&mut chunk) {
            Ok(0) => {
                complete = true;
                break;
            }
            Ok(n) => {
                head.extend_from_slice(&chunk[..n]);
                line = line || (chunk[..n].contains(&b'\n') && has_line(&head));
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let rest: Box<dyn Read + Send> = Box::new(io::Cursor::new(head.clone()).chain(reader));
    Ok((head, complete, rest))
}

/// True when `head` holds a whole non-blank line.
fn has_line(head: &[u8]) -> bool {
    head.split_inclusive(|b| *b == b'\n')
        .any(|l| l.ends_with(b"\n") && !l.iter().all(u8::is_ascii_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(head: &str, complete: bool) -> Sniffed {
        sniff(head.as_bytes(), complete)
    }

    #[test]
    fn magic_bytes_are_compression() {
        assert_eq!(
            sniff(b"\x1f\x8b\x08\x00", false),
            Sniffed::Compressed(Compression::Gzip)
        );
        assert_eq!(
            sniff(b"\x28\xb5\x2f\xfd\x00", false),
            Sniffed::Compressed(Compression::Zstd)
        );
    }

    #[test]
    fn json_objects_csv_headers_and_text() {
        use InputFormat::*;
        let f = |h, c| match format(h, c) {
            Sniffed::Format(f) => f,
            other => panic!("{other:?}"),
        };
        assert_eq!(f("\n  {\"text\": \"a\"}\n{", false), Jsonl);
        assert_eq!(f("\u{feff}{\"text\": \"a\"}", true), Jsonl);
        // A long first record cut off by the peek is still JSON.
        assert_eq!(f("{\"text\": \"aaaa", false), Jsonl);
        // A broken first record is still a JSON line: reported, not printed back as text.
        assert_eq!(f("{\"text\": bad}\n", false), Jsonl);
        assert_eq!(f("[1, 2]\n", false), Text);
        assert_eq!(f("{Editor's note: this is text\n", false), Text);
        assert_eq!(f("doc_id,position,text\na,0,x\n", false), Csv);
        assert_eq!(f("\"doc_id\",\"text\"\r\n", false), Csv);
        assert_eq!(f("text\n", true), Csv);
        assert_eq!(f("The text, as it came.\n\nMore.\n", false), Text);
        assert_eq!(f("", true), Text);
        assert_eq!(f("Hello", true), Text);
        assert_eq!(f("PAR1\u{15}\u{4}", false), Parquet);
    }

    #[test]
    fn peek_reads_to_the_first_line_and_gives_everything_back() {
        // A reader that hands out one byte per read, like a slow pipe.
        struct Trickle(Vec<u8>, usize);
        impl Read for Trickle {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let Some(b) = self.0.get(self.1) else {
                    return Ok(0);
                };
                buf[0] = *b;
                self.1 += 1;
                Ok(1)
            }
        }
        let input = b"\n{\"text\": \"a\"}\n{\"text\": \"b\"}\n".to_vec();
        let (head, complete, mut rest) = peek(Trickle(input.clone(), 0)).unwrap();
        assert_eq!(head, b"\n{\"text\": \"a\"}\n");
        assert!(!complete);
        let mut all = Vec::new();
        rest.read_to_end(&mut all).unwrap();
        assert_eq!(all, input);
        let (head, complete, _) = peek(&b"ab"[..]).unwrap();
        assert_eq!((head.as_slice(), complete), (&b"ab"[..], true));
    }
}
