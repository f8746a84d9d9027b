//! Reading articles to tag: plain text (one article per file), JSONL (one article per line)
//! and CSV (one paragraph per row, rows grouped by `doc_id`). Readers stream: memory holds
//! one article (or one CSV document) at a time, however large the input.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::article::{Article, Paragraph};
use crate::error::{display_path, Error, Location, Result};
use crate::io::csv_text::csv_error;
use crate::io::csv_text::CrlfToLf;
use crate::io::decode::{decode_windows_1252, Windows1252Reader};
use crate::io::sniff::{self, Sniffed};
use crate::io::utf8::{bad_byte_from, invalid_utf8, BadBytes, Utf8Watch};
use crate::text::paragraphs::split_paragraphs;

/// The shape of an input feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// One article per file, paragraphs separated by blank lines.
    Text,
    /// One JSON object per line.
    Jsonl,
    /// One paragraph per row, with `text` and optional `doc_id` and `position` columns.
    Csv,
    /// One article per row of a Parquet file (cargo feature `parquet`), its text in a
    /// string column; read from a file by path, never a pipe.
    Parquet,
}

impl InputFormat {
    /// The format a file name implies: `.jsonl`/`.ndjson`/`.json`, `.csv` and
    /// `.parquet`/`.pq`, else text.
    pub fn from_path(path: &Path) -> InputFormat {
        InputFormat::from_extension(path).unwrap_or(InputFormat::Text)
    }

    /// The format a file name's extension names, if any: `.jsonl`/`.ndjson`/`.json`,
    /// `.csv`, `.parquet`/`.pq`, `.txt`/`.text`.
    pub fn from_extension(path: &Path) -> Option<InputFormat> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("jsonl" | "ndjson" | "json") => Some(InputFormat::Jsonl),
            Some("csv") => Some(InputFormat::Csv),
            Some("parquet" | "pq") => Some(InputFormat::Parquet),
            Some("txt" | "text") => Some(InputFormat::Text),
            _ => None,
        }
    }
}

/// How the bytes of a feed encode its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextEncoding {
    /// UTF-8 (the default): any other byte sequence is an error naming its offset.
    #[default]
    Utf8,
    /// Windows-1252, the superset of Latin-1 (ISO-8859-1) that web pages labelled Latin-1
    /// actually use; decoded to UTF-8 as the feed streams in.
    Windows1252,
}

/// How to read feeds.
#[derive(Debug, Clone)]
pub struct FeedSettings {
    /// `None` chooses by file extension; standard input is sniffed (see
    /// [`crate::io::sniff::sniff`]).
    pub format: Option<InputFormat>,
    /// How the input's bytes encode text.
    pub encoding: TextEncoding,
    /// JSONL field holding the article text (a string, or an array of paragraph strings).
    pub text_field: String,
    /// JSONL field holding the article id.
    pub id_field: String,
    /// When set, every byte read from the inputs is added here (for progress and ETA).
    pub bytes_read: Option<Arc<AtomicU64>>,
}

impl Default for FeedSettings {
    fn default() -> Self {
        FeedSettings {
            format: None,
            encoding: TextEncoding::Utf8,
            text_field: "text".into(),
            id_field: "id".into(),
            bytes_read: None,
        }
    }
}

/// Where an article came from, kept so `clean` can write it back in its own shape.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// A plain-text file.
    Text,
    /// A JSONL object; the text field is replaced on output, other fields stay as they are.
    Json {
        /// The whole JSON object as read.
        object: Map<String, Value>,
        /// The field the text was read from.
        text_field: String,
        /// The text field held an array of paragraphs rather than one string.
        was_array: bool,
    },
    /// CSV rows, one per paragraph, written back unchanged when kept.
    Csv {
        /// The file's header row.
        header: Arc<csv::StringRecord>,
        /// The article's rows, one per paragraph.
        rows: Vec<csv::StringRecord>,
    },
    /// A Parquet row; its text column is replaced on output, other columns stay.
    #[cfg(feature = "parquet")]
    Parquet(crate::io::parquet::ParquetRow),
}

