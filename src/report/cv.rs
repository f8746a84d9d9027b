//! `chaff cv` renderings: each figure's mean and spread over the folds, as text and as
//! Markdown.

use std::fmt::Write as _;

use crate::learn::cv::{CrossValidation, Spread};

impl CrossValidation {
    /// Plain-text table: each figure's mean ± standard deviation, then each fold.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{}-fold cross-validation of {} grouped by {}{}\n",
            self.folds.len(),
            self.data,
            self.group_by,
            self.extra
                .as_ref()
                .map(|e| format!(", every fold also trained on {e}"))
                .unwrap_or_default()
        );
        let width = self
            .labels
            .iter()
            .map(|l| l.len())
            .max()
            .unwrap_or(8)
            .max(20);
        let row = |s: &mut String, name: &str, v: &Spread| {
            let _ = writeln!(s, "{name:width$}  {:.3} ± {:.3}", v.mean, v.std);
        };
        row(&mut s, "macro-F1", &self.macro_f1);
        row(&mut s, "accuracy", &self.accuracy);
        if let Some(r) = &self.reporting_vs_rest_f1 {
            row(&mut s, "reporting vs rest F1", r);
        }
        for (l, v) in self.labels.iter().zip(&self.f1) {
            row(&mut s, &format!("F1 {l}"), v);
        }
        let _ = writeln!(s, "\nfold  train rows  test rows  groups  macro-F1");
        for f in &self.folds {
            let _ = writeln!(
                s,
                "{:>4}  {:>10}  {:>9}  {:>6}  {:>8.3}",
                f.fold, f.train_rows, f.test_rows, f.groups, f.macro_f1
            );
        }
        s
    }

    /// Markdown table of the figures.
    pub fn to_markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "| figure | mean | std |\n|---|---:|---:|");
        let mut row = |name: &str, v: &Spread| {
            let _ = writeln!(s, "| {name} | {:.3} | {:.3} |", v.mean, v.std);
        };
        row("macro-F1", &self.macro_f1);
        row("accuracy", &self.accuracy);
        if let Some(r) = &self.reporting_vs_rest_f1 {
            row("reporting vs rest F1", r);
        }
        for (l, v) in self.labels.iter().zip(&self.f1) {
            row(&format!("F1 {l}"), v);
        }
        s
    }
}
