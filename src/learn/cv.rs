//! Grouped k-fold cross-validation: every document of a group (publisher, site or document)
//! lands in the same fold, so a model is always scored on groups it never trained on, as it
//! will be on new sites. Training uses the same settings as `train`.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::dataset::{GroupBy, LabelledSet};
use crate::error::{Error, Location, Result, Warning};
use crate::eval::evaluate::evaluate_in;
use crate::eval::metrics::Confusion;
use crate::label::{LabelSet, REPORTING};
use crate::learn::folds::assign_folds;
use crate::learn::train::{train, TrainParams};

/// Mean and standard deviation of one figure over the folds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// Mean over the folds.
    pub mean: f64,
    /// Population standard deviation over the folds.
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
    /// The fold's number, from 0.
    pub fold: usize,
    /// Rows its model trained on (extra data included).
    pub train_rows: usize,
    /// Rows it was scored on.
    pub test_rows: usize,
    /// Groups it held out.
    pub groups: usize,
    /// Macro-F1 on its held-out rows.
    pub macro_f1: f64,
    /// Accuracy on its held-out rows.
    pub accuracy: f64,
    /// F1 of reporting against every other label, when `reporting` is a label.
    pub reporting_vs_rest_f1: Option<f64>,
    /// F1 per label, in label order.
    pub f1: Vec<f64>,
}

/// The result of a cross-validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossValidation {
    /// The cross-validated files.
    pub data: String,
    /// Files added to every fold's training data and never scored, if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub extra: Option<String>,
    /// What the folds were grouped by.
    pub group_by: String,
    /// Label names, in the order of the per-label figures.
    pub labels: Vec<String>,
    /// Each fold's figures.
    pub folds: Vec<FoldScores>,
    /// Macro-F1 over the folds.
    pub macro_f1: Spread,
    /// Accuracy over the folds.
    pub accuracy: Spread,
    /// Reporting-vs-rest F1 over the folds, when `reporting` is a label.
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
    /// What is worth knowing about the run (a grouping column the data lacks).
    #[serde(skip)]
    pub warnings: Vec<Warning>,
}

/// One paragraph's tag from the fold that did not train on it: what error analysis reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Index of the document in the cross-validated set and of the paragraph in it.
    pub document: usize,
    /// Index of the paragraph in its document.
    pub paragraph: usize,
    /// The fold that held the paragraph out.
    pub fold: usize,
    /// The labelled and the predicted label, as indices into [`CrossValidation::labels`].
    pub truth: usize,
    /// The predicted label index.
    pub predicted: usize,
    /// The probability of the predicted label.
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
    let mut warnings = Vec::new();
    let effective = set.effective_grouping(by);
    if effective != by {
        warnings.push(Warning::new(format!(
            "{} has no {} column; the folds are grouped by {} instead",
            set.describe_files(),
            by.name(),
            effective.name()
        )));
    }
    let by = effective;
    if folds < 2 {
        return Err(Error::Usage(format!(
            "cross-validation needs at least 2 folds, got {folds}"
        )));
    }
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
    if available < folds {
        return Err(Error::Data(format!(
            "{}: cannot make {folds} folds grouped by {}: there are only {available} \
             groups",
            set.describe_files(),
            by.name()
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
        let mut test_set = LabelledSet::from_documents(pick(true).collect());
        test_set.files = set.files.clone();
        let model = train(&train_set, params)?.model;
        // A label missing from this fold's training data cannot be predicted; score in the
        // full label set so every fold's figures line up.
        let scored_in_all_labels = evaluate_in(&model, &test_set, false, &labels);
        let (evaluation, outcomes) = (
            scored_in_all_labels.confusion,
            scored_in_all_labels.outcomes,
        );
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
        warnings,
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
