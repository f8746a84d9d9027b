//! Runs a model over labelled documents and compares its tags with the labels.

use rayon::prelude::*;

use crate::dataset::LabelledSet;
use crate::error::{Error, Result};
use crate::metrics::Confusion;
use crate::model::{FirstStage, Model};
use crate::repetition::{repeats_within, Repeats};

/// One paragraph's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Index of the document in the set and of the paragraph in the document.
    pub document: usize,
    pub paragraph: usize,
    /// True and predicted label indices (in the model's label set).
    pub truth: usize,
    pub predicted: usize,
    /// Probability the model gave its prediction.
    pub confidence: f32,
    /// The paragraph was split into pieces with different labels.
    pub split: bool,
}

/// A model's tags on a labelled set, with the confusion matrix.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Label names in the model's order (indices of `confusion` and `outcomes`).
    pub labels: Vec<String>,
    pub confusion: Confusion,
    pub outcomes: Vec<Outcome>,
    pub documents: usize,
    /// Glued paragraphs were split (see [`evaluate_with`]).
    pub split: bool,
}

/// Tags every document of `set` with `model` and scores the tags.
///
/// Fails when the data uses a label the model cannot predict: the scores would be
/// meaningless, and it usually means the wrong model or file.
pub fn evaluate(model: &Model, set: &LabelledSet) -> Result<Evaluation> {
    evaluate_with(model, set, false)
}

/// Like [`evaluate`]; with `split`, a paragraph glued from parts with different labels is
/// scored by the label most of its words carry (see [`crate::split`]).
pub fn evaluate_with(model: &Model, set: &LabelledSet, split: bool) -> Result<Evaluation> {
    let labels = model.labels();
    let unknown: Vec<String> = set
        .labels()
        .names()
        .iter()
        .filter(|l| labels.index(l).is_none())
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(Error::Usage(format!(
            "{} uses label{} {} that the model does not know (the model's labels: {})",
            set.describe_files(),
            if unknown.len() > 1 { "s" } else { "" },
            unknown.join(", "),
            labels.names().join(", ")
        )));
    }
    // The set is the feed: repetition is counted across its documents, as `tag` counts it
    // across the articles of its input.
    let texts: Vec<Vec<&str>> = set.documents.iter().map(|d| d.texts()).collect();
    let first: Vec<FirstStage> = texts.par_iter().map(|t| model.first_stage(t)).collect();
    let repeats = if model.uses_repetition() {
        let prints: Vec<Vec<_>> = first.iter().map(|f| f.fingerprints().to_vec()).collect();
        repeats_within(&prints)
    } else {
        texts
            .iter()
            .map(|t| vec![Repeats::default(); t.len()])
            .collect()
    };
    let per_document: Vec<Vec<Outcome>> = set
        .documents
        .par_iter()
        .zip(first)
        .enumerate()
        .map(|(d, (document, first))| {
            let tags = model.finish(&texts[d], first, &repeats[d], split);
            document
                .paragraphs
                .iter()
                .zip(tags)
                .enumerate()
                .map(|(p, (paragraph, tag))| Outcome {
                    document: d,
                    paragraph: p,
                    truth: labels.index(&paragraph.label).expect("checked above"),
                    predicted: tag.majority_label(&paragraph.text),
                    confidence: tag.confidence(),
                    split: !tag.pieces.is_empty(),
                })
                .collect()
        })
        .collect();
    let mut confusion = Confusion::new(labels.len());
    let outcomes: Vec<Outcome> = per_document.into_iter().flatten().collect();
    for o in &outcomes {
        confusion.add(o.truth, o.predicted);
    }
    Ok(Evaluation {
        labels: labels.names().to_vec(),
        confusion,
        outcomes,
        documents: set.documents.len(),
        split,
    })
}
