//! Explanations: which features weighed most in a paragraph's label (`chaff tag
//! --explain`). They are built by the tagging pipeline itself ([`crate::Tagger`] with
//! [`crate::Tagger::explanations`]): the text stage records each feature's name while it
//! scores, and the context stage keeps the row it scored, so an explanation describes the
//! very scores the label came from.

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::model::context_stage::ContextScorer;
use crate::model::text_stage::SoftmaxRegression;

/// Why a paragraph got its label: what each stage of the model weighed most.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The text stage: the paragraph's own words, cues and shape, and its neighbours' cues
    /// and length.
    pub text_stage: TextStageExplanation,
    /// The context stage: the text stage's answers around the paragraph, its place in the
    /// article, echoes and repetition.
    pub context_stage: ContextStageExplanation,
    /// The prior shift's part in the label's final log-odds against the mean of the other
    /// labels ([`crate::Model::prior_shift`]): positive when the label is rarer than the
    /// others in the training data; 0 without a shift.
    pub prior: f32,
}

/// One feature's part in a label's score.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// The feature, named for people: `word:subscribe`, `bigram:support our`,
    /// `cue:credit_tail`, `shape:words:4-5`, `next:cue:agency_name`, `prev:none`;
    /// context features as `prev1:p(reporting)`, `position`, `echo`, `repeats_exact`...
    pub feature: String,
    /// How much it raised the chosen label's score against the mean of the other labels'
    /// scores (negative: it lowered it).
    pub weight: f32,
}

/// The text stage's part of an [`Explanation`].
#[derive(Debug, Clone, PartialEq)]
pub struct TextStageExplanation {
    /// The text stage's probability for the chosen label, before the context stage.
    pub label_probability: f32,
    /// The text stage's raw score (logit) for the chosen label minus the mean of the other
    /// labels' raw scores: the bias term plus the sum of every feature's weight.
    pub margin: f32,
    /// The bias's part of [`TextStageExplanation::margin`].
    pub bias: f32,
    /// Every feature of the paragraph (a feature seen twice counted once, its values
    /// added), largest contribution first.
    pub features: Vec<Contribution>,
}

/// The context stage's part of an [`Explanation`].
#[derive(Debug, Clone, PartialEq)]
pub struct ContextStageExplanation {
    /// Whether the context stage decided the paragraph's probabilities.
    pub used: bool,
    /// When it was not used, why: `no_context_stage` (the model has none),
    /// `short_article` (an article of at most three paragraphs) or `text_stage_trusted`
    /// (the text stage gave a label 0.99 or more).
    pub skipped: Option<&'static str>,
    /// When it was used: its raw score for the chosen label minus the mean of the other
    /// labels' raw scores, which is [`ContextStageExplanation::bias`] plus every feature's
    /// weight; 0 otherwise.
    pub margin: f32,
    /// When it was used: the bias's part of the margin, with features measured from their
    /// training average; 0 otherwise.
    pub bias: f32,
    /// When it was used: every context feature, largest contribution first, measured from
    /// the training rows' average (a feature at its average contributes nothing).
    pub features: Vec<Contribution>,
}

impl TextStageExplanation {
    /// The `n` features that raised the chosen label's score most (fewer when fewer
    /// raised it).
    pub fn top(&self, n: usize) -> &[Contribution] {
        top(&self.features, n)
    }
}

impl ContextStageExplanation {
    /// The `n` context features that raised the chosen label's score most.
    pub fn top(&self, n: usize) -> &[Contribution] {
        top(&self.features, n)
    }
}

fn top(features: &[Contribution], n: usize) -> &[Contribution] {
    let positive = features.iter().take_while(|c| c.weight > 0.0).count();
    &features[..positive.min(n)]
}

/// What the text stage recorded of one paragraph while scoring it: each feature's index,
/// value and name (the paragraph's own, then its neighbours'), and its raw scores.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct TextNotes {
    pub features: Vec<(u32, f32, String)>,
    pub logits: Vec<f32>,
}