/// One article read from a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The article to tag.
    pub article: Article,
    /// How it was stored, to write it back in kind.
    pub origin: Origin,
    /// The file and line where the article starts.
    pub location: Location,
}

/// A stream of articles from one input.
pub type Feed = Box<dyn Iterator<Item = Result<Item>> + Send>;

/// Opens `path` (`-` is standard input) as a feed of articles. gzip and zstd input is
/// recognised by its magic bytes, whatever its name, and decompressed as it streams.
/// Without a format in `settings`, a file's format follows its extension (the one before
/// `.gz`/`.zst` for a compressed file: `feed.jsonl.gz` is JSONL) and standard input is
/// sniffed: its first line is peeked at (see [`crate::io::sniff::sniff`]) and given back to
/// the reader, so the input still streams. A compressed file whose name names no feed
/// format (`feed.gz`) is sniffed too.
pub fn open(path: &Path, settings: &FeedSettings) -> Result<(InputFormat, Feed)> {
    let stdin = path.as_os_str() == "-";
    if !stdin && is_parquet_file(path, settings.format)? {
        return open_parquet(path, settings);
    }
    let reader: Box<dyn Read + Send> = if stdin {
        Box::new(io::stdin())
    } else {
        if path.is_dir() {
            return Err(Error::io(path, io::Error::other("is a directory")));
        }
        Box::new(File::open(path).map_err(|e| Error::io(path, e))?)
    };
    // Progress counts the bytes as stored (compressed), as file sizes do.
    let reader = counting(reader, settings);
    let (compression, reader) = sniff::decompress(reader).map_err(|e| Error::io(path, e))?;
    let (format, reader) = match settings.format {
        Some(format) => (format, reader),
        None if stdin => sniff_stream(path, reader, settings.encoding)?,
        None => {
            let name = match compression {
                Some(_) => sniff::without_compression_extension(path),
                None => path.to_path_buf(),
            };
            match InputFormat::from_extension(&name) {
                Some(format) => (format, reader),
                None if compression.is_some() => sniff_stream(path, reader, settings.encoding)?,
                None => (InputFormat::Text, reader),
            }
        }
    };
    if format == InputFormat::Parquet {
        // Here only when the Parquet bytes come through a pipe or a decompressor.
        return Err(Error::input(
            Location::file(path),
            match compression {
                Some(c) => format!(
                    "this is Parquet inside {name}: Parquet compresses its own pages and \
                     is read from a file by path; decompress it first (`{command} FILE > \
                     shard.parquet`)",
                    name = c.name(),
                    command = c.decompress_command()
                ),
                None => "Parquet can't be read from standard input or a pipe: its index is \
                         at the end of the file; give the file's path"
                    .to_string(),
            },
        ));
    }
    Ok((format, feed_of(path, format, reader, settings)))
}

/// Whether `path` is to be read as Parquet: so asked, so named (`.parquet`, `.pq`), or a
/// regular file starting with Parquet's magic bytes (`PAR1`). Pipes and special files are
/// not peeked at (their bytes can't be read twice); a Parquet stream is refused later.
fn is_parquet_file(path: &Path, format: Option<InputFormat>) -> Result<bool> {
    match format {
        Some(format) => return Ok(format == InputFormat::Parquet),
        None if InputFormat::from_extension(path) == Some(InputFormat::Parquet) => return Ok(true),
        None => {}
    }
    let Ok(metadata) = std::fs::metadata(path) else {
        return Ok(false); // Opening it says why.
    };
    if !metadata.is_file() {
        return Ok(false);
    }
    let mut head = [0u8; 4];
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    match file.read_exact(&mut head) {
        Ok(()) => Ok(&head == sniff::PARQUET_MAGIC),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(Error::io(path, e)),
    }
}

#[cfg(feature = "parquet")]
fn open_parquet(path: &Path, settings: &FeedSettings) -> Result<(InputFormat, Feed)> {
    Ok((
        InputFormat::Parquet,
        crate::io::parquet::open(path, settings)?,
    ))
}

