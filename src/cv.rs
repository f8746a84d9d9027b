//! Grouped k-fold cross-validation: every document of a group (publisher, site or document)
//! lands in the same fold, so a model is always scored on groups it never trained on, as it
//! will be on new sites. Training uses the same settings as `train`.

use std::collections::HashSet;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::dataset::{GroupBy, LabelledSet};
use crate::error::{Error, Location, Result};
use crate::evaluate::{evaluate, Outcome};
use crate::label::{LabelSet, REPORTING};
use crate::metrics::Confusion;
use crate::train::{assign_folds, train, TrainParams};

/// Mean and standard deviation of one figure over the folds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    pub mean: f64,
    pub std: f64,
}

impl Spread {
    fn of(values: &[f64]) -> Spread {
        let n = values.len().max(1) as f64;
        let mean = values.iter().sum::<f64>() / n;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
        Spread {
            mean,
            std: var.sqrt(),
        }
    }
}

/// The figures of one fold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoldScores {
    pub fold: usize,
    pub train_rows: usize,
    pub test_rows: usize,
    pub groups: usize,
    pub macro_f1: f64,
    pub accuracy: f64,
    pub reporting_vs_rest_f1: Option<f64>,
    /// F1 per label, in label order.
    pub f1: Vec<f64>,
}

/// The result of a cross-validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossValidation {
    pub data: String,
    /// Files added to every fold's training data and never scored, if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub extra: Option<String>,
    pub group_by: String,
    pub labels: Vec<String>,
    pub folds: Vec<FoldScores>,
    pub macro_f1: Spread,
    pub accuracy: Spread,
    pub reporting_vs_rest_f1: Option<Spread>,
    /// Per label, in label order.
    pub f1: Vec<Spread>,
    /// The folds' confusion matrices added up.
    pub confusion: Vec<Vec<usize>>,
    /// Each document's fold: (doc_id, fold), in the set's order.
    #[serde(skip)]
    pub assignment: Vec<(String, usize)>,
    /// Every scored paragraph's out-of-fold tag, in the set's order.
    #[serde(skip)]
    pub predictions: Vec<Prediction>,
}

/// One paragraph's tag from the fold that did not train on it: what error analysis reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Index of the document in the cross-validated set and of the paragraph in it.
    pub document: usize,
    pub paragraph: usize,
    pub fold: usize,
    /// The labelled and the predicted label, as indices into [`CrossValidation::labels`].
    pub truth: usize,
    pub predicted: usize,
    pub confidence: f32,
}

