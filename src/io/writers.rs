//! Writing results: `tag` records (JSONL, CSV or text, one per paragraph; or Dolma
//! attributes, one line per document) and `clean` articles in their input's own format
//! with only the kept paragraphs.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::ser::SerializeMap;
use serde::Serialize;
use serde_json::Value;

use crate::io::feed::{Item, Origin};
use crate::label::{Label, LabelSet};
use crate::model::explain::{Explanation, ExplanationJson};
use crate::tagger::{TaggedArticle, TaggedParagraph};

/// One output record: a paragraph, or a piece of a split paragraph.
struct Record<'a> {
    doc_id: &'a str,
    position: usize,
    piece: Option<usize>,
    label: &'a Label,
    probabilities: &'a [f32],
    text: &'a str,
    explanation: Option<&'a Explanation>,
}

/// A JSONL record, serialised straight from borrowed fields (building a JSON map per
/// paragraph was a measurable share of tagging time).
#[derive(Serialize)]
struct JsonRecord<'a> {
    doc_id: &'a str,
    position: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    piece: Option<usize>,
    label: &'a str,
    confidence: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    scores: Option<Scores<'a>>,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<ExplanationJson<'a>>,
}

impl JsonRecord<'_> {
    /// Appends the record as one line of JSON, byte for byte what `serde_json` writes for
    /// it: strings that need no escaping (nearly all) are copied whole, found by a scan
    /// the compiler vectorises, where serde_json looks up every byte in a table (its
    /// string escaping was 4% of tagging); numbers, rare fields and escaping stay with
    /// serde_json.
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"doc_id\":");
        json_string(out, self.doc_id);
        out.extend_from_slice(b",\"position\":");
        json_value(out, &self.position);
        if let Some(piece) = self.piece {
            out.extend_from_slice(b",\"piece\":");
            json_value(out, &piece);
        }
        out.extend_from_slice(b",\"label\":");
        json_string(out, self.label);
        out.extend_from_slice(b",\"confidence\":");
        json_value(out, &self.confidence);
        if let Some(scores) = &self.scores {
            out.extend_from_slice(b",\"scores\":");
            json_value(out, scores);
        }
        out.extend_from_slice(b",\"text\":");
        json_string(out, self.text);
        if let Some(explain) = &self.explain {
            out.extend_from_slice(b",\"explain\":");
            json_value(out, explain);
        }
        out.extend_from_slice(b"}\n");
    }
}

/// Appends `value` as serde_json writes it.
fn json_value(out: &mut Vec<u8>, value: &impl Serialize) {
    serde_json::to_writer(&mut *out, value).expect(IN_MEMORY);
}

/// Appends `text` as a JSON string, as serde_json writes it.
fn json_string(out: &mut Vec<u8>, text: &str) {
    if needs_escaping(text.as_bytes()) {
        json_value(out, &text);
    } else {
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    }
}

/// Whether `bytes` hold a byte JSON escapes (serde_json escapes control characters, the
/// quote and the backslash, and nothing else). Blocks of 16 bytes are tested without
/// branching so the test runs on vector registers.
fn needs_escaping(bytes: &[u8]) -> bool {
    let escaped = |b: u8| (b < 0x20) | (b == b'"') | (b == b'\\');
    let mut blocks = bytes.chunks_exact(16);
    for block in &mut blocks {
        if block.iter().fold(false, |found, &b| found | escaped(b)) {
            return true;
        }
    }
    blocks.remainder().iter().any(|&b| escaped(b))
}

/// Every label's probability, as a JSON object in label order.
struct Scores<'a> {
    labels: &'a [String],
    probabilities: &'a [f32],
}

impl Serialize for Scores<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.labels.len()))?;
        for (label, p) in self.labels.iter().zip(self.probabilities) {
            map.serialize_entry(label, &round(*p))?;
        }
        map.end()
    }
}

/// Formats of `tag` output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagFormat {
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// `label<TAB>confidence<TAB>text`, for people.
    Text,
}