#[cfg(not(feature = "parquet"))]
fn open_parquet(path: &Path, _settings: &FeedSettings) -> Result<(InputFormat, Feed)> {
    Err(Error::Usage(format!(
        "{} is Parquet, and this chaff was built without Parquet support; build it with \
         `cargo build --release --features parquet`",
        display_path(path)
    )))
}

/// Peeks at the start of the (decompressed) `reader` and says which feed format it holds.
/// The reader returned starts at the start.
fn sniff_stream(
    path: &Path,
    reader: Box<dyn Read + Send>,
    encoding: TextEncoding,
) -> Result<(InputFormat, Box<dyn Read + Send>)> {
    let (head, complete, reader) = sniff::peek(reader).map_err(|e| Error::io(path, e))?;
    let sniffed = match (sniff::sniff(&head, complete), encoding) {
        (Sniffed::Format(_), TextEncoding::Windows1252) => {
            let mut text = Vec::with_capacity(head.len());
            decode_windows_1252(&head, &mut text);
            sniff::sniff(&text, complete)
        }
        (sniffed, _) => sniffed,
    };
    match sniffed {
        Sniffed::Format(format) => Ok((format, reader)),
        // Compressed twice (a .gz inside a .gz): not unwrapped again.
        Sniffed::Compressed(compression) => Err(Error::input(
            Location::file(path),
            format!(
                "the decompressed input is itself {name}-compressed; decompress it once \
                 first (`{command} FILE | chaff ...`)",
                name = compression.name(),
                command = compression.decompress_command()
            ),
        )),
    }
}

/// Adds what `reader` reads to the settings' byte counter, when there is one.
fn counting(reader: Box<dyn Read + Send>, settings: &FeedSettings) -> Box<dyn Read + Send> {
    match &settings.bytes_read {
        Some(counter) => Box::new(Counting {
            inner: reader,
            counter: counter.clone(),
        }),
        None => reader,
    }
}

/// Reads a feed of `format` from any reader; `path` names it in messages.
pub fn from_reader(
    path: &Path,
    format: InputFormat,
    reader: Box<dyn Read + Send>,
    settings: &FeedSettings,
) -> Feed {
    feed_of(path, format, counting(reader, settings), settings)
}

/// [`from_reader`] without counting bytes (the caller counts them).
fn feed_of(
    path: &Path,
    format: InputFormat,
    reader: Box<dyn Read + Send>,
    settings: &FeedSettings,
) -> Feed {
    let reader: Box<dyn Read + Send> = match settings.encoding {
        TextEncoding::Utf8 => reader,
        TextEncoding::Windows1252 => Box::new(Windows1252Reader::new(reader)),
    };
    let path = path.to_path_buf();
    let feed: Feed = match format {
        InputFormat::Text => Box::new(TextFeed {
            path,
            reader: Some(BufReader::with_capacity(1 << 16, reader)),
        }),
        InputFormat::Jsonl => Box::new(JsonlFeed {
            path,
            reader: BufReader::with_capacity(1 << 16, reader),
            line: 0,
            offset: 0,
            record: 0,
            buffer: Vec::new(),
            text_field: settings.text_field.clone(),
            id_field: settings.id_field.clone(),
        }),
        InputFormat::Parquet => Box::new(std::iter::once(Err(Error::input(
            Location::file(&path),
            "Parquet is read from a file by path (its index is at the end), not from a stream",
        )))),
        InputFormat::Csv => {
            // CSV parsing hides raw offsets (quotes, CRLF): note bad bytes on the way in.
            let bad = BadBytes::default();
            let reader: Box<dyn Read + Send> = Box::new(Utf8Watch::new(reader, bad.clone()));
            Box::new(CsvFeed::new(
                path,
                BufReader::with_capacity(1 << 16, reader),
                bad,
            ))
        }
    };
    feed
}

/// A reader that adds the bytes it reads to a shared counter.
struct Counting {
    inner: Box<dyn Read + Send>,
    counter: Arc<AtomicU64>,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

struct TextFeed {
    path: PathBuf,
    reader: Option<BufReader<Box<dyn Read + Send>>>,
}

impl Iterator for TextFeed {
    type Item = Result<Item>;

