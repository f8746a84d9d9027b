//! The evaluation report: the scores of an [`Evaluation`] as text for people, Markdown for
//! READMEs and pull requests, JSON for machines (and for baselines to compare against) and
//! JUnit XML for CI systems.

use std::fmt::Write as _;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::dataset::{GroupBy, LabelledSet};
use crate::error::display_path;
use crate::eval::evaluate::Evaluation;
use crate::eval::metrics::{Confusion, LabelScores};
use crate::label::REPORTING;

use crate::report::gates::GateResult;
use crate::report::junit::to_junit;

/// The scores of a model on a labelled set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Which model was scored.
    pub model: String,
    /// Which files were scored.
    pub data: Vec<String>,
    /// Rows scored.
    pub rows: usize,
    /// Documents scored.
    pub documents: usize,
    /// Unweighted mean of the labels' F1.
    pub macro_f1: f64,
    /// Mean of the labels' F1 weighted by support.
    pub weighted_f1: f64,
    /// Share of rows tagged right.
    pub accuracy: f64,
    /// F1 of `reporting` against everything else, when the model has that label.
    pub reporting_vs_rest_f1: Option<f64>,
    /// Per-label scores, in the model's label order.
    pub labels: IndexMap<String, LabelScores>,
    /// The confusion matrix.
    pub confusion: ConfusionTable,
    /// Paragraphs cut into pieces (only when evaluated with `--pieces`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split_paragraphs: Option<usize>,
    /// Scores per publisher or site, when the data names them (largest groups first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupScores>,
}

/// Scores on the documents of one publisher or site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupScores {
    /// The publisher or site.
    pub name: String,
    /// Its documents.
    pub documents: usize,
    /// Its rows.
    pub rows: usize,
    /// Accuracy on its rows.
    pub accuracy: f64,
    /// Macro-F1 on its rows.
    pub macro_f1: f64,
}

/// The confusion matrix with its label names: `matrix[truth][predicted]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfusionTable {
    /// Label names, the order of rows and columns.
    pub labels: Vec<String>,
    /// Counts: rows are true labels, columns predicted ones.
    pub matrix: Vec<Vec<usize>>,
}

/// Output formats of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// Plain text for a terminal.
    Text,
    /// Markdown tables.
    Markdown,
    /// JSON (the shape `--baseline` reads).
    Json,
    /// JUnit XML: each figure and gate a test case.
    Junit,
}

impl ReportFormat {
    /// The format a file name implies: `.json`, `.md`, `.xml` (JUnit), else text.
    pub fn from_path(path: &std::path::Path) -> ReportFormat {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("json") => ReportFormat::Json,
            Some("md" | "markdown") => ReportFormat::Markdown,
            Some("xml") => ReportFormat::Junit,
            _ => ReportFormat::Text,
        }
    }
}

impl Report {
    /// Builds the report of `evaluation` of `model` on `set`.
    pub fn new(evaluation: &Evaluation, set: &LabelledSet, model: &str) -> Report {
        let c = &evaluation.confusion;
        let data = set.files.iter().map(|p| display_path(p)).collect();
        let labels = evaluation
            .labels
            .iter()
            .enumerate()
            .map(|(k, name)| (name.clone(), c.label(k)))
            .collect();
        Report {
            model: model.to_string(),
            data,
            rows: c.total(),
            documents: evaluation.documents,
            macro_f1: c.macro_f1(),
            weighted_f1: c.weighted_f1(),
            accuracy: c.accuracy(),
            reporting_vs_rest_f1: evaluation
                .labels
                .iter()
                .position(|l| l == REPORTING)
                .map(|k| c.one_vs_rest_f1(k)),
            labels,
            confusion: ConfusionTable {
                labels: evaluation.labels.clone(),
                matrix: c.counts.clone(),
            },
            groups: group_scores(evaluation, set),
            split_paragraphs: evaluation
                .pieces
                .then(|| evaluation.outcomes.iter().filter(|o| o.pieces).count()),
        }
    }