/// What the context stage did with one paragraph.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ContextNotes {
    Skipped(&'static str),
    /// The row of dense features it scored.
    Used(Vec<f32>),
}

/// `values[label]` minus the mean of the other entries.
pub(crate) fn against_the_others(values: &[f32], label: usize) -> f32 {
    let k = values.len();
    if k < 2 {
        return values[label];
    }
    let others: f32 = values
        .iter()
        .enumerate()
        .filter(|&(l, _)| l != label)
        .map(|(_, v)| v)
        .sum();
    values[label] - others / (k - 1) as f32
}

/// The text stage's explanation of `label` from the notes taken while scoring.
pub(crate) fn text_stage(
    stage: &SoftmaxRegression,
    notes: TextNotes,
    label: usize,
) -> TextStageExplanation {
    let mut probabilities = notes.logits.clone();
    crate::model::text_stage::softmax(&mut probabilities);
    // Merge repeats of one feature (a word used twice) so each is listed once.
    let mut merged: indexmap::IndexMap<(u32, String), f32> = indexmap::IndexMap::new();
    for (j, v, name) in notes.features {
        *merged.entry((j, name)).or_insert(0.0) += v;
    }
    let mut features: Vec<Contribution> = merged
        .into_iter()
        .map(|((j, name), v)| Contribution {
            feature: name,
            weight: v * against_the_others(&stage.feature_weights(j), label),
        })
        .collect();
    sort(&mut features);
    TextStageExplanation {
        label_probability: probabilities[label],
        margin: against_the_others(&notes.logits, label),
        bias: against_the_others(stage.bias(), label),
        features,
    }
}

/// The context stage's explanation of `label`.
pub(crate) fn context_stage(
    scorer: Option<&ContextScorer>,
    names: &[String],
    notes: ContextNotes,
    label: usize,
) -> ContextStageExplanation {
    match (notes, scorer) {
        (ContextNotes::Used(row), Some(scorer)) => {
            let mut features: Vec<Contribution> = names
                .iter()
                .zip(scorer.contributions(&row, label))
                .map(|(name, weight)| Contribution {
                    feature: name.clone(),
                    weight,
                })
                .collect();
            let bias = scorer.centred_bias(label);
            let margin = bias + features.iter().map(|c| c.weight).sum::<f32>();
            sort(&mut features);
            ContextStageExplanation {
                used: true,
                skipped: None,
                margin,
                bias,
                features,
            }
        }
        (ContextNotes::Skipped(reason), _) => skipped(reason),
        (ContextNotes::Used(_), None) => skipped("no_context_stage"),
    }
}

fn skipped(reason: &'static str) -> ContextStageExplanation {
    ContextStageExplanation {
        used: false,
        skipped: Some(reason),
        margin: 0.0,
        bias: 0.0,
        features: Vec::new(),
    }
}

/// Largest contribution first; ties by name, so the order is stable.
fn sort(features: &mut [Contribution]) {
    features.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then_with(|| a.feature.cmp(&b.feature))
    });
}

/// An explanation as the `explain` object of a JSONL record, with the `top` features of
/// each stage: `{"text_stage": {"label_probability", "top": [{"feature", "weight"}]},
/// "context_stage": {"used", "skipped"?, "top"}}`.
pub struct ExplanationJson<'a> {
    /// The explanation.
    pub explanation: &'a Explanation,
    /// Features listed per stage.
    pub top: usize,
}

struct Top<'a>(&'a [Contribution]);

#[derive(Serialize)]
struct Entry<'a> {
    feature: &'a str,
    weight: f64,
}

impl Serialize for Top<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|c| Entry {
            feature: &c.feature,
            weight: round(c.weight),
        }))
    }
}

struct TextJson<'a>(&'a TextStageExplanation, usize);