    fn next(&mut self) -> Option<Result<Item>> {
        let mut reader = self.reader.take()?;
        let mut bytes = Vec::new();
        if let Err(e) = reader.read_to_end(&mut bytes) {
            return Some(Err(Error::io(&self.path, e)));
        }
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() as u64 + 1;
                return Some(Err(Error::input(
                    Location::line(&self.path, line),
                    invalid_utf8(at as u64, e.as_bytes().get(at).copied()),
                )));
            }
        };
        let id = if self.path.as_os_str() == "-" {
            "stdin".to_string()
        } else {
            display_path(&self.path)
        };
        Some(Ok(Item {
            article: Article::new(id, split_paragraphs(&text)),
            origin: Origin::Text,
            location: Location::file(&self.path),
        }))
    }
}

struct JsonlFeed {
    path: PathBuf,
    reader: BufReader<Box<dyn Read + Send>>,
    line: u64,
    /// Byte offset of the start of the line in `buffer`.
    offset: u64,
    record: u64,
    buffer: Vec<u8>,
    text_field: String,
    id_field: String,
}

impl JsonlFeed {
    fn parse(&self, location: Location) -> Result<Item> {
        let fail = |message: String| Error::input(location.clone(), message);
        let text = std::str::from_utf8(&self.buffer).map_err(|e| {
            let at = e.valid_up_to();
            fail(invalid_utf8(
                self.offset + at as u64,
                self.buffer.get(at).copied(),
            ))
        })?;
        let value: Value = serde_json::from_str(text.trim_end())
            .map_err(|e| fail(format!("invalid JSON: {e}")))?;
        let Value::Object(object) = value else {
            return Err(fail(format!(
                "expected a JSON object, found {}",
                kind_of(&value)
            )));
        };
        let (paragraphs, was_array) = match object.get(&self.text_field) {
            Some(Value::String(s)) => (split_paragraphs(s), false),
            Some(Value::Array(items)) => {
                let mut paragraphs = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::String(s) => {
                            let s = s.trim();
                            if !s.is_empty() {
                                paragraphs.push(s.to_string());
                            }
                        }
                        other => {
                            return Err(fail(format!(
                                "field {:?} item {i} is {}, expected a string",
                                self.text_field,
                                kind_of(other)
                            )))
                        }
                    }
                }
                (paragraphs, true)
            }
            Some(other) => {
                return Err(fail(format!(
                    "field {:?} is {}, expected a string or an array of strings",
                    self.text_field,
                    kind_of(other)
                )))
            }
            None => {
                return Err(fail(format!(
                    "no field {:?} (choose the field with --text-field)",
                    self.text_field
                )))
            }
        };
        let id = match object.get(&self.id_field) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => format!("{}:{}", display_path(&self.path), self.line),
        };
        Ok(Item {
            article: Article::new(id, paragraphs),
            origin: Origin::Json {
                object,
                text_field: self.text_field.clone(),
                was_array,
            },
            location,
        })
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Iterator for JsonlFeed {
    type Item = Result<Item>;

    fn next(&mut self) -> Option<Result<Item>> {
        loop {
            self.offset += self.buffer.len() as u64;
            self.buffer.clear();
            match self.reader.read_until(b'\n', &mut self.buffer) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => return Some(Err(Error::io(&self.path, e))),
            }
            self.line += 1;
            if self.buffer.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.record += 1;
            let location = Location::record(&self.path, self.record, self.line);
            return Some(self.parse(location));
        }
    }
}

struct CsvFeed {
    path: PathBuf,
    reader: csv::Reader<CrlfToLf<BufReader<Box<dyn Read + Send>>>>,
    header: Option<Arc<csv::StringRecord>>,
    text: usize,
    doc_id: Option<usize>,
    position: Option<usize>,
    /// Bad UTF-8 bytes noted as the file streams in, to name them in errors.
    bad_bytes: BadBytes,
    /// A row read ahead that starts the next document.
    pending: Option<(csv::StringRecord, u64)>,
    /// The record each row is read into before it is copied out at its exact size: rows
    /// are kept until their document is written, and a record grown from empty for each
    /// row was reallocated eight times or so (a tenth of tagging a CSV file) and kept up to
    /// twice the memory it needed.
    scratch: csv::StringRecord,
    record: u64,
    failed: bool,
}

