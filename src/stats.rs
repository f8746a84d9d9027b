//! Corpus statistics: how many rows, documents, distinct texts and publishers each label
//! has, and how rows spread over publishers. `chaff stats` prints them so data/README.md
//! is generated, not typed.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use crate::dataset::{GroupBy, LabelledSet};

/// Counts of one label.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelCounts {
    pub rows: usize,
    pub distinct_texts: usize,
    pub documents: usize,
    pub publishers: usize,
}

/// Statistics of a labelled set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    pub files: String,
    pub rows: usize,
    pub documents: usize,
    pub publishers: usize,
    pub labels: Vec<(String, LabelCounts)>,
    /// Rows per label for each publisher (or site), in the label order of `labels`.
    pub by_publisher: BTreeMap<String, (usize, Vec<usize>)>,
}

impl Stats {
    /// Counts `set`.
    pub fn of(set: &LabelledSet) -> Stats {
        let labels = set.labels();
        let mut counts = vec![LabelCounts::default(); labels.len()];
        let mut texts: Vec<HashSet<&str>> = vec![HashSet::new(); labels.len()];
        let mut publishers_of: Vec<HashSet<&str>> = vec![HashSet::new(); labels.len()];
        let mut by_publisher: BTreeMap<String, (usize, Vec<usize>)> = BTreeMap::new();
        for (d, document) in set.documents.iter().enumerate() {
            let publisher = set.group_of(d, GroupBy::Site);
            let entry = by_publisher
                .entry(publisher.to_string())
                .or_insert_with(|| (0, vec![0; labels.len()]));
            entry.0 += 1;
            let mut seen = vec![false; labels.len()];
            for p in &document.paragraphs {
                let k = labels.index(&p.label).expect("label from this set");
                counts[k].rows += 1;
                texts[k].insert(p.text.as_str());
                publishers_of[k].insert(publisher);
                entry.1[k] += 1;
                seen[k] = true;
            }
            for (k, s) in seen.iter().enumerate() {
                counts[k].documents += usize::from(*s);
            }
        }
        for k in 0..labels.len() {
            counts[k].distinct_texts = texts[k].len();
            counts[k].publishers = publishers_of[k].len();
        }
        Stats {
            files: set.describe_files(),
            rows: set.rows(),
            documents: set.documents.len(),
            publishers: by_publisher.len(),
            labels: labels.names().iter().cloned().zip(counts).collect(),
            by_publisher,
        }
    }

    /// The statistics as Markdown tables.
    pub fn to_markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{}: {} paragraphs in {} documents from {} publishers.\n",
            self.files, self.rows, self.documents, self.publishers
        );
        let _ = writeln!(
            s,
            "| label | rows | distinct texts | documents | publishers |"
        );
        let _ = writeln!(s, "|---|---:|---:|---:|---:|");
        for (name, c) in &self.labels {
            let _ = writeln!(
                s,
                "| {name} | {} | {} | {} | {} |",
                c.rows, c.distinct_texts, c.documents, c.publishers
            );
        }
        let names: Vec<&str> = self.labels.iter().map(|(n, _)| n.as_str()).collect();
        let _ = writeln!(s, "\n| publisher | documents | {} |", names.join(" | "));
        let _ = writeln!(s, "|---|---:|{}", "---:|".repeat(names.len()));
        for (publisher, (documents, rows)) in &self.by_publisher {
            let cells: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
            let _ = writeln!(s, "| {publisher} | {documents} | {} |", cells.join(" | "));
        }
        s
    }

    /// The statistics as aligned plain text.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{}: {} paragraphs, {} documents, {} publishers\n",
            self.files, self.rows, self.documents, self.publishers
        );
        let width = self
            .labels
            .iter()
            .map(|(n, _)| n.len())
            .chain(self.by_publisher.keys().map(|k| k.chars().count()))
            .max()
            .unwrap_or(5)
            .max(9);
        let _ = writeln!(
            s,
            "{:width$}  {:>6}  {:>8}  {:>9}  {:>10}",
            "label", "rows", "distinct", "documents", "publishers"
        );
        for (name, c) in &self.labels {
            let _ = writeln!(
                s,
                "{name:width$}  {:>6}  {:>8}  {:>9}  {:>10}",
                c.rows, c.distinct_texts, c.documents, c.publishers
            );
        }
        let _ = write!(s, "\n{:width$}  {:>9}", "publisher", "documents");
        for (name, _) in &self.labels {
            let _ = write!(s, "  {:>w$}", name, w = name.len().max(5));
        }
        let _ = writeln!(s);
        for (publisher, (documents, rows)) in &self.by_publisher {
            let pad = width.saturating_sub(publisher.chars().count());
            let _ = write!(s, "{publisher}{:pad$}  {documents:>9}", "");
            for ((name, _), r) in self.labels.iter().zip(rows) {
                let _ = write!(s, "  {:>w$}", r, w = name.len().max(5));
            }
            let _ = writeln!(s);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{Document, LabelledParagraph};

    fn para(text: &str, label: &str) -> LabelledParagraph {
        LabelledParagraph {
            text: text.into(),
            label: label.into(),
            position: 0,
            line: 1,
        }
    }

    #[test]
    fn counts_rows_distinct_texts_documents_and_publishers() {
        let set = LabelledSet::from_documents(vec![
            Document {
                id: "a".into(),
                publisher: Some("P".into()),
                site: None,
                paragraphs: vec![para("Donate", "donation_appeal"), para("x", "reporting")],
            },
            Document {
                id: "b".into(),
                publisher: Some("Q".into()),
                site: None,
                paragraphs: vec![para("Donate", "donation_appeal")],
            },
        ]);
        let stats = Stats::of(&set);
        assert_eq!(stats.rows, 3);
        assert_eq!(stats.publishers, 2);
        let (name, appeal) = &stats.labels[1];
        assert_eq!(name, "donation_appeal");
        assert_eq!(appeal.rows, 2);
        assert_eq!(appeal.distinct_texts, 1);
        assert_eq!(appeal.documents, 2);
        assert_eq!(appeal.publishers, 2);
        assert!(stats.to_markdown().contains("| P | 1 | 1 | 1 |"));
        assert!(stats.to_text().contains("donation_appeal"));
    }
}