impl Serialize for TextJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("TextStage", 2)?;
        s.serialize_field("label_probability", &round(self.0.label_probability))?;
        s.serialize_field("top", &Top(self.0.top(self.1)))?;
        s.end()
    }
}

struct ContextJson<'a>(&'a ContextStageExplanation, usize);

impl Serialize for ContextJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_map(None)?;
        s.serialize_entry("used", &self.0.used)?;
        if let Some(reason) = self.0.skipped {
            s.serialize_entry("skipped", reason)?;
        }
        s.serialize_entry("top", &Top(self.0.top(self.1)))?;
        s.end()
    }
}

impl Serialize for ExplanationJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Explanation", 3)?;
        s.serialize_field(
            "text_stage",
            &TextJson(&self.explanation.text_stage, self.top),
        )?;
        s.serialize_field(
            "context_stage",
            &ContextJson(&self.explanation.context_stage, self.top),
        )?;
        s.serialize_field("prior", &round(self.explanation.prior))?;
        s.end()
    }
}

impl Explanation {
    /// One line for people: the text stage's probability and top features, then the
    /// context stage's, as `text 0.912: word:donate +1.20, cue:appeal_words +0.84 |
    /// context used: prev1:p(reporting) +0.31`.
    pub fn line(&self, top: usize) -> String {
        let list = |features: &[Contribution]| {
            if features.is_empty() {
                return "-".to_string();
            }
            features
                .iter()
                .map(|c| format!("{} {:+.3}", c.feature, c.weight))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let context = match self.context_stage.skipped {
            Some(reason) => format!("context skipped ({reason})"),
            None => format!("context: {}", list(self.context_stage.top(top))),
        };
        let prior = if self.prior == 0.0 {
            String::new()
        } else {
            format!(" | prior {:+.3}", self.prior)
        };
        format!(
            "text {:.3}: {} | {context}{prior}",
            round(self.text_stage.label_probability),
            list(self.text_stage.top(top))
        )
    }
}

fn round(v: f32) -> f64 {
    (v as f64 * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(feature: &str, weight: f32) -> Contribution {
        Contribution {
            feature: feature.into(),
            weight,
        }
    }

    #[test]
    fn top_lists_only_features_that_raised_the_score() {
        let mut features = vec![c("a", -1.0), c("b", 2.0), c("c", 0.5), c("d", 0.0)];
        sort(&mut features);
        let text = TextStageExplanation {
            label_probability: 0.9,
            margin: 1.5,
            bias: 0.0,
            features,
        };
        let names: Vec<&str> = text.top(5).iter().map(|c| c.feature.as_str()).collect();
        assert_eq!(names, ["b", "c"]);
        assert_eq!(text.top(1).len(), 1);
    }

    #[test]
    fn a_label_is_weighed_against_the_mean_of_the_others() {
        assert_eq!(against_the_others(&[3.0, 1.0, 2.0], 0), 1.5);
        assert_eq!(against_the_others(&[3.0, 1.0, 2.0], 1), -1.5);
    }

    #[test]
    fn json_has_the_documented_shape() {
        let explanation = Explanation {
            text_stage: TextStageExplanation {
                label_probability: 0.81234,
                margin: 2.0,
                bias: 0.1,
                features: vec![c("word:donate", 1.23456), c("shape:words:1", -0.5)],
            },
            context_stage: skipped("short_article"),
            prior: 0.25,
        };
        let json = serde_json::to_string(&ExplanationJson {
            explanation: &explanation,
            top: 5,
        })
        .unwrap();
        assert_eq!(
            json,
            "{\"text_stage\":{\"label_probability\":0.8123,\"top\":[{\"feature\":\
             \"word:donate\",\"weight\":1.2346}]},\"context_stage\":{\"used\":false,\
             \"skipped\":\"short_article\",\"top\":[]},\"prior\":0.25}"
        );
        assert_eq!(
            explanation.line(5),
            "text 0.812: word:donate +1.235 | context skipped (short_article) | prior +0.250"
        );
    }
}