impl CsvFeed {
    fn new(path: PathBuf, reader: BufReader<Box<dyn Read + Send>>, bad_bytes: BadBytes) -> Self {
        CsvFeed {
            path,
            reader: csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(CrlfToLf::new(reader)),
            header: None,
            text: 0,
            doc_id: None,
            position: None,
            bad_bytes,
            pending: None,
            scratch: csv::StringRecord::new(),
            record: 0,
            failed: false,
        }
    }

    /// A CSV error; invalid UTF-8 is named by the offset of its first bad byte.
    fn csv_error(&self, err: csv::Error) -> Error {
        if let csv::ErrorKind::Utf8 { pos, err: utf8 } = err.kind() {
            let line = pos.as_ref().map_or(1, |p| p.line());
            if let Some(bad) = bad_byte_from(&self.bad_bytes, line) {
                return Error::input(
                    Location::line(&self.path, bad.line),
                    format!(
                        "field {} of the row: {}",
                        utf8.field() + 1,
                        invalid_utf8(bad.offset, Some(bad.byte))
                    ),
                );
            }
        }
        csv_error(&self.path, err)
    }

    fn read_header(&mut self) -> Result<bool> {
        let mut header = csv::StringRecord::new();
        if !self
            .reader
            .read_record(&mut header)
            .map_err(|e| self.csv_error(e))?
        {
            return Ok(false);
        }
        if let Some(first) = header.get(0) {
            if let Some(stripped) = first.strip_prefix('\u{feff}') {
                let mut fixed = csv::StringRecord::new();
                fixed.push_field(stripped);
                header.iter().skip(1).for_each(|f| fixed.push_field(f));
                header = fixed;
            }
        }
        let find = |name: &str| header.iter().position(|h| h.trim() == name);
        self.text = find("text").ok_or_else(|| {
            Error::input(
                Location::line(&self.path, 1),
                format!(
                    "missing required column text (the header row has: {})",
                    header.iter().collect::<Vec<_>>().join(", ")
                ),
            )
        })?;
        self.doc_id = find("doc_id");
        self.position = find("position");
        self.header = Some(Arc::new(header));
        Ok(true)
    }

    fn next_row(&mut self) -> Result<Option<(csv::StringRecord, u64)>> {
        if let Some(row) = self.pending.take() {
            return Ok(Some(row));
        }
        let read = self.reader.read_record(&mut self.scratch);
        if !read.map_err(|e| self.csv_error(e))? {
            return Ok(None);
        }
        // Copied field by field: a clone would copy the whole buffer, which the csv crate
        // keeps at the size of the longest row read so far.
        let mut row =
            csv::StringRecord::with_capacity(self.scratch.as_slice().len(), self.scratch.len());
        row.extend(self.scratch.iter());
        row.set_position(self.scratch.position().cloned());
        let expected = self.header.as_ref().map_or(0, |h| h.len());
        let line = row.position().map(|p| p.line()).unwrap_or(0);
        if row.len() != expected {
            return Err(Error::input(
                Location::line(&self.path, line),
                format!("row has {} fields but the header has {expected}", row.len()),
            ));
        }
        Ok(Some((row, line)))
    }