/// How `tag` renders records: one per paragraph (or per piece of a split paragraph) with
/// doc_id, position, label, confidence, text and, with `scores`, every label's
/// probability. Holds no output, so the tagging threads can render articles side by side
/// ([`Render`]) while one thread writes them in order.
#[derive(Debug, Clone)]
pub struct TagRecords {
    format: TagFormat,
    scores: bool,
    labels: Vec<String>,
    /// CSV gets a `piece` column (splitting is on).
    pieces: bool,
    /// With explanations: how many features to list per stage.
    explain: Option<usize>,
}

/// Writes [`TagRecords`]: one record per paragraph, in order, with CSV's header before
/// the first.
pub struct TagWriter<W: Write> {
    out: W,
    records: TagRecords,
    wrote_header: bool,
    /// Reused for each article written with [`TagWriter::write`].
    scratch: Vec<u8>,
}

impl<W: Write> TagWriter<W> {
    /// A writer for `format`; `pieces` adds a `piece` column to CSV (for `--split`).
    pub fn new(out: W, format: TagFormat, scores: bool, pieces: bool, labels: &LabelSet) -> Self {
        TagWriter {
            out,
            records: TagRecords {
                format,
                scores,
                labels: labels.names().to_vec(),
                pieces,
                explain: None,
            },
            wrote_header: false,
            scratch: Vec::new(),
        }
    }

    /// Adds each paragraph's explanation ([`crate::TaggedParagraph::explanation`], from a
    /// tagger with [`crate::Tagger::explanations`] on) with the `top` features of each
    /// stage: an `explain` object in JSONL, an indented line after the paragraph in text.
    /// CSV has no place for them and writes none (the command line refuses the pair).
    pub fn explain(mut self, top: usize) -> Self {
        self.records.explain = Some(top);
        self
    }

    /// How this writer renders records, for rendering on other threads and writing the
    /// bytes with [`TagWriter::write_rendered`].
    pub fn records(&self) -> &TagRecords {
        &self.records
    }

    /// Writes the records of one article: one per paragraph, or one per piece of a
    /// paragraph that was cut into pieces (those records carry a `piece` number).
    pub fn write(&mut self, article: &TaggedArticle) -> std::io::Result<()> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        self.records.render(article, &mut scratch);
        let written = self.write_rendered(&scratch);
        self.scratch = scratch;
        written
    }

    /// Writes an article's records as [`TagRecords::render`] made them (CSV's header
    /// first, before the first record).
    pub fn write_rendered(&mut self, rendered: &[u8]) -> std::io::Result<()> {
        if rendered.is_empty() {
            return Ok(());
        }
        if !self.wrote_header {
            self.wrote_header = true;
            if let Some(header) = self.records.header() {
                self.out.write_all(&header)?;
            }
        }
        self.out.write_all(rendered)
    }

    /// Flushes and returns the underlying writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Turns one tagged article into output bytes. Runs on the tagging threads, so that the
/// thread writing results in input order only copies bytes (see
/// [`crate::io::stream::FeedHandler::renderer`]).
pub trait Render: Sync {
    /// Appends the output of `tagged` (read as `item`) to `out`.
    fn render(&self, item: &Item, tagged: &TaggedArticle, out: &mut Vec<u8>);
}

impl Render for TagRecords {
    fn render(&self, _item: &Item, tagged: &TaggedArticle, out: &mut Vec<u8>) {
        TagRecords::render(self, tagged, out);
    }
}

impl TagRecords {
    /// Appends the records of one article to `out`: one per paragraph, or one per piece
    /// of a paragraph that was cut into pieces (those records carry a `piece` number).
    /// CSV rows come without the header ([`TagWriter`] writes it once).
    pub fn render(&self, article: &TaggedArticle, out: &mut Vec<u8>) {
        // Room for the usual record at once (its text, id and about a hundred bytes of
        // fields): grown from empty, an article's output was copied several times over.
        out.reserve(
            article
                .paragraphs
                .iter()
                .map(|p| p.text.len() + article.id.len() + 100)
                .sum(),
        );
        let mut sink = match self.format {
            TagFormat::Csv => Sink::Csv(Box::new(
                csv::WriterBuilder::new()
                    .buffer_capacity(1 << 12)
                    .from_writer(out),
            )),
            TagFormat::Jsonl | TagFormat::Text => Sink::Bytes(out),
        };
        for paragraph in &article.paragraphs {
            if paragraph.pieces.is_empty() {
                let record = Record {
                    doc_id: article.id,
                    position: paragraph.position,
                    piece: None,
                    label: &paragraph.label,
                    probabilities: &paragraph.probabilities,
                    text: paragraph.text,
                    explanation: paragraph.explanation.as_ref(),
                };
                self.render_record(&record, &mut sink);
            }
            for (k, piece) in paragraph.pieces.iter().enumerate() {
                let record = Record {
                    doc_id: article.id,
                    position: paragraph.position,
                    piece: Some(k),
                    label: &piece.label,
                    probabilities: &piece.probabilities,
                    text: piece.text,
                    explanation: None,
                };
                self.render_record(&record, &mut sink);
            }
        }
        if let Sink::Csv(mut csv) = sink {
            csv.flush().expect(IN_MEMORY);
        }
    }

