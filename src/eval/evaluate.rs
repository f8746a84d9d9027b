//! Runs a model over labelled documents and compares its tags with the labels.

use crate::dataset::LabelledSet;
use crate::error::{Error, Result};
use crate::eval::metrics::Confusion;
use crate::label::LabelSet;
use crate::model::{Model, RecordedScore};
use crate::tagger::Tagger;

/// One paragraph's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Index of the document in the set and of the paragraph in the document.
    pub document: usize,
    /// Index of the paragraph in its document.
    pub paragraph: usize,
    /// True and predicted label indices (in the model's label set).
    pub truth: usize,
    /// Predicted label index.
    pub predicted: usize,
    /// Probability the model gave its prediction.
    pub confidence: f32,
    /// The paragraph was cut into pieces with different labels.
    pub pieces: bool,
}

/// A model's tags on a labelled set, with the confusion matrix.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Label names in the model's order (indices of `confusion` and `outcomes`).
    pub labels: Vec<String>,
    /// True labels (rows) against predicted ones (columns).
    pub confusion: Confusion,
    /// Every paragraph's outcome, in set order.
    pub outcomes: Vec<Outcome>,
    /// Documents scored.
    pub documents: usize,
    /// Glued paragraphs were cut into pieces (see [`evaluate_with_pieces`]).
    pub pieces: bool,
}

/// Tags every document of `set` with `model` and scores the tags.
///
/// Fails when the data uses a label the model cannot predict: the scores would be
/// meaningless, and it usually means the wrong model or file.
pub fn evaluate(model: &Model, set: &LabelledSet) -> Result<Evaluation> {
    evaluate_with_pieces(model, set, false)
}

/// Like [`evaluate`]; with `pieces`, a paragraph glued from parts with different labels is
/// cut into pieces and scored by the label most of its words carry.
pub fn evaluate_with_pieces(model: &Model, set: &LabelledSet, pieces: bool) -> Result<Evaluation> {
    let labels = model.labels();
    let unknown: Vec<String> = set
        .labels()
        .names()
        .iter()
        .filter(|l| labels.index(l).is_none())
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(Error::Data(format!(
            "{} uses label{} {} that the model does not know (the model's labels: {})",
            set.describe_files(),
            if unknown.len() > 1 { "s" } else { "" },
            unknown.join(", "),
            labels.names().join(", ")
        )));
    }
    Ok(evaluate_in(model, set, pieces, labels))
}

/// Scores `model` on `set` in the label space `labels`, which holds every label of the set
/// and of the model: cross-validation scores a fold's model, which may not know a label
/// that only the fold's own groups use, against the labels of the whole set.
pub(crate) fn evaluate_in(
    model: &Model,
    set: &LabelledSet,
    pieces: bool,
    labels: &LabelSet,
) -> Evaluation {
    // The set is the feed, tagged as one batch: repetition is counted across all of its
    // documents, as `tag` counts it across the articles of its input.
    let texts: Vec<Vec<&str>> = set.documents.iter().map(|d| d.texts()).collect();
    let tags = Tagger::for_whole_set(model)
        .pieces(pieces)
        .tag_texts(&texts);
    let model_labels = model.labels();
    let to_labels = |k: usize| {
        labels
            .index(model_labels.name(k))
            .expect("the label space holds the model's labels")
    };
    let outcomes: Vec<Outcome> =
        set.documents
            .iter()
            .zip(tags)
            .enumerate()
            .flat_map(|(d, (document, tags))| {
                document.paragraphs.iter().zip(tags).enumerate().map(
                    move |(p, (paragraph, tag))| Outcome {
                        document: d,
                        paragraph: p,
                        truth: labels
                            .index(&paragraph.label)
                            .expect("the label space holds the set's labels"),
                        predicted: to_labels(tag.majority_label(&paragraph.text)),
                        confidence: tag.confidence(),
                        pieces: !tag.pieces.is_empty(),
                    },
                )
            })
            .collect();
    let mut confusion = Confusion::new(labels.len());
    for o in &outcomes {
        confusion.add(o.truth, o.predicted);
    }
    Evaluation {
        labels: labels.names().to_vec(),
        confusion,
        outcomes,
        documents: set.documents.len(),
        pieces,
    }
}

impl Model {
    /// Scores this model on `set` and records the result in the model under `name` (shown
    /// by `chaff info`), for the held-out scores a model file carries.
    pub fn record_score(&mut self, set: &LabelledSet, name: &str) -> Result<RecordedScore> {
        let evaluation = evaluate(self, set)?;
        let score = RecordedScore {
            set: name.to_string(),
            rows: evaluation.confusion.total(),
            macro_f1: evaluation.confusion.macro_f1(),
            accuracy: evaluation.confusion.accuracy(),
        };
        self.info_mut().scores.push(score.clone());
        Ok(score)
    }
}