    fn next_document(&mut self) -> Result<Option<Item>> {
        if self.header.is_none() && !self.read_header()? {
            return Ok(None);
        }
        let Some((first, line)) = self.next_row()? else {
            return Ok(None);
        };
        self.record += 1;
        fn id_of(row: &csv::StringRecord, doc_id: Option<usize>) -> Option<&str> {
            doc_id.and_then(|c| row.get(c)).map(str::trim)
        }
        let id = id_of(&first, self.doc_id).map(str::to_string);
        let mut rows = vec![first];
        let mut lines = vec![line];
        if id.is_some() {
            loop {
                match self.next_row()? {
                    Some((row, row_line)) if id_of(&row, self.doc_id) == id.as_deref() => {
                        rows.push(row);
                        lines.push(row_line);
                    }
                    Some(other) => {
                        self.pending = Some(other);
                        break;
                    }
                    None => break,
                }
            }
        }
        let mut paragraphs = Vec::with_capacity(rows.len());
        for (i, (row, row_line)) in rows.iter().zip(&lines).enumerate() {
            // The input's own positions, so tags join back to it by (doc_id, position).
            let position = match self.position.and_then(|c| row.get(c)) {
                Some(p) => p.trim().parse::<usize>().map_err(|_| {
                    Error::input(
                        Location::line(&self.path, *row_line),
                        format!("position {p:?} is not a whole number"),
                    )
                })?,
                None => i,
            };
            paragraphs.push(Paragraph {
                position,
                text: row.get(self.text).unwrap_or("").trim().to_string(),
            });
        }
        let id = id
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("{}:{line}", display_path(&self.path)));
        Ok(Some(Item {
            article: Article { id, paragraphs },
            origin: Origin::Csv {
                header: self.header.clone().expect("header read"),
                rows,
            },
            location: Location::record(&self.path, self.record, line),
        }))
    }
}

impl Iterator for CsvFeed {
    type Item = Result<Item>;

