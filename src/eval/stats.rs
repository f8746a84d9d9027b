//! Corpus statistics: how many rows, documents, distinct texts and publishers each label
//! has, and how rows spread over publishers. `chaff stats` prints them so data/README.md
//! is generated, not typed.

use std::collections::{BTreeMap, HashSet};

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
    /// The files counted, as named in messages.
    pub files: String,
    /// Labelled rows.
    pub rows: usize,
    /// Documents.
    pub documents: usize,
    /// Distinct publishers (or sites).
    pub publishers: usize,
    /// Counts per label, in label order.
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
