//! Reading articles to tag: plain text (one article per file), JSONL (one article per line)
//! and CSV (one paragraph per row, rows grouped by `doc_id`). Readers stream: memory holds
//! one article (or one CSV document) at a time, however large the input.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::article::{split_paragraphs, Article};
use crate::dataset::csv_error;
use crate::error::{display_path, Error, Location, Result};
use crate::line_endings::CrlfToLf;

/// The shape of an input feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// One article per file, paragraphs separated by blank lines.
    Text,
    /// One JSON object per line.
    Jsonl,
    /// One paragraph per row, with `text` and optional `doc_id` and `position` columns.
    Csv,
}

impl InputFormat {
    /// The format a file name implies: `.jsonl`/`.ndjson`/`.json` and `.csv`, else text.
    pub fn from_path(path: &Path) -> InputFormat {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("jsonl" | "ndjson" | "json") => InputFormat::Jsonl,
            Some("csv") => InputFormat::Csv,
            _ => InputFormat::Text,
        }
    }
}

/// How to read feeds.
#[derive(Debug, Clone)]
pub struct FeedSettings {
    /// `None` chooses by file extension (standard input is text).
    pub format: Option<InputFormat>,
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
        object: Map<String, Value>,
        /// The field the text was read from.
        text_field: String,
        /// The text field held an array of paragraphs rather than one string.
        was_array: bool,
    },
    /// CSV rows, one per paragraph, written back unchanged when kept.
    Csv {
        header: Arc<csv::StringRecord>,
        rows: Vec<csv::StringRecord>,
    },
}

/// One article read from a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub article: Article,
    pub origin: Origin,
    /// The file and line where the article starts.
    pub location: Location,
}

/// A stream of articles from one input.
pub type Feed = Box<dyn Iterator<Item = Result<Item>> + Send>;

/// Opens `path` (`-` is standard input) as a feed of articles.
pub fn open(path: &Path, settings: &FeedSettings) -> Result<(InputFormat, Feed)> {
    let stdin = path.as_os_str() == "-";
    let format = settings.format.unwrap_or(if stdin {
        InputFormat::Text
    } else {
        InputFormat::from_path(path)
    });
    let reader: Box<dyn Read + Send> = if stdin {
        Box::new(io::stdin())
    } else {
        if path.is_dir() {
            return Err(Error::io(path, io::Error::other("is a directory")));
        }
        Box::new(File::open(path).map_err(|e| Error::io(path, e))?)
    };
    Ok((format, from_reader(path, format, reader, settings)))
}

/// Reads a feed of `format` from any reader; `path` names it in messages.
pub fn from_reader(
    path: &Path,
    format: InputFormat,
    reader: Box<dyn Read + Send>,
    settings: &FeedSettings,
) -> Feed {
    let reader: Box<dyn Read + Send> = match &settings.bytes_read {
        Some(counter) => Box::new(Counting {
            inner: reader,
            counter: counter.clone(),
        }),
        None => reader,
    };
    let reader = BufReader::with_capacity(1 << 16, reader);
    let path = path.to_path_buf();
    let feed: Feed = match format {
        InputFormat::Text => Box::new(TextFeed {
            path,
            reader: Some(reader),
        }),
        InputFormat::Jsonl => Box::new(JsonlFeed {
            path,
            reader,
            line: 0,
            record: 0,
            buffer: Vec::new(),
            text_field: settings.text_field.clone(),
            id_field: settings.id_field.clone(),
        }),
        InputFormat::Csv => Box::new(CsvFeed::new(path, reader)),
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
                    "invalid UTF-8 (is this a text file?)",
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
    record: u64,
    buffer: Vec<u8>,
    text_field: String,
    id_field: String,
}

impl JsonlFeed {
    fn parse(&self, location: Location) -> Result<Item> {
        let fail = |message: String| Error::input(location.clone(), message);
        let text = std::str::from_utf8(&self.buffer).map_err(|_| fail("invalid UTF-8".into()))?;
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
    /// A row read ahead that starts the next document.
    pending: Option<(csv::StringRecord, u64)>,
    record: u64,
    failed: bool,
}

impl CsvFeed {
    fn new(path: PathBuf, reader: BufReader<Box<dyn Read + Send>>) -> Self {
        CsvFeed {
            path,
            reader: csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(CrlfToLf::new(reader)),
            header: None,
            text: 0,
            doc_id: None,
            pending: None,
            record: 0,
            failed: false,
        }
    }

    fn read_header(&mut self) -> Result<bool> {
        let mut header = csv::StringRecord::new();
        if !self
            .reader
            .read_record(&mut header)
            .map_err(|e| csv_error(&self.path, e))?
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
        self.header = Some(Arc::new(header));
        Ok(true)
    }

    fn next_row(&mut self) -> Result<Option<(csv::StringRecord, u64)>> {
        if let Some(row) = self.pending.take() {
            return Ok(Some(row));
        }
        let mut row = csv::StringRecord::new();
        if !self
            .reader
            .read_record(&mut row)
            .map_err(|e| csv_error(&self.path, e))?
        {
            return Ok(None);
        }
        let line = row.position().map(|p| p.line()).unwrap_or(0);
        let expected = self.header.as_ref().map_or(0, |h| h.len());
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
        let id_of = |row: &csv::StringRecord, doc_id: Option<usize>| {
            doc_id
                .and_then(|c| row.get(c))
                .map(|s| s.trim().to_string())
        };
        let id = id_of(&first, self.doc_id);
        let mut rows = vec![first];
        if id.is_some() {
            loop {
                match self.next_row()? {
                    Some((row, _)) if id_of(&row, self.doc_id) == id => rows.push(row),
                    Some(other) => {
                        self.pending = Some(other);
                        break;
                    }
                    None => break,
                }
            }
        }
        let texts = rows
            .iter()
            .map(|r| r.get(self.text).unwrap_or("").trim().to_string())
            .collect::<Vec<_>>();
        let id = id
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("{}:{line}", display_path(&self.path)));
        Ok(Some(Item {
            article: Article::new(id, texts),
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
    fn invalid_utf8_text_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bin.txt");
        std::fs::write(&path, b"ok\n\xff\xfe").unwrap();
        let (_, mut feed) = open(&path, &FeedSettings::default()).unwrap();
        let err = feed.next().unwrap().unwrap_err().to_string();
        assert!(err.contains("bin.txt:2"), "{err}");
    }
}