    fn next(&mut self) -> Option<Result<Item>> {
        if self.failed {
            return None;
        }
        match self.next_document() {
            Ok(item) => item.map(Ok),
            Err(e) => {
                // A broken header or an unreadable file ends the feed; a bad row does not.
                if self.header.is_none() || matches!(e, Error::Io { .. }) {
                    self.failed = true;
                }
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed_of(name: &str, content: &str, settings: &FeedSettings) -> Vec<Result<Item>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let (_, feed) = open(&path, settings).unwrap();
        feed.collect()
    }

    #[test]
    fn format_follows_extension() {
        assert_eq!(
            InputFormat::from_path(Path::new("a.JSONL")),
            InputFormat::Jsonl
        );
        assert_eq!(InputFormat::from_path(Path::new("a.csv")), InputFormat::Csv);
        assert_eq!(
            InputFormat::from_path(Path::new("a.txt")),
            InputFormat::Text
        );
        assert_eq!(InputFormat::from_path(Path::new("a")), InputFormat::Text);
    }

    #[test]
    fn text_file_is_one_article() {
        let items = feed_of("a.txt", "One.\n\nTwo.\n", &FeedSettings::default());
        assert_eq!(items.len(), 1);
        let item = items[0].as_ref().unwrap();
        assert_eq!(item.article.texts(), ["One.", "Two."]);
        assert!(item.article.id.ends_with("a.txt"));
    }

    #[test]
    fn jsonl_reads_string_and_array_text_and_ids() {
        let content = "{\"id\": \"x\", \"text\": \"A.\\n\\nB.\", \"k\": 1}\n\n{\"id\": 7, \"text\": [\"C.\", \" \"]}\n";
        let items = feed_of("a.jsonl", content, &FeedSettings::default());
        assert_eq!(items.len(), 2);
        let a = items[0].as_ref().unwrap();
        assert_eq!(a.article.id, "x");
        assert_eq!(a.article.texts(), ["A.", "B."]);
        let b = items[1].as_ref().unwrap();
        assert_eq!(b.article.id, "7");
        assert_eq!(b.article.texts(), ["C."]);
        assert_eq!(b.location.line, Some(3));
        assert!(matches!(
            b.origin,
            Origin::Json {
                was_array: true,
                ..
            }
        ));
    }

    #[test]
    fn csv_articles_name_their_line_with_crlf_endings() {
        // The csv crate alone reports CRLF records a line early (rust-csv#395).
        let content = "doc_id,text\r\na,One.\r\na,Two.\r\nb,Three.\r\n";
        let items = feed_of("f.csv", content, &FeedSettings::default());
        let lines: Vec<_> = items
            .iter()
            .map(|i| i.as_ref().unwrap().location.line)
            .collect();
        assert_eq!(lines, [Some(2), Some(4)]);
    }

    #[test]
    fn jsonl_bad_records_are_errors_that_name_the_line_and_do_not_stop_the_feed() {
        let content = "{\"text\": \"ok\"}\nnot json\n{\"body\": \"x\"}\n{\"text\": 5}\n[1]\n{\"text\": \"last\"}\n";
        let items = feed_of("f.jsonl", content, &FeedSettings::default());
        assert_eq!(items.len(), 6);
        let errors: Vec<String> = items
            .iter()
            .filter_map(|r| r.as_ref().err().map(|e| e.to_string()))
            .collect();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(
            errors[0].contains("f.jsonl:2 (record 2): invalid JSON"),
            "{errors:?}"
        );
        assert!(errors[1].contains("no field \"text\""), "{errors:?}");
        assert!(errors[2].contains("is a number"), "{errors:?}");
        assert!(errors[3].contains("expected a JSON object"), "{errors:?}");
        assert!(items[5].is_ok());
    }

    #[test]
    fn csv_groups_consecutive_rows_by_doc_id() {
        let content = "doc_id,position,text,extra\na,0,One,x\na,1,Two,y\nb,0,Three,z\n";
        let items = feed_of("f.csv", content, &FeedSettings::default());
        let articles: Vec<_> = items.into_iter().map(|i| i.unwrap().article).collect();
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[0].texts(), ["One", "Two"]);
        assert_eq!(articles[1].id, "b");
    }

    #[test]
    fn csv_without_doc_id_is_one_article_per_row_and_ragged_rows_are_named() {
        let items = feed_of("f.csv", "text\nOne\nTwo\n", &FeedSettings::default());
        assert_eq!(items.len(), 2);
        let items = feed_of(
            "f.csv",
            "text,x\nOne,1\nTwo\nThree,3\n",
            &FeedSettings::default(),
        );
        let err = items[1].as_ref().unwrap_err().to_string();
        assert!(err.contains("f.csv:3"), "{err}");
        assert!(items[2].is_ok());
        let items = feed_of("f.csv", "body\nOne\n", &FeedSettings::default());
        assert_eq!(items.len(), 1);
        assert!(items[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("missing required column text"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        #[test]
        fn any_bytes_give_one_result_per_jsonl_line_and_never_panic(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)
        ) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("f.jsonl");
            std::fs::write(&path, &bytes).unwrap();
            let (_, feed) = open(&path, &FeedSettings::default()).unwrap();
            let results: Vec<_> = feed.collect();
            let lines = bytes
                .split(|b| *b == b'\n')
                .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
                .count();
            proptest::prop_assert_eq!(results.len(), lines);
        }

        #[test]
        fn any_bytes_as_csv_or_text_terminate_without_panic(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)
        ) {
            let dir = tempfile::tempdir().unwrap();
            for name in ["f.csv", "f.txt"] {
                let path = dir.path().join(name);
                std::fs::write(&path, &bytes).unwrap();
                let (_, feed) = open(&path, &FeedSettings::default()).unwrap();
                // Bounded: a reader that loops would exceed this.
                proptest::prop_assert!(feed.take(10_000).count() < 10_000);
            }
        }

        #[test]
        fn well_formed_jsonl_keeps_paragraph_count_and_order(
            articles in proptest::collection::vec(
                proptest::collection::vec("[a-zA-Z0-9 ,.'’“”-]{1,40}", 0..6), 0..8)
        ) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("f.jsonl");
            let content: String = articles
                .iter()
                .enumerate()
                .map(|(i, ps)| serde_json::json!({"id": i, "text": ps}).to_string() + "\n")
                .collect();
            std::fs::write(&path, content).unwrap();
            let (_, feed) = open(&path, &FeedSettings::default()).unwrap();
            let items: Vec<Item> = feed.map(|r| r.unwrap()).collect();
            proptest::prop_assert_eq!(items.len(), articles.len());
            for (item, paragraphs) in items.iter().zip(&articles) {
                let expected: Vec<&str> = paragraphs
                    .iter()
                    .map(|p| p.trim())
                    .filter(|p| !p.is_empty())
                    .collect();
                proptest::prop_assert_eq!(item.article.texts(), expected);
            }
        }
    }