    /// CSV's header row; other formats have none.
    fn header(&self) -> Option<Vec<u8>> {
        if self.format != TagFormat::Csv {
            return None;
        }
        let mut header = vec!["doc_id", "position"];
        if self.pieces {
            header.push("piece");
        }
        header.extend(["label", "confidence"]);
        if self.scores {
            header.extend(self.labels.iter().map(String::as_str));
        }
        header.push("text");
        let mut csv = csv::Writer::from_writer(Vec::new());
        csv.write_record(&header).expect(IN_MEMORY);
        Some(csv.into_inner().expect(IN_MEMORY))
    }

    /// Appends one record to `sink`.
    fn render_record(&self, r: &Record, sink: &mut Sink) {
        let label = r.label.name();
        let confidence = round(r.probabilities[r.label.index()]);
        match sink {
            Sink::Csv(csv) => {
                let mut row = vec![r.doc_id.to_string(), r.position.to_string()];
                if self.pieces {
                    row.push(r.piece.map_or(String::new(), |p| p.to_string()));
                }
                row.extend([label.to_string(), confidence.to_string()]);
                if self.scores {
                    row.extend(r.probabilities.iter().map(|p| round(*p).to_string()));
                }
                row.push(r.text.to_string());
                csv.write_record(&row).expect(IN_MEMORY);
            }
            Sink::Bytes(out) if self.format == TagFormat::Jsonl => {
                let record = JsonRecord {
                    doc_id: r.doc_id,
                    position: r.position,
                    piece: r.piece,
                    label,
                    confidence,
                    scores: self.scores.then_some(Scores {
                        labels: &self.labels,
                        probabilities: r.probabilities,
                    }),
                    text: r.text,
                    explain: self
                        .explain
                        .zip(r.explanation)
                        .map(|(top, explanation)| ExplanationJson { explanation, top }),
                };
                record.write(out);
            }
            Sink::Bytes(out) => {
                write!(out, "{label}\t{confidence:.3}").expect(IN_MEMORY);
                if self.scores {
                    for p in r.probabilities {
                        write!(out, "\t{:.3}", p).expect(IN_MEMORY);
                    }
                }
                let marker = if r.piece.is_some() { "\t+ " } else { "\t" };
                writeln!(out, "{marker}{}", one_line(r.text)).expect(IN_MEMORY);
                if let Some((top, explanation)) = self.explain.zip(r.explanation) {
                    writeln!(out, "    explain: {}", explanation.line(top)).expect(IN_MEMORY);
                }
            }
        }
    }
}

/// Writing a record to memory cannot fail, nor can serialising one (its map keys are
/// strings; serde_json writes a number that is not finite as `null`).
const IN_MEMORY: &str = "writing a record to memory cannot fail";

/// Where [`TagRecords::render`] appends records: through a CSV writer, or straight.
enum Sink<'a> {
    Csv(Box<csv::Writer<&'a mut Vec<u8>>>),
    Bytes(&'a mut Vec<u8>),
}

/// What a clean run kept and removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CleanSummary {
    /// Articles written.
    pub articles: usize,
    /// Paragraphs read.
    pub paragraphs: usize,
    /// Paragraphs kept, whole or in part (the kept pieces of a split paragraph).
    pub kept: usize,
    /// Paragraphs removed whole, by the index of their label.
    pub removed: Vec<usize>,
}