    /// The report in `format`; JUnit test cases come from `gates`.
    pub fn render(&self, format: ReportFormat, gates: &[GateResult]) -> String {
        match format {
            ReportFormat::Text => self.to_text(),
            ReportFormat::Markdown => self.to_markdown(),
            ReportFormat::Junit => to_junit(self, gates),
            ReportFormat::Json => {
                let mut s = serde_json::to_string_pretty(self).expect("reports serialize");
                s.push('\n');
                s
            }
        }
    }

    fn to_text(&self) -> String {
        let mut s = String::new();
        let width = self
            .labels
            .keys()
            .map(|l| l.len())
            .chain(["weighted avg".len(), "reporting vs rest".len()])
            .max()
            .unwrap_or(10);
        let _ = writeln!(
            s,
            "{} on {} ({} paragraphs, {} documents)\n",
            self.model,
            self.data.join(", "),
            self.rows,
            self.documents
        );
        let _ = writeln!(s, "{:width$}  precision  recall      f1  support", "label");
        for (name, l) in &self.labels {
            let _ = writeln!(
                s,
                "{name:width$}  {:>9.3}  {:>6.3}  {:>6.3}  {:>7}",
                l.precision, l.recall, l.f1, l.support
            );
        }
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{:width$}  {:>25.3}  {:>7}",
            "macro avg", self.macro_f1, self.rows
        );
        let _ = writeln!(
            s,
            "{:width$}  {:>25.3}  {:>7}",
            "weighted avg", self.weighted_f1, self.rows
        );
        let _ = writeln!(
            s,
            "{:width$}  {:>25.3}  {:>7}",
            "accuracy", self.accuracy, self.rows
        );
        if let Some(f) = self.reporting_vs_rest_f1 {
            let _ = writeln!(s, "{:width$}  {:>25.3}", "reporting vs rest", f);
        }
        if let Some(n) = self.split_paragraphs {
            let _ = writeln!(s, "{:width$}  {:>25}", "split paragraphs", n);
        }
        if !self.groups.is_empty() {
            let gw = self
                .groups
                .iter()
                .map(|g| g.name.chars().count())
                .max()
                .unwrap_or(5)
                .max(9);
            let _ = writeln!(
                s,
                "\n{:gw$}  documents  paragraphs  accuracy  macro-F1",
                "publisher"
            );
            for g in &self.groups {
                let pad = gw - g.name.chars().count();
                let _ = writeln!(
                    s,
                    "{}{:pad$}  {:>9}  {:>10}  {:>8.3}  {:>8.3}",
                    g.name, "", g.documents, g.rows, g.accuracy, g.macro_f1
                );
            }
        }
        let _ = writeln!(s, "\nconfusion (rows: true label, columns: predicted)");
        let names = &self.confusion.labels;
        let col = names.iter().map(|n| n.len()).max().unwrap_or(5).max(5);
        let _ = write!(s, "{:width$}", "");
        for n in names {
            let _ = write!(s, "  {n:>col$}");
        }
        let _ = writeln!(s);
        for (n, row) in names.iter().zip(&self.confusion.matrix) {
            let _ = write!(s, "{n:width$}");
            for v in row {
                let _ = write!(s, "  {v:>col$}");
            }
            let _ = writeln!(s);
        }
        s
    }

    fn to_markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "**{}** on **{}** ({} paragraphs, {} documents)\n",
            self.model,
            self.data.join(", "),
            self.rows,
            self.documents
        );
        let _ = writeln!(s, "| label | precision | recall | F1 | support |");
        let _ = writeln!(s, "|---|---:|---:|---:|---:|");
        for (name, l) in &self.labels {
            let _ = writeln!(
                s,
                "| {name} | {:.3} | {:.3} | {:.3} | {} |",
                l.precision, l.recall, l.f1, l.support
            );
        }
        let _ = writeln!(
            s,
            "| **macro avg** | | | **{:.3}** | {} |",
            self.macro_f1, self.rows
        );
        let _ = writeln!(
            s,
            "| weighted avg | | | {:.3} | {} |",
            self.weighted_f1, self.rows
        );
        let _ = writeln!(s, "| accuracy | | | {:.3} | {} |", self.accuracy, self.rows);
        if let Some(f) = self.reporting_vs_rest_f1 {
            let _ = writeln!(s, "| reporting vs rest | | | {f:.3} | |");
        }
        if !self.groups.is_empty() {
            let _ = writeln!(
                s,
                "\n| publisher | documents | paragraphs | accuracy | macro-F1 |\n|---|---:|---:|---:|---:|"
            );
            for g in &self.groups {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {:.3} | {:.3} |",
                    g.name, g.documents, g.rows, g.accuracy, g.macro_f1
                );
            }
        }
        let _ = writeln!(s, "\nConfusion (rows: true label, columns: predicted)\n");
        let names = &self.confusion.labels;
        let _ = writeln!(s, "| true \\ predicted | {} |", names.join(" | "));
        let _ = writeln!(s, "|---|{}", "---:|".repeat(names.len()));
        for (n, row) in names.iter().zip(&self.confusion.matrix) {
            let cells: Vec<String> = row.iter().map(|v| v.to_string()).collect();
            let _ = writeln!(s, "| {n} | {} |", cells.join(" | "));
        }
        s
    }
}

