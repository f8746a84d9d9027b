//! Writing results: `tag` records (JSONL, CSV or text, one per paragraph) and `clean`
//! articles in their input's own format with only the kept paragraphs.

use std::io::Write;

use serde::ser::SerializeMap;
use serde::Serialize;
use serde_json::Value;

use crate::feed::{Item, Origin};
use crate::label::LabelSet;
use crate::model::Tag;

/// One output record: a paragraph, or a piece of a split paragraph.
struct Record<'a> {
    doc_id: &'a str,
    position: usize,
    piece: Option<usize>,
    label: usize,
    probabilities: &'a [f32],
    text: &'a str,
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
    Jsonl,
    Csv,
    Text,
}

/// Writes one record per paragraph: doc_id, position, label, confidence, text and, with
/// `scores`, every label's probability.
pub struct TagWriter<W: Write> {
    out: W,
    format: TagFormat,
    scores: bool,
    labels: Vec<String>,
    csv: Option<csv::Writer<Vec<u8>>>,
    wrote_header: bool,
    /// CSV gets a `piece` column (splitting is on).
    pieces: bool,
}

impl<W: Write> TagWriter<W> {
    /// A writer for `format`; `pieces` adds a `piece` column to CSV (for `--split`).
    pub fn new(out: W, format: TagFormat, scores: bool, pieces: bool, labels: &LabelSet) -> Self {
        TagWriter {
            out,
            format,
            scores,
            labels: labels.names().to_vec(),
            csv: (format == TagFormat::Csv).then(|| csv::Writer::from_writer(Vec::new())),
            wrote_header: false,
            pieces,
        }
    }

    /// Writes the records of one article: one per paragraph, or one per piece of a
    /// paragraph that was split (those records carry a `piece` number).
    pub fn write(&mut self, item: &Item, tags: &[Tag]) -> std::io::Result<()> {
        for (paragraph, tag) in item.article.paragraphs.iter().zip(tags) {
            if tag.pieces.is_empty() {
                let record = Record {
                    doc_id: &item.article.id,
                    position: paragraph.position,
                    piece: None,
                    label: tag.label,
                    probabilities: &tag.probabilities,
                    text: &paragraph.text,
                };
                self.write_record(&record)?;
            }
            for (k, piece) in tag.pieces.iter().enumerate() {
                let record = Record {
                    doc_id: &item.article.id,
                    position: paragraph.position,
                    piece: Some(k),
                    label: piece.label,
                    probabilities: &piece.probabilities,
                    text: &paragraph.text[piece.range.clone()],
                };
                self.write_record(&record)?;
            }
        }
        Ok(())
    }

    fn write_record(&mut self, r: &Record) -> std::io::Result<()> {
        let label = &self.labels[r.label];
        let confidence = round(r.probabilities[r.label]);
        match self.format {
            TagFormat::Jsonl => {
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
                };
                serde_json::to_writer(&mut self.out, &record)?;
                self.out.write_all(b"\n")?;
            }
            TagFormat::Csv => {
                let csv = self.csv.as_mut().expect("csv writer for csv format");
                if !self.wrote_header {
                    let mut header = vec!["doc_id", "position"];
                    if self.pieces {
                        header.push("piece");
                    }
                    header.extend(["label", "confidence"]);
                    if self.scores {
                        header.extend(self.labels.iter().map(String::as_str));
                    }
                    header.push("text");
                    csv.write_record(&header)?;
                    self.wrote_header = true;
                }
                let mut row = vec![r.doc_id.to_string(), r.position.to_string()];
                if self.pieces {
                    row.push(r.piece.map_or(String::new(), |p| p.to_string()));
                }
                row.extend([label.clone(), confidence.to_string()]);
                if self.scores {
                    row.extend(r.probabilities.iter().map(|p| round(*p).to_string()));
                }
                row.push(r.text.to_string());
                csv.write_record(&row)?;
                csv.flush()?;
                let buffer = csv.get_ref();
                self.out.write_all(buffer)?;
                // Reuse the csv writer's buffer: swap in a fresh one of the same size.
                let fresh = csv::Writer::from_writer(Vec::with_capacity(buffer.capacity()));
                *csv = fresh;
            }
            TagFormat::Text => {
                write!(self.out, "{label}\t{confidence:.3}")?;
                if self.scores {
                    for p in r.probabilities {
                        write!(self.out, "\t{:.3}", p)?;
                    }
                }
                let marker = if r.piece.is_some() { "\t+ " } else { "\t" };
                writeln!(self.out, "{marker}{}", one_line(r.text))?;
            }
        }
        Ok(())
    }

    /// Flushes and returns the underlying writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Writes articles back in their own format with only the paragraphs whose label is kept.
pub struct CleanWriter<W: Write> {
    out: W,
    keep: Vec<bool>,
    csv_header_written: Option<std::sync::Arc<csv::StringRecord>>,
    text_articles: usize,
}

impl<W: Write> CleanWriter<W> {
    /// `keep[k]` says whether label `k` is kept.
    pub fn new(out: W, keep: Vec<bool>) -> Self {
        CleanWriter {
            out,
            keep,
            csv_header_written: None,
            text_articles: 0,
        }
    }

    /// Writes one article; returns how many paragraphs were kept.
    pub fn write(&mut self, item: &Item, tags: &[Tag]) -> std::io::Result<usize> {
        // A split paragraph keeps the text of its kept pieces (joined by a space).
        let kept_text: Vec<Option<String>> = tags
            .iter()
            .zip(&item.article.paragraphs)
            .map(|(t, p)| {
                if t.pieces.is_empty() {
                    return self.keep[t.label].then(|| p.text.clone());
                }
                let parts: Vec<&str> = t
                    .pieces
                    .iter()
                    .filter(|piece| self.keep[piece.label])
                    .map(|piece| &p.text[piece.range.clone()])
                    .collect();
                (!parts.is_empty()).then(|| parts.join(" "))
            })
            .collect();
        let kept: Vec<usize> = (0..kept_text.len())
            .filter(|&i| kept_text[i].is_some())
            .collect();
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
        }
        Ok(kept.len())
    }

    /// Flushes and returns the underlying writer.
    pub fn finish(mut self) -> std::io::Result<W> {
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