/// Writes articles back in their own format with only the paragraphs whose label is kept;
/// optionally writes what it removes to a second writer (`R`), as JSONL records.
pub struct CleanWriter<W: Write, R: Write = io::Sink> {
    out: W,
    keep: Vec<bool>,
    min_confidence: f32,
    rejects: Option<R>,
    summary: CleanSummary,
    csv_header_written: Option<std::sync::Arc<csv::StringRecord>>,
    text_articles: usize,
    /// Started by the first Parquet row.
    #[cfg(feature = "parquet")]
    parquet: Option<crate::io::parquet::ParquetOutput>,
}

impl<W: Write> CleanWriter<W> {
    /// `keep[k]` says whether label `k` is kept.
    pub fn new(out: W, keep: Vec<bool>) -> Self {
        CleanWriter {
            out,
            summary: CleanSummary {
                removed: vec![0; keep.len()],
                ..CleanSummary::default()
            },
            keep,
            min_confidence: 0.0,
            rejects: None,
            csv_header_written: None,
            text_articles: 0,
            #[cfg(feature = "parquet")]
            parquet: None,
        }
    }
}

impl<W: Write, R: Write> CleanWriter<W, R> {
    /// Also keeps a paragraph (or piece) whose label is not kept but whose confidence is
    /// below `p`: when the model is unsure, the text stays.
    pub fn min_confidence(mut self, p: f32) -> Self {
        self.min_confidence = p;
        self
    }

    /// Writes each removed paragraph to `rejects`, when given, as a JSON line (doc_id,
    /// position, label, confidence, text; a removed piece of a split paragraph also has its
    /// `piece` number).
    pub fn rejects<R2: Write>(self, rejects: Option<R2>) -> CleanWriter<W, R2> {
        CleanWriter {
            out: self.out,
            keep: self.keep,
            min_confidence: self.min_confidence,
            rejects,
            summary: self.summary,
            csv_header_written: self.csv_header_written,
            text_articles: self.text_articles,
            #[cfg(feature = "parquet")]
            parquet: self.parquet,
        }
    }

    /// What has been kept and removed so far.
    pub fn summary(&self) -> &CleanSummary {
        &self.summary
    }

    fn keeps(&self, label: &Label, confidence: f32) -> bool {
        self.keep[label.index()] || confidence < self.min_confidence
    }

