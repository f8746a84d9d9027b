//! The misclassified paragraphs of an evaluation, most confident first: for relabelling and
//! for finding what the corpus lacks.

use std::io::Write;

use crate::dataset::{GroupBy, LabelledSet};
use crate::eval::evaluate::Evaluation;

/// One misclassified paragraph with its neighbours.
#[derive(Debug, Clone, PartialEq)]
pub struct Mistake {
    /// The paragraph's document.
    pub doc_id: String,
    /// Its position in the document.
    pub position: i64,
    /// Publisher or site, when the data names it.
    pub group: String,
    /// The true label.
    pub truth: String,
    /// The predicted label.
    pub predicted: String,
    /// The probability of the predicted label.
    pub confidence: f32,
    /// The text of the paragraph before (empty at the start).
    pub previous: String,
    /// The paragraph's text.
    pub text: String,
    /// The text of the paragraph after (empty at the end).
    pub next: String,
}

/// The misclassified paragraphs of `evaluation` on `set`, most confident first.
pub fn mistakes(evaluation: &Evaluation, set: &LabelledSet) -> Vec<Mistake> {
    let mut out: Vec<Mistake> = evaluation
        .outcomes
        .iter()
        .filter(|o| o.truth != o.predicted)
        .map(|o| {
            let doc = &set.documents[o.document];
            let text = |i: Option<usize>| {
                i.and_then(|i| doc.paragraphs.get(i))
                    .map_or(String::new(), |p| p.text.clone())
            };
            Mistake {
                doc_id: doc.id.clone(),
                position: doc.paragraphs[o.paragraph].position,
                group: if doc.site.is_some() || doc.publisher.is_some() {
                    set.group_of(o.document, GroupBy::Site).to_string()
                } else {
                    String::new()
                },
                truth: evaluation.labels[o.truth].clone(),
                predicted: evaluation.labels[o.predicted].clone(),
                confidence: o.confidence,
                previous: text(o.paragraph.checked_sub(1)),
                text: text(Some(o.paragraph)),
                next: text(Some(o.paragraph + 1)),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then_with(|| a.doc_id.cmp(&b.doc_id))
            .then_with(|| a.position.cmp(&b.position))
    });
    out
}

/// Writes mistakes as CSV: doc_id, position, publisher, true_label, predicted_label,
/// confidence, previous_text, text, next_text.
pub fn write_errors_csv(mistakes: &[Mistake], out: impl Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "doc_id",
        "position",
        "publisher",
        "true_label",
        "predicted_label",
        "confidence",
        "previous_text",
        "text",
        "next_text",
    ])?;
    for m in mistakes {
        w.write_record([
            m.doc_id.as_str(),
            &m.position.to_string(),
            &m.group,
            &m.truth,
            &m.predicted,
            &format!("{:.4}", m.confidence),
            &m.previous,
            &m.text,
            &m.next,
        ])?;
    }
    w.flush()
}