/// Text made safe inside XML and HTML elements and attributes.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Scores per publisher (or site) when the set names them.
fn group_scores(evaluation: &Evaluation, set: &LabelledSet) -> Vec<GroupScores> {
    let named = set
        .documents
        .iter()
        .any(|d| d.publisher.is_some() || d.site.is_some());
    if !named || set.documents.len() != evaluation.documents {
        return Vec::new();
    }
    let mut groups: IndexMap<&str, (usize, Confusion)> = IndexMap::new();
    for o in &evaluation.outcomes {
        let name = set.group_of(o.document, GroupBy::Site);
        let entry = groups
            .entry(name)
            .or_insert_with(|| (0, Confusion::new(evaluation.labels.len())));
        entry.1.add(o.truth, o.predicted);
    }
    for (d, _) in set.documents.iter().enumerate() {
        if let Some(entry) = groups.get_mut(set.group_of(d, GroupBy::Site)) {
            entry.0 += 1;
        }
    }
    let mut out: Vec<GroupScores> = groups
        .into_iter()
        .map(|(name, (documents, c))| GroupScores {
            name: name.to_string(),
            documents,
            rows: c.total(),
            accuracy: c.accuracy(),
            macro_f1: c.macro_f1(),
        })
        .collect();
    out.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.name.cmp(&b.name)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::metrics::Confusion;

    fn sample() -> Report {
        let mut confusion = Confusion::new(2);
        confusion.add(0, 0);
        confusion.add(0, 1);
        confusion.add(1, 1);
        let evaluation = Evaluation {
            labels: vec!["reporting".into(), "boilerplate".into()],
            confusion,
            outcomes: vec![],
            documents: 1,
            pieces: false,
        };
        let mut set = LabelledSet::default();
        set.files.push("t.csv".into());
        Report::new(&evaluation, &set, "m.chaff")
    }

    #[test]
    fn json_has_the_contract_fields() {
        let json: serde_json::Value =
            serde_json::from_str(&sample().render(ReportFormat::Json, &[])).unwrap();
        assert!((json["macro_f1"].as_f64().unwrap() - (2.0 / 3.0)).abs() < 1e-9);
        assert!((json["accuracy"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(json["labels"]["reporting"]["support"], 2);
        assert_eq!(json["labels"]["boilerplate"]["precision"], 0.5);
        assert_eq!(json["confusion"]["matrix"][0][1], 1);
        let back: Report = serde_json::from_value(json).unwrap();
        assert_eq!(back, sample());
    }

    #[test]
    fn text_and_markdown_show_every_label_and_the_matrix() {
        for format in [ReportFormat::Text, ReportFormat::Markdown] {
            let out = sample().render(format, &[]);
            assert!(
                out.contains("reporting") && out.contains("boilerplate"),
                "{out}"
            );
            assert!(out.contains("0.667"), "{out}");
            assert!(out.to_lowercase().contains("confusion"), "{out}");
        }
    }
}