    /// The text to keep of `p`: all of it, its kept pieces joined by a space, or nothing.
    fn kept_text<'a>(&self, p: &TaggedParagraph<'a>) -> Option<Cow<'a, str>> {
        p.kept_text(|label, confidence| self.keeps(label, confidence))
    }

    /// Counts what `tagged` loses and writes it to the rejects.
    fn reject(&mut self, tagged: &TaggedArticle, kept_text: &[Option<Cow<str>>]) -> io::Result<()> {
        for (p, kept) in tagged.paragraphs.iter().zip(kept_text) {
            if kept.is_none() {
                self.summary.removed[p.label.index()] += 1;
            }
            let Some(rejects) = self.rejects.as_mut() else {
                continue;
            };
            let mut write = |piece: Option<usize>, label: &Label, confidence: f32, text: &str| {
                let record = JsonRecord {
                    doc_id: tagged.id,
                    position: p.position,
                    piece,
                    label: label.name(),
                    confidence: round(confidence),
                    scores: None,
                    text,
                    explain: None,
                };
                serde_json::to_writer(&mut *rejects, &record)?;
                rejects.write_all(b"\n")
            };
            if p.pieces.is_empty() {
                if kept.is_none() {
                    write(None, &p.label, p.confidence, p.text)?;
                }
                continue;
            }
            for (k, piece) in p.pieces.iter().enumerate() {
                if !(self.keep[piece.label.index()] || piece.confidence < self.min_confidence) {
                    write(Some(k), &piece.label, piece.confidence, piece.text)?;
                }
            }
        }
        Ok(())
    }

    /// Writes one article; returns how many paragraphs were kept.
    pub fn write(&mut self, item: &Item, tagged: &TaggedArticle) -> std::io::Result<usize> {
        let kept_text: Vec<_> = tagged
            .paragraphs
            .iter()
            .map(|p| self.kept_text(p))
            .collect();
        let kept: Vec<usize> = (0..kept_text.len())
            .filter(|&i| kept_text[i].is_some())
            .collect();
        self.reject(tagged, &kept_text)?;
        self.summary.articles += 1;
        self.summary.paragraphs += kept_text.len();
        self.summary.kept += kept.len();
        let texts = || kept.iter().map(|&i| kept_text[i].as_deref().expect("kept"));
        match &item.origin {
            Origin::Text => {
                // Articles from several text files follow each other, separated like
                // paragraphs: plain text has no other separator to offer.
                for text in texts() {
                    if self.text_articles > 0 {
                        self.out.write_all(b"\n")?;
                    }
                    self.out.write_all(text.as_bytes())?;
                    self.out.write_all(b"\n")?;
                    self.text_articles += 1;
                }
            }
            Origin::Json {
                object,
                text_field,
                was_array,
            } => {
                let mut object = object.clone();
                let value = if *was_array {
                    Value::Array(texts().map(|t| Value::String(t.to_string())).collect())
                } else {
                    Value::String(texts().collect::<Vec<_>>().join("\n\n"))
                };
                object.insert(text_field.clone(), value);
                serde_json::to_writer(&mut self.out, &object)?;
                self.out.write_all(b"\n")?;
            }
            Origin::Csv { header, rows } => {
                let mut csv = csv::Writer::from_writer(Vec::new());
                // The header is written once, and again only when a file with other
                // columns follows.
                if self.csv_header_written.as_ref() != Some(header) {
                    csv.write_record(header.iter())?;
                    self.csv_header_written = Some(header.clone());
                }
                let text_column = header.iter().position(|h| h.trim() == "text");
                for &i in &kept {
                    let whole = item.article.paragraphs[i].text.as_str();
                    let text = kept_text[i].as_deref().expect("kept");
                    match text_column {
                        // A split paragraph's row carries only its kept pieces.
                        Some(c) if text != whole => {
                            let row: Vec<&str> = rows[i]
                                .iter()
                                .enumerate()
                                .map(|(j, f)| if j == c { text } else { f })
                                .collect();
                            csv.write_record(&row)?;
                        }
                        _ => csv.write_record(&rows[i])?,
                    }
                }
                let bytes = csv.into_inner().map_err(|e| e.into_error())?;
                self.out.write_all(&bytes)?;
            }
            #[cfg(feature = "parquet")]
            Origin::Parquet(row) => {
                // Every row is written back, as JSONL records are; a null text stays null.
                let text = row.text().map(|_| texts().collect::<Vec<_>>().join("\n\n"));
                let parquet = match &mut self.parquet {
                    Some(parquet) => parquet,
                    None => self
                        .parquet
                        .insert(crate::io::parquet::ParquetOutput::new(row)?),
                };
                parquet.write(row, text, &mut self.out)?;
            }
        }
        Ok(kept.len())
    }

    /// Flushes the rejects and returns the underlying writer, flushed.
    pub fn finish(mut self) -> std::io::Result<W> {
        #[cfg(feature = "parquet")]
        if let Some(parquet) = self.parquet.take() {
            parquet.finish(&mut self.out)?;
        }
        if let Some(rejects) = self.rejects.as_mut() {
            rejects.flush()?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Writes Dolma attributes: one line per document,
/// `{"id": …, "attributes": {"chaff__reporting": [[start, end, score], …], …}}`, with one
/// span per paragraph under its label (every label's key is there, its list possibly
/// empty). `start` and `end` count characters (Unicode scalar values, as Python slices
/// count) into the document's text field as read, from the paragraph's first to its last
/// non-white-space character; `score` is the paragraph's probability of its label.
///
/// Only JSONL documents whose text field is one string have such offsets; see
/// [`DolmaWriter::check`].
pub struct DolmaWriter<W: Write> {
    out: W,
    /// `chaff__LABEL` for each label, in label order.
    keys: Vec<String>,
    id_field: String,
}

/// One line of Dolma attributes.
#[derive(Serialize)]
struct DolmaRecord<'a> {
    id: &'a Value,
    attributes: DolmaAttributes<'a>,
}

/// The spans of each label, as a JSON object in label order.
struct DolmaAttributes<'a> {
    keys: &'a [String],
    spans: &'a [Vec<(usize, usize, f64)>],
}

impl Serialize for DolmaAttributes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.keys.len()))?;
        for (key, spans) in self.keys.iter().zip(self.spans) {
            map.serialize_entry(key, spans)?;
        }
        map.end()
    }
}

