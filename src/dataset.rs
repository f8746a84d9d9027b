//! Labelled data: the CSV files chaff trains and evaluates on, grouped into documents.
//!
//! Columns: `text` and `label` are required; `doc_id` and `position` group rows into
//! documents in page order (without them each row is its own document); `publisher` and
//! `site` say who published a document (used to split and to count). Other columns are
//! ignored.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{display_path, Error, Location, Result, Warning};
use crate::io::csv_text::{csv_error, CrlfToLf};
use crate::io::read_file;
use crate::label::LabelSet;

/// One labelled paragraph, with the line it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledParagraph {
    /// The paragraph's text.
    pub text: String,
    /// Its label, as the file spells it.
    pub label: String,
    /// The paragraph's place in its document as given by the file (or its row order).
    pub position: i64,
    /// The file line the row starts on, for messages.
    pub line: u64,
}

/// A document of labelled paragraphs in page order.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The `doc_id` (or `file:line` when the file has none).
    pub id: String,
    /// The `publisher` column, when present.
    pub publisher: Option<String>,
    /// The `site` column, when present.
    pub site: Option<String>,
    /// Its paragraphs, in `position` order.
    pub paragraphs: Vec<LabelledParagraph>,
}

impl Document {
    /// The paragraph texts in order.
    pub fn texts(&self) -> Vec<&str> {
        self.paragraphs.iter().map(|p| p.text.as_str()).collect()
    }
}

/// A set of labelled documents read from one or more CSV files.
#[derive(Debug, Clone, Default)]
pub struct LabelledSet {
    /// The documents, in the order the files first name them.
    pub documents: Vec<Document>,
    /// The files read, in order.
    pub files: Vec<PathBuf>,
    /// SHA-256 of the files' bytes, in order, as lowercase hex: identifies the data a
    /// model was trained on.
    pub sha256: String,
    /// Problems chaff worked around (skipped rows...), one line each, with their location.
    pub warnings: Vec<Warning>,
}

/// What a document is grouped by when splitting data for evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// Each document on its own (`doc_id`).
    Document,
    /// By the `publisher` column (falling back to `site`, then the document).
    Publisher,
    /// By the `site` column (falling back to `publisher`, then the document).
    Site,
}

impl GroupBy {
    /// The group's name in messages and reports.
    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Document => "document",
            GroupBy::Publisher => "publisher",
            GroupBy::Site => "site",
        }
    }
}

impl LabelledSet {
    /// Reads and checks labelled CSV files.
    pub fn read<P: AsRef<Path>>(paths: &[P]) -> Result<Self> {
        let mut set = LabelledSet::default();
        let mut hasher = Sha256::new();
        for path in paths {
            let path = path.as_ref();
            let bytes = read_file(path)?;
            hasher.update(&bytes);
            let (documents, warnings) = parse(path, &bytes)?;
            set.documents.extend(documents);
            set.warnings.extend(warnings);
            set.files.push(path.to_path_buf());
        }
        set.sha256 = hex(&hasher.finalize());
        Ok(set)
    }

    /// Parses labelled CSV from bytes; `name` names it in messages (for callers that do not
    /// read files, and for fuzzing).
    pub fn parse(name: &Path, bytes: &[u8]) -> Result<Self> {
        let (documents, warnings) = parse(name, bytes)?;
        Ok(LabelledSet {
            documents,
            files: vec![name.to_path_buf()],
            sha256: hex(&Sha256::digest(bytes)),
            warnings,
        })
    }

    /// Builds a set from documents already in memory (no file, empty hash).
    pub fn from_documents(documents: Vec<Document>) -> Self {
        LabelledSet {
            documents,
            ..Default::default()
        }
    }

    /// The labels used, in canonical order.
    pub fn labels(&self) -> LabelSet {
        LabelSet::from_names(self.paragraphs().map(|p| p.label.clone()))
    }

    /// Every paragraph of every document.
    pub fn paragraphs(&self) -> impl Iterator<Item = &LabelledParagraph> {
        self.documents.iter().flat_map(|d| d.paragraphs.iter())
    }

    /// Number of labelled rows.
    pub fn rows(&self) -> usize {
        self.documents.iter().map(|d| d.paragraphs.len()).sum()
    }

