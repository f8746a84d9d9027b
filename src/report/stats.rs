//! `chaff stats` renderings: a labelled set's counts as text and as the Markdown block
//! data/README.md holds.

use std::fmt::Write as _;

use crate::eval::stats::Stats;

impl Stats {
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