impl<W: Write> DolmaWriter<W> {
    /// A writer of attributes named `chaff__LABEL` for each of `labels`; a document's id
    /// is its `id_field` (a string or number, as it is in the input).
    pub fn new(out: W, labels: &LabelSet, id_field: &str) -> Self {
        DolmaWriter {
            out,
            keys: labels
                .names()
                .iter()
                .map(|l| format!("chaff__{l}"))
                .collect(),
            id_field: id_field.to_string(),
        }
    }

    /// The text `item`'s offsets count into, or why it has none: only a JSONL document
    /// whose text field is one string has character offsets.
    pub fn check(item: &Item) -> crate::Result<&str> {
        let refuse = |what: &str| {
            Err(crate::Error::input(
                item.location.clone(),
                format!(
                    "--format dolma gives character offsets into a JSONL document's text \
                     string, and {what}"
                ),
            ))
        };
        match &item.origin {
            Origin::Json {
                object, text_field, ..
            } => match object.get(text_field) {
                Some(Value::String(text)) => Ok(text),
                _ => refuse(&format!(
                    "this record's field {text_field:?} is an array of paragraphs; \
                     use --format jsonl"
                )),
            },
            _ => refuse("this input is not JSONL; use --format jsonl"),
        }
    }

    /// Writes the attributes of one document (one line, also for a document without
    /// paragraphs).
    pub fn write(&mut self, item: &Item, tagged: &TaggedArticle) -> io::Result<()> {
        let text = Self::check(item).map_err(|e| io::Error::other(e.to_string()))?;
        let spans = crate::text::paragraphs::paragraph_spans(text);
        if spans.len() != tagged.paragraphs.len() {
            return Err(io::Error::other(format!(
                "{}: {} paragraphs tagged but {} found in the text",
                item.location,
                tagged.paragraphs.len(),
                spans.len()
            )));
        }
        let mut by_label: Vec<Vec<(usize, usize, f64)>> = vec![Vec::new(); self.keys.len()];
        // Byte offsets to character offsets, in one pass: spans come in text order.
        let (mut byte, mut chars) = (0usize, 0usize);
        let mut to_chars = |to: usize| {
            chars += text[byte..to].chars().count();
            byte = to;
            chars
        };
        for (span, paragraph) in spans.iter().zip(&tagged.paragraphs) {
            let start = to_chars(span.start);
            let end = to_chars(span.end);
            let label = paragraph.label.index();
            by_label[label].push((start, end, round(paragraph.probabilities[label])));
        }
        let fallback;
        let id = match item.origin {
            Origin::Json { ref object, .. } => match object.get(&self.id_field) {
                Some(id @ (Value::String(_) | Value::Number(_))) => id,
                _ => {
                    fallback = Value::String(tagged.id.to_string());
                    &fallback
                }
            },
            _ => unreachable!("checked above"),
        };
        let record = DolmaRecord {
            id,
            attributes: DolmaAttributes {
                keys: &self.keys,
                spans: &by_label,
            },
        };
        serde_json::to_writer(&mut self.out, &record)?;
        self.out.write_all(b"\n")
    }