    /// The files' names joined for messages.
    pub fn describe_files(&self) -> String {
        let names: Vec<String> = self.files.iter().map(|p| display_path(p)).collect();
        names.join(", ")
    }

    /// The grouping that [`LabelledSet::group_of`] really applies for `by`: a column that
    /// no document has falls back to the next (site to publisher, publisher to document).
    pub fn effective_grouping(&self, by: GroupBy) -> GroupBy {
        let has_site = self.documents.iter().any(|d| d.site.is_some());
        let has_publisher = self.documents.iter().any(|d| d.publisher.is_some());
        match by {
            GroupBy::Site if has_site => GroupBy::Site,
            GroupBy::Site | GroupBy::Publisher if has_publisher => GroupBy::Publisher,
            _ => GroupBy::Document,
        }
    }

    /// The group key of document `index` (falls back to the document id when the column
    /// is missing, so a split is never coarser than asked but also never empty).
    pub fn group_of(&self, index: usize, by: GroupBy) -> &str {
        let d = &self.documents[index];
        match by {
            GroupBy::Document => &d.id,
            GroupBy::Publisher => d.publisher.as_deref().unwrap_or(&d.id),
            GroupBy::Site => d
                .site
                .as_deref()
                .or(d.publisher.as_deref())
                .unwrap_or(&d.id),
        }
    }
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

struct Columns {
    text: usize,
    label: usize,
    doc_id: Option<usize>,
    position: Option<usize>,
    publisher: Option<usize>,
    site: Option<usize>,
}

fn find_columns(path: &Path, header: &csv::StringRecord) -> Result<Columns> {
    let find = |name: &str| header.iter().position(|h| h.trim() == name);
    let missing: Vec<&str> = ["text", "label"]
        .into_iter()
        .filter(|c| find(c).is_none())
        .collect();
    if !missing.is_empty() {
        let found: Vec<&str> = header.iter().collect();
        return Err(Error::input(
            Location::line(path, 1),
            format!(
                "missing required column{} {} (the header row has: {})",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(" and "),
                if found.is_empty() {
                    "nothing".to_string()
                } else {
                    found.join(", ")
                }
            ),
        ));
    }
    Ok(Columns {
        text: find("text").unwrap_or_default(),
        label: find("label").unwrap_or_default(),
        doc_id: find("doc_id"),
        position: find("position"),
        publisher: find("publisher"),
        site: find("site"),
    })
}

fn parse(path: &Path, bytes: &[u8]) -> Result<(Vec<Document>, Vec<Warning>)> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::input(
            Location::file(path),
            "the file is empty (expected a header row with text and label columns)",
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(CrlfToLf::new(bytes));
    let header = reader.headers().map_err(|e| csv_error(path, e))?.clone();
    let columns = find_columns(path, &header)?;
    let mut warnings = Vec::new();
    let mut documents: Vec<Document> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut row = 0u64;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(path, e)),
        }
        row += 1;
        let line = record.position().map(|p| p.line()).unwrap_or(row + 1);
        let at = || Location::line(path, line);
        let text = record.get(columns.text).unwrap_or("").trim();
        let label = record.get(columns.label).unwrap_or("").trim();
        if label.is_empty() {
            return Err(Error::input(at(), "empty label"));
        }
        if text.is_empty() {
            warnings.push(Warning::new(format!("{}: empty text, row skipped", at())));
            continue;
        }
        let doc_id = match columns.doc_id.and_then(|c| record.get(c)) {
            Some(id) if !id.trim().is_empty() => id.trim().to_string(),
            _ => format!("{}#{row}", display_path(path)),
        };
        let position = match columns.position.and_then(|c| record.get(c)) {
            Some(p) if !p.trim().is_empty() => p
                .trim()
                .parse::<i64>()
                .map_err(|_| Error::input(at(), format!("position {p:?} is not a whole number")))?,
            _ => row as i64,
        };
        let get = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let index = *by_id.entry(doc_id.clone()).or_insert_with(|| {
            documents.push(Document {
                id: doc_id,
                publisher: get(columns.publisher),
                site: get(columns.site),
                paragraphs: Vec::new(),
            });
            documents.len() - 1
        });
        documents[index].paragraphs.push(LabelledParagraph {
            text: text.to_string(),
            label: label.to_string(),
            position,
            line,
        });
    }
    for doc in &mut documents {
        doc.paragraphs.sort_by_key(|p| p.position);
        for pair in doc.paragraphs.windows(2) {
            if pair[0].position == pair[1].position {
                warnings.push(Warning::new(format!(
                    "{}: document {:?} has position {} twice (also line {})",
                    Location::line(path, pair[1].line),
                    doc.id,
                    pair[1].position,
                    pair[0].line
                )));
            }
        }
    }
    Ok((documents, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Result<(Vec<Document>, Vec<Warning>)> {
        parse(Path::new("t.csv"), s.as_bytes())
    }

    #[test]
    fn rows_group_into_documents_in_position_order() {
        let csv = "doc_id,position,text,label,publisher\n\
                   a,1,second,reporting,P\n\
                   b,0,other,boilerplate,Q\n\
                   a,0,first,boilerplate,P\n";
        let (docs, warnings) = parse_str(csv).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].texts(), ["first", "second"]);
        assert_eq!(docs[0].publisher.as_deref(), Some("P"));
        assert_eq!(docs[0].paragraphs[0].line, 4);
    }

    #[test]
    fn without_doc_id_each_row_is_a_document() {
        let (docs, _) = parse_str("text,label\nx,a\ny,b\n").unwrap();
        assert_eq!(docs.len(), 2);
    }

    #[test]
    fn quoted_newlines_crlf_and_bom_are_read() {
        let csv = "\u{feff}text,label\r\n\"two\nlines, one field\",a\r\n";
        let (docs, _) = parse_str(csv).unwrap();
        assert_eq!(docs[0].paragraphs[0].text, "two\nlines, one field");
    }

    #[test]
    fn missing_column_names_the_column_and_header() {
        let err = parse_str("text,labels\nx,a\n").unwrap_err().to_string();
        assert!(err.contains("t.csv:1"), "{err}");
        assert!(err.contains("missing required column label"), "{err}");
    }

    #[test]
    fn crlf_rows_name_their_own_line() {
        // The csv crate alone reports CRLF records a line early (rust-csv#395).
        let err = parse_str("text,label\r\nx,a\r\ny,\r\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("t.csv:3"), "{err}");
        let err = parse_str("text,label\r\nx,a\r\ny,b,c\r\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("t.csv:3"), "{err}");
        let (docs, _) = parse_str("doc_id,text,label\r\nd,x,a\r\nd,y,b\r\n").unwrap();
        assert_eq!(docs[0].paragraphs[1].line, 3);
    }

    #[test]
    fn ragged_row_names_its_line() {
        let err = parse_str("text,label\nx,a\ny,b,c\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("t.csv:3"), "{err}");
        assert!(err.contains("3 fields"), "{err}");
    }

    #[test]
    fn empty_text_is_skipped_with_warning_and_empty_label_refused() {
        let (docs, warnings) = parse_str("text,label\n,a\nx,a\n").unwrap();
        assert_eq!(docs.len(), 1);
        assert!(warnings[0].message().contains("t.csv:2"), "{warnings:?}");
        let err = parse_str("text,label\nx,\n").unwrap_err().to_string();
        assert!(err.contains("t.csv:2: empty label"), "{err}");
    }

    #[test]
    fn empty_file_and_bad_position_are_refused() {
        assert!(parse_str("").unwrap_err().to_string().contains("empty"));
        let err = parse_str("text,label,position\nx,a,first\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a whole number"), "{err}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

        #[test]
        fn any_bytes_parse_or_fail_with_a_located_error(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)
        ) {
            match parse(Path::new("t.csv"), &bytes) {
                Ok((documents, _)) => {
                    for d in documents {
                        proptest::prop_assert!(!d.paragraphs.is_empty());
                    }
                }
                Err(e) => proptest::prop_assert!(e.to_string().starts_with("t.csv"), "{}", e),
            }
        }
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let mut bytes = b"text,label\nok,a\n".to_vec();
        bytes.extend_from_slice(b"bad \xff byte,a\n");
        let err = parse(Path::new("t.csv"), &bytes).unwrap_err().to_string();
        assert!(err.contains("t.csv:3"), "{err}");
        assert!(err.contains("UTF-8"), "{err}");
    }
}