    #[test]
    fn csv_paragraphs_keep_the_input_positions() {
        let content = "doc_id,position,text\na,1,One\na, 3 ,Two\nb,0,Three\nc,x,Four\n";
        let items = feed_of("f.csv", content, &FeedSettings::default());
        let positions: Vec<usize> = items[0]
            .as_ref()
            .unwrap()
            .article
            .paragraphs
            .iter()
            .map(|p| p.position)
            .collect();
        assert_eq!(positions, [1, 3]);
        let err = items[2].as_ref().unwrap_err().to_string();
        assert!(err.contains("f.csv:5: position \"x\""), "{err}");
        // Without a position column: 0, 1, 2...
        let items = feed_of("f.csv", "doc_id,text\na,x\na,y\n", &FeedSettings::default());
        let a = &items[0].as_ref().unwrap().article;
        assert_eq!(a.paragraphs[1].position, 1);
    }

    #[test]
    fn invalid_utf8_is_named_by_its_byte_offset_in_every_format() {
        let cases: [(&str, &[u8], &str); 3] = [
            (
                "f.txt",
                b"ok\n\nbad \xff\n",
                "f.txt:3: invalid UTF-8 at byte offset 8 (0xff)",
            ),
            (
                "f.jsonl",
                b"{\"text\": \"a\"}\n{\"text\": \"\xfe\"}\n",
                "f.jsonl:2 (record 2): invalid UTF-8 at byte offset 24 (0xfe)",
            ),
            (
                // CRLF and a quoted newline before the bad byte: raw offsets still count.
                "f.csv",
                b"doc_id,text\r\na,\"x\r\ny\"\r\nb,\"\xe9\"\r\n",
                "f.csv:4: field 2 of the row: invalid UTF-8 at byte offset 26 (0xe9)",
            ),
        ];
        for (name, bytes, expected) in cases {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            let (_, feed) = open(&path, &FeedSettings::default()).unwrap();
            let errors: Vec<String> = feed
                .filter_map(|r| r.err().map(|e| e.to_string()))
                .collect();
            assert_eq!(errors.len(), 1, "{name}: {errors:?}");
            assert!(errors[0].contains(expected), "{name}: {}", errors[0]);
            assert!(errors[0].contains("--encoding latin1"), "{}", errors[0]);
            let latin1 = FeedSettings {
                encoding: TextEncoding::Windows1252,
                ..FeedSettings::default()
            };
            let (_, feed) = open(&path, &latin1).unwrap();
            assert!(feed.into_iter().all(|r| r.is_ok()), "{name}");
        }
    }

    #[test]
    fn compressed_files_are_decompressed_once_and_named_in_errors() {
        use std::io::Write;
        let gzip = |bytes: &[u8]| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(bytes).unwrap();
            e.finish().unwrap()
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feed.gz.gz");
        std::fs::write(&path, gzip(&gzip(b"{\"text\": \"a\"}\n"))).unwrap();
        let err = open(&path, &FeedSettings::default())
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("feed.gz.gz: the decompressed input is itself gzip-compressed"),
            "{err}"
        );
        let path = dir.path().join("feed.csv.gz");
        std::fs::write(&path, &gzip(b"text\nOne\n")[..12]).unwrap();
        let (format, mut feed) = open(&path, &FeedSettings::default()).unwrap();
        assert_eq!(format, InputFormat::Csv);
        let err = feed.next().unwrap().unwrap_err().to_string();
        assert!(
            err.contains("feed.csv.gz") && err.contains("gzip data is corrupt or truncated"),
            "{err}"
        );
    }

    #[test]
    fn invalid_utf8_text_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bin.txt");
        std::fs::write(&path, b"ok\n\xff\xfe").unwrap();
        let (_, mut feed) = open(&path, &FeedSettings::default()).unwrap();
        let err = feed.next().unwrap().unwrap_err().to_string();
        assert!(err.contains("bin.txt:2"), "{err}");
    }
}