/// Runs `folds`-fold cross-validation of training with `params` on `set`.
///
/// Every fold's training data also holds every document of `extra` (one set per file,
/// often none), whose rows are never scored: this measures adapting chaff to new pages by
/// training on a few labelled ones together with an existing corpus such as
/// data/train.csv. `extra` must share no document or group with `set`, or the scores would
/// leak.
pub fn cross_validate(
    set: &LabelledSet,
    extra: &[LabelledSet],
    params: &TrainParams,
    folds: usize,
    by: GroupBy,
) -> Result<CrossValidation> {
    params.check()?;
    extra.iter().try_for_each(|e| check_disjoint(set, e, by))?;
    let labels: LabelSet = LabelSet::from_names(
        set.paragraphs()
            .chain(extra.iter().flat_map(|e| e.paragraphs()))
            .map(|p| p.label.clone()),
    );
    let fold_of = assign_folds(set, by, folds);
    let groups = |f: usize| {
        let mut g: Vec<&str> = (0..set.documents.len())
            .filter(|&d| fold_of[d] == f)
            .map(|d| set.group_of(d, by))
            .collect();
        g.sort_unstable();
        g.dedup();
        g.len()
    };
    let available = (0..folds).filter(|&f| groups(f) > 0).count();
    if folds < 2 || available < folds {
        return Err(Error::Usage(format!(
            "{}: cannot make {folds} folds grouped by {by:?}: there are only {available} \
             groups",
            set.describe_files()
        )));
    }
    let mut results = Vec::new();
    let mut pooled = Confusion::new(labels.len());
    let mut predictions = Vec::with_capacity(set.rows());
    for fold in 0..folds {
        let pick = |keep: bool| {
            set.documents
                .iter()
                .zip(&fold_of)
                .filter(move |(_, f)| (**f == fold) == keep)
                .map(|(d, _)| d.clone())
        };
        let scored: Vec<usize> = (0..set.documents.len())
            .filter(|&d| fold_of[d] == fold)
            .collect();
        let train_set = LabelledSet::from_documents(
            pick(false)
                .chain(extra.iter().flat_map(|e| e.documents.iter().cloned()))
                .collect(),
        );
        let test_set = LabelledSet::from_documents(pick(true).collect());
        let model = train(&train_set, params)?.model;
        // A label missing from this fold's training data cannot be predicted; score in the
        // full label set so every fold's figures line up.
        let (evaluation, outcomes) = evaluate_in(&model, &test_set, &labels)?;
        predictions.extend(outcomes.into_iter().map(|o| Prediction {
            document: scored[o.document],
            paragraph: o.paragraph,
            fold,
            truth: o.truth,
            predicted: o.predicted,
            confidence: o.confidence,
        }));
        for (t, row) in evaluation.counts.iter().enumerate() {
            for (p, n) in row.iter().enumerate() {
                pooled.counts[t][p] += n;
            }
        }
        let reporting = labels.index(REPORTING);
        results.push(FoldScores {
            fold,
            train_rows: train_set.rows(),
            test_rows: test_set.rows(),
            groups: groups(fold),
            macro_f1: evaluation.macro_f1(),
            accuracy: evaluation.accuracy(),
            reporting_vs_rest_f1: reporting.map(|k| evaluation.one_vs_rest_f1(k)),
            f1: (0..labels.len()).map(|k| evaluation.label(k).f1).collect(),
        });
    }
    let figure =
        |get: &dyn Fn(&FoldScores) -> f64| Spread::of(&results.iter().map(get).collect::<Vec<_>>());
    Ok(CrossValidation {
        data: set.describe_files(),
        extra: (!extra.is_empty()).then(|| {
            extra
                .iter()
                .map(|e| e.describe_files())
                .collect::<Vec<_>>()
                .join(", ")
        }),
        group_by: by.name().to_string(),
        labels: labels.names().to_vec(),
        macro_f1: figure(&|r| r.macro_f1),
        accuracy: figure(&|r| r.accuracy),
        reporting_vs_rest_f1: labels
            .index(REPORTING)
            .map(|_| figure(&|r| r.reporting_vs_rest_f1.unwrap_or(0.0))),
        f1: (0..labels.len()).map(|k| figure(&|r| r.f1[k])).collect(),
        confusion: pooled.counts,
        folds: results,
        assignment: set
            .documents
            .iter()
            .zip(&fold_of)
            .map(|(d, f)| (d.id.clone(), *f))
            .collect(),
        predictions: {
            predictions.sort_by_key(|p| (p.document, p.paragraph));
            predictions
        },
    })
}

/// Refuses extra training data (one file) that shares a document id or a group (under
/// `by`) with the cross-validated set: its rows would be trained on while their twins are
/// scored.
fn check_disjoint(set: &LabelledSet, extra: &LabelledSet, by: GroupBy) -> Result<()> {
    let ids: HashSet<&str> = set.documents.iter().map(|d| d.id.as_str()).collect();
    let groups: HashSet<&str> = (0..set.documents.len())
        .map(|d| set.group_of(d, by))
        .collect();
    for (d, document) in extra.documents.iter().enumerate() {
        let group = extra.group_of(d, by);
        let clash = if ids.contains(document.id.as_str()) {
            format!("document {:?}", document.id)
        } else if groups.contains(group) {
            format!("{} {group:?}", by.name())
        } else {
            continue;
        };
        let line = document.paragraphs.first().map_or(0, |p| p.line);
        let shared = match by {
            GroupBy::Document => "document".to_string(),
            _ => format!("document or {}", by.name()),
        };
        return Err(Error::input(
            Location::line(extra.describe_files(), line),
            format!(
                "{clash} is also in the cross-validated data ({}); extra training data must \
                 share no {shared} with it, or the scores would leak",
                set.describe_files()
            ),
        ));
    }
    Ok(())
}

/// The confusion matrix of `model` on `set`, and each paragraph's outcome, in the label
/// order of `labels`.
fn evaluate_in(
    model: &crate::model::Model,
    set: &LabelledSet,
    labels: &LabelSet,
) -> Result<(Confusion, Vec<Outcome>)> {
    let mut evaluation = evaluate(model, set)?;
    let mut confusion = Confusion::new(labels.len());
    let map = |k: usize| {
        labels
            .index(&evaluation.labels[k])
            .expect("the model's labels come from the same set")
    };
    for o in &mut evaluation.outcomes {
        o.truth = map(o.truth);
        o.predicted = map(o.predicted);
        confusion.add(o.truth, o.predicted);
    }
    Ok((confusion, evaluation.outcomes))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_is_mean_and_population_std() {
        let s = Spread::of(&[0.5, 0.7]);
        assert!((s.mean - 0.6).abs() < 1e-12);
        assert!((s.std - 0.1).abs() < 1e-12);
    }
}