    /// Flushes and returns the underlying writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

fn round(p: f32) -> f64 {
    (p as f64 * 10_000.0).round() / 10_000.0
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use crate::error::Location;
    use crate::tagger::TaggedPiece;

    #[test]
    fn json_records_are_written_as_serde_json_writes_them() {
        let labels = vec!["reporting".to_string(), "a \"quoted\" label".to_string()];
        let probabilities = [0.123456_f32, 0.876544];
        let long = "x".repeat(40);
        let texts = [
            "",
            "Plain text, with ‘curly’ quotes, é and 💙.",
            "A \"quote\" inside",
            "back\\slash",
            "tab\there and a newline\n",
            "\u{1}\u{1f}\u{7f} controls",
            &long,
        ];
        for text in texts {
            // Escapes at every place in and around a block of 16 bytes.
            for cut in [0, 1, 15, 16, 17, 31, 32, 33] {
                let text = format!("{}{text}", &long[..cut]);
                for (piece, scores) in [(None, false), (Some(3), true)] {
                    let record = JsonRecord {
                        doc_id: &text,
                        position: 12,
                        piece,
                        label: &labels[1],
                        confidence: round(probabilities[1]),
                        scores: scores.then_some(Scores {
                            labels: &labels,
                            probabilities: &probabilities,
                        }),
                        text: &text,
                        explain: None,
                    };
                    let mut want = serde_json::to_vec(&record).unwrap();
                    want.push(b'\n');
                    let mut got = Vec::new();
                    record.write(&mut got);
                    assert_eq!(
                        String::from_utf8(got).unwrap(),
                        String::from_utf8(want).unwrap()
                    );
                }
            }
        }
    }

    #[test]
    fn every_byte_json_escapes_is_found_anywhere_in_a_block() {
        for byte in 0..=255u8 {
            let escaped = byte < 0x20 || byte == b'"' || byte == b'\\';
            for at in 0..40 {
                let mut bytes = vec![b'a'; 40];
                bytes[at] = byte;
                assert_eq!(needs_escaping(&bytes), escaped, "{byte} at {at}");
            }
        }
    }

    #[test]
    fn clean_counts_removals_writes_rejects_and_keeps_unsure_text() {
        let labels = LabelSet::from_names(["reporting", "boilerplate"]);
        let label = |i| Label::of(&labels, i);
        let article = Article::new("d", ["News.", "Share this.", "Maybe."].map(String::from));
        let paragraph = |i: usize, l: usize, confidence: f32| TaggedParagraph {
            position: i + 4,
            text: article.paragraphs[i].text.as_str(),
            label: label(l),
            confidence,
            probabilities: vec![1.0 - confidence, confidence],
            pieces: Vec::new(),
            explanation: None,
        };
        let tagged = TaggedArticle {
            id: "d",
            paragraphs: vec![
                paragraph(0, 0, 0.9),
                paragraph(1, 1, 0.95),
                paragraph(2, 1, 0.55),
            ],
        };
        let item = Item {
            article: article.clone(),
            origin: Origin::Text,
            location: Location::file("a.txt"),
        };
        let mut out = Vec::new();
        let mut rejects = Vec::new();
        let mut writer = CleanWriter::new(&mut out, vec![true, false])
            .min_confidence(0.6)
            .rejects(Some(&mut rejects));
        assert_eq!(writer.write(&item, &tagged).unwrap(), 2);
        let summary = writer.summary().clone();
        writer.finish().unwrap();
        assert_eq!(
            summary,
            CleanSummary {
                articles: 1,
                paragraphs: 3,
                kept: 2,
                removed: vec![0, 1],
            }
        );
        assert_eq!(String::from_utf8(out).unwrap(), "News.\n\nMaybe.\n");
        assert_eq!(
            String::from_utf8(rejects).unwrap(),
            "{\"doc_id\":\"d\",\"position\":5,\"label\":\"boilerplate\",\"confidence\":0.95,\
             \"text\":\"Share this.\"}\n"
        );

        // A split paragraph loses only its removed pieces; each goes to the rejects.
        let text = "News. Share this.";
        let piece = |range: std::ops::Range<usize>, l: usize| TaggedPiece {
            text: &text[range.clone()],
            range,
            label: label(l),
            confidence: 0.9,
            probabilities: vec![0.1, 0.9],
        };
        let split = TaggedArticle {
            id: "s",
            paragraphs: vec![TaggedParagraph {
                position: 0,
                text,
                label: label(0),
                confidence: 0.6,
                probabilities: vec![0.6, 0.4],
                pieces: vec![piece(0..5, 0), piece(6..17, 1)],
                explanation: None,
            }],
        };
        let item = Item {
            article: Article::new("s", [text.to_string()]),
            origin: Origin::Text,
            location: Location::file("s.txt"),
        };
        let mut out = Vec::new();
        let mut rejects = Vec::new();
        let mut writer = CleanWriter::new(&mut out, vec![true, false]).rejects(Some(&mut rejects));
        writer.write(&item, &split).unwrap();
        assert_eq!(writer.summary().removed, [0, 0]);
        writer.finish().unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "News.\n");
        assert!(String::from_utf8(rejects)
            .unwrap()
            .contains("\"piece\":1,\"label\":\"boilerplate\""));
    }
}
