//! A trained model: its labels, feature settings, learned stages and a record of the data
//! and scores it was trained with. Loads from and saves to one file (see
//! [`crate::model::file`]); the default model is built into the binary.

use serde::{Deserialize, Serialize};

pub(crate) mod context_stage;
pub(crate) mod explain;
pub(crate) mod file;
pub(crate) mod repetition;
pub(crate) mod text_stage;

use crate::error::{Error, Result};
use crate::label::{Label, LabelSet};
use crate::model::context_stage::{
    echoes, for_each_row, within_article, ContextScorer, ContextStage,
};
use crate::model::explain::{ContextNotes, Explanation, TextNotes};
use crate::model::repetition::Repeats;
use crate::model::text_stage::{softmax, SoftmaxRegression};
use crate::text::features::{
    neighbour_feature_name, FeatureNames, FeatureSettings, Features, Featurizer, Side,
    MAX_FEATURE_BYTES,
};
use crate::text::fingerprint::Fingerprint;
use crate::text::pieces::{sentences, split_pieces, Piece, SplitSettings};

/// The default model, trained on the project's own data/ (see README: "Rebuilding the
/// default model"). Empty only in a build made before any model was trained.
static BUILTIN: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/models/default.chaff"));

/// `part` as a slice of the built-in model's bytes, when it lies inside them: how the
/// text stage's weight table is read in place from the binary rather than copied at every
/// start. Safe code: the slice is taken from [`BUILTIN`] itself, at the same address.
pub(crate) fn builtin_part(part: &[u8]) -> Option<&'static [u8]> {
    let start = (part.as_ptr() as usize).checked_sub(BUILTIN.as_ptr() as usize)?;
    BUILTIN.get(start..start.checked_add(part.len())?)
}

/// A text-stage probability from which the context stage is not consulted: the linear
/// context stage barely tells 0.95 from 1.00 and let neighbours overrule sure answers
/// (docs/decisions.md, "Text stage trusted from 0.99").
pub(crate) const TEXT_STAGE_TRUSTED_FROM: f32 = 0.99;

/// Articles of at most this many paragraphs are read without neighbour features.
pub(crate) const READ_ALONE_UP_TO: usize = 2;

/// Articles of at most this many paragraphs skip the context stage, which learned from whole
/// pages.
pub(crate) const TEXT_ONLY_UP_TO: usize = 3;

/// How the built-in model is named in messages.
const BUILTIN_NAME: &str = "<built-in default model>";

/// What a model records about its training, shown by `chaff info`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingInfo {
    /// chaff version that trained the model.
    pub chaff_version: String,
    /// Seconds since the Unix epoch when training finished.
    pub trained_at: u64,
    /// Training files as given on the command line.
    pub files: Vec<String>,
    /// SHA-256 of the training files' bytes.
    pub data_sha256: String,
    /// Labelled rows and documents trained on.
    pub rows: usize,
    /// Documents trained on.
    pub documents: usize,
    /// Rows per label, in label order.
    pub label_counts: Vec<usize>,
    /// Training settings as "name=value" pairs.
    pub settings: Vec<(String, String)>,
    /// Scores measured at training time.
    pub scores: Vec<RecordedScore>,
}

/// A score measured at training time on a named set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedScore {
    /// Which data: "training data (resubstitution)" or a test file's name.
    pub set: String,
    /// Rows scored.
    pub rows: usize,
    /// Macro-F1 over the labels.
    pub macro_f1: f64,
    /// Accuracy.
    pub accuracy: f64,
}

/// The serialized body of a model file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ModelData {
    pub labels: LabelSet,
    pub features: FeatureSettings,
    pub text_stage: SoftmaxRegression,
    /// The second stage, which reads each paragraph's neighbours and repetition.
    pub context: Option<ContextStage>,
    pub info: TrainingInfo,
    /// How far tagging moves from the training data's label frequencies towards equal
    /// ones (see [`Model::prior_shift`]).
    pub prior_shift: f32,
}

/// The tag of one paragraph: its label and every label's probability.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// Index of the chosen label in the model's [`LabelSet`].
    pub label: usize,
    /// Probability of each label, in label order (sums to 1).
    pub probabilities: Vec<f32>,
    /// When splitting was asked for and the paragraph is glued from parts with different
    /// labels: the parts, in order. Empty otherwise.
    pub pieces: Vec<Piece>,
    /// What weighed most, when the tagger was asked for explanations.
    pub explanation: Option<Box<Explanation>>,
}

impl Tag {
    /// Probability of the chosen label.
    pub fn confidence(&self) -> f32 {
        self.probabilities[self.label]
    }

    /// The label most of the paragraph's words carry: the paragraph's label, or for a split
    /// paragraph the label of the pieces with the most words (the labelling guide's rule
    /// for glued paragraphs).
    pub fn majority_label(&self, text: &str) -> usize {
        if self.pieces.is_empty() {
            return self.label;
        }
        let mut words = vec![0usize; self.probabilities.len()];
        for piece in &self.pieces {
            words[piece.label] += text[piece.range.clone()].split_whitespace().count();
        }
        (0..words.len())
            .max_by_key(|&k| (words[k], k == self.label))
            .unwrap_or(self.label)
    }
}

/// A model ready to tag paragraphs.
pub struct Model {
    data: ModelData,
    /// The labels as tagging results carry them, built once.
    label_list: Vec<Label>,
    featurizer: Featurizer,
    context: Option<ContextScorer>,
    /// The context stage's feature names, for explanations.
    context_names: Vec<String>,
    /// Each label's factor from the prior shift; empty when there is no shift.
    prior_weights: Vec<f32>,
}

impl Model {
    pub(crate) fn from_data(data: ModelData) -> Self {
        let featurizer =
            Featurizer::new(data.features.clone()).with_context_inputs(data.context.is_some());
        let context = data.context.as_ref().map(ContextStage::scorer);
        let context_names = context_stage::feature_names(data.labels.names());
        let prior_weights = prior_weights(&data.info.label_counts, data.prior_shift);
        Model {
            label_list: data.labels.labels(),
            data,
            featurizer,
            context,
            context_names,
            prior_weights,
        }
    }

    /// How far tagging moves from the label frequencies of the training data towards equal
    /// ones: each label's probability is multiplied by its training frequency to the power
    /// `-shift`, then the probabilities are normalised again. 0 keeps the training data's
    /// priors, 1 makes every label equally likely before the text is read.
    ///
    /// Training data rarely has the label mix of the pages a model meets: a model trained
    /// on real pages, where appeals are 1% of paragraphs, misses most appeals on pages
    /// where they are common. The default, 0.25, was chosen by the transfer protocol
    /// (models scored on publishers they were not trained on; docs/decisions.md, "Label
    /// priors").
    pub fn prior_shift(&self) -> f32 {
        self.data.prior_shift
    }

    /// Sets the prior shift (0 to 2; see [`Model::prior_shift`]) used when tagging; saving
    /// the model keeps it.
    pub fn set_prior_shift(&mut self, shift: f32) -> Result<()> {
        check_prior_shift(shift)?;
        self.data.prior_shift = shift;
        self.prior_weights = prior_weights(&self.data.info.label_counts, shift);
        Ok(())
    }

    /// The prior shift's part in `label`'s log-odds against the mean of the others.
    fn prior_margin(&self, label: usize) -> f32 {
        if self.prior_weights.len() < 2 {
            return 0.0;
        }
        let logs: Vec<f32> = self.prior_weights.iter().map(|w| w.ln()).collect();
        explain::against_the_others(&logs, label)
    }

    /// Applies the prior shift to one paragraph's probabilities.
    fn shift_priors(&self, probabilities: &mut [f32]) {
        if self.prior_weights.is_empty() {
            return;
        }
        let mut total = 0.0;
        for (p, w) in probabilities.iter_mut().zip(&self.prior_weights) {
            *p *= w;
            total += *p;
        }
        if total > 0.0 {
            for p in probabilities.iter_mut() {
                *p /= total;
            }
        }
    }

    /// The model built into this binary.
    pub fn builtin() -> Result<Model> {
        if BUILTIN.is_empty() {
            return Err(Error::Model {
                path: BUILTIN_NAME.into(),
                message: "this build of chaff carries no default model; pass -m MODEL".into(),
            });
        }
        Model::from_bytes(BUILTIN, BUILTIN_NAME)
    }

    /// Reads a model from the bytes of a model file; `name` is used in messages.
    pub fn from_bytes(bytes: &[u8], name: &str) -> Result<Model> {
        let payload = file::open(bytes, name)?;
        let data: ModelData = postcard::from_bytes(payload).map_err(|e| Error::Model {
            path: name.into(),
            message: format!("the model payload cannot be read ({e})"),
        })?;
        let dimensions = 1usize
            .checked_shl(data.features.hash_bits as u32)
            .filter(|_| (1..=28).contains(&data.features.hash_bits));
        let consistent = data.labels.len() >= 2
            && data.text_stage.n_labels() == data.labels.len()
            && dimensions.is_some_and(|d| data.text_stage.is_consistent(d))
            && data
                .context
                .as_ref()
                .is_none_or(|c| c.is_consistent(data.labels.len()));
        if !consistent {
            return Err(Error::Model {
                path: name.into(),
                message: "the model's parts do not fit together (labels, features and weights \
                          disagree)"
                    .into(),
            });
        }
        Ok(Model::from_data(data))
    }

    /// The bytes of this model's file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let payload = postcard::to_allocvec(&self.data).expect("a model always serializes");
        file::seal(&payload)
    }

    /// The labels this model chooses from.
    pub fn labels(&self) -> &LabelSet {
        &self.data.labels
    }

    /// The labels as tagging results carry them, in index order.
    pub(crate) fn label_list(&self) -> &[Label] {
        &self.label_list
    }

    /// What the model records about its training.
    pub fn info(&self) -> &TrainingInfo {
        &self.data.info
    }

    pub(crate) fn info_mut(&mut self) -> &mut TrainingInfo {
        &mut self.data.info
    }

    /// The feature settings.
    pub fn feature_settings(&self) -> &FeatureSettings {
        &self.data.features
    }

    /// True when the model has a context stage that uses repetition across articles, so
    /// callers know whether counting repeats is worth the work.
    pub fn uses_repetition(&self) -> bool {
        self.data
            .context
            .as_ref()
            .is_some_and(|c| c.settings.repetition)
    }

    /// True when the model has a context stage.
    pub fn has_context_stage(&self) -> bool {
        self.data.context.is_some()
    }

    /// Every label's probability for each paragraph read alone, as if it were a
    /// one-paragraph article: the text stage with no neighbours, no repetition and no
    /// context stage. For classifying loose paragraphs; articles go through
    /// [`crate::Tagger`], which reads each paragraph in its page.
    ///
    /// ```
    /// let model = chaff::Model::builtin()?;
    /// let probabilities = model.predict(&["Donate today to keep our reporting free.", "(AP Photo/Jane Doe)"]);
    /// assert_eq!(probabilities.len(), 2);
    /// assert_eq!(probabilities[0].len(), model.labels().len());
    /// # Ok::<(), chaff::Error>(())
    /// ```
    pub fn predict(&self, paragraphs: &[&str]) -> Vec<Vec<f32>> {
        use rayon::prelude::*;
        paragraphs
            .par_iter()
            .map(|p| {
                let mut probabilities = self
                    .text_stage_scores(std::slice::from_ref(p))
                    .probabilities
                    .remove(0);
                self.shift_priors(&mut probabilities);
                probabilities
            })
            .collect()
    }

    /// The text stage's label probabilities for each paragraph of one article.
    #[cfg(test)]
    pub(crate) fn text_probabilities(&self, paragraphs: &[&str]) -> Vec<Vec<f32>> {
        self.text_stage_scores(paragraphs).probabilities
    }

    /// Runs the text stage over one article's paragraphs and keeps what the context stage
    /// and repetition counting need, from one tokenisation of each paragraph.
    pub(crate) fn text_stage_scores(&self, paragraphs: &[&str]) -> TextStageScores {
        self.text_stage_scores_with::<false>(paragraphs)
    }

    /// [`Model::text_stage_scores`], also noting each feature's name and each paragraph's
    /// raw scores for explanations ([`TextStageScores::notes`]).
    pub(crate) fn explained_text_stage_scores(&self, paragraphs: &[&str]) -> TextStageScores {
        self.text_stage_scores_with::<true>(paragraphs)
    }

    /// The text stage, with or without notes: one body, so explanations describe the
    /// scores tagging computes; without `EXPLAIN` the notes compile away.
    fn text_stage_scores_with<const EXPLAIN: bool>(&self, paragraphs: &[&str]) -> TextStageScores {
        let mut scratch = SCRATCH.take();
        let first = self.text_stage_scores_in::<EXPLAIN>(paragraphs, &mut scratch);
        SCRATCH.set(scratch);
        first
    }

    /// [`Model::text_stage_scores_with`] with its working buffers given.
    fn text_stage_scores_in<const EXPLAIN: bool>(
        &self,
        paragraphs: &[&str],
        scratch: &mut Scratch,
    ) -> TextStageScores {
        let Scratch {
            features,
            exports,
            export_ends,
        } = scratch;
        exports.clear();
        export_ends.clear();
        let mut names = FeatureNames::default();
        let mut export_names: Vec<Vec<String>> = Vec::new();
        let n = paragraphs.len();
        // About one word in six bytes of news text: room for most articles' word hashes
        // at once, where growing from empty took several copies. Only the bytes that are
        // featurised count, so a runaway "paragraph" reserves nothing extra.
        let bytes: usize = paragraphs
            .iter()
            .map(|p| p.len().min(MAX_FEATURE_BYTES))
            .sum();
        let mut first = TextStageScores {
            probabilities: Vec::with_capacity(n),
            words: Vec::with_capacity(n),
            word_hashes: Vec::with_capacity(bytes / 6),
            word_ends: Vec::with_capacity(n),
            fingerprints: Vec::with_capacity(n),
            notes: Vec::new(),
        };
        for text in paragraphs {
            let shape = if EXPLAIN {
                self.featurizer.featurize_named(text, features, &mut names)
            } else {
                self.featurizer.featurize(text, features)
            };
            let mut scores = vec![0.0; self.data.labels.len()];
            self.data.text_stage.scores_into(features, &mut scores);
            first.probabilities.push(scores);
            exports.extend_from_slice(&features.exports);
            export_ends.push(exports.len());
            first.words.push(shape.words);
            first.word_hashes.extend_from_slice(&features.word_hashes);
            first.word_ends.push(first.word_hashes.len());
            first
                .fingerprints
                .push(features.fingerprint.unwrap_or_default());
            if EXPLAIN {
                first.notes.push(TextNotes {
                    features: features
                        .indices
                        .iter()
                        .zip(&features.values)
                        .zip(names.features.drain(..))
                        .map(|((&j, &v), name)| (j, v, name))
                        .collect(),
                    logits: Vec::new(),
                });
                export_names.push(std::mem::take(&mut names.exports));
            }
        }
        let export = |i: usize| {
            let start = if i == 0 { 0 } else { export_ends[i - 1] };
            &exports[start..export_ends[i]]
        };
        // The paragraphs of a very short article (one paragraph per record, an appeal and a
        // brief) are read alone: "no neighbour" was only ever learned at the edges of whole
        // pages, where headlines and footers sit, and pulled body text towards boilerplate
        // (docs/decisions.md, "Short articles").
        let alone = n <= READ_ALONE_UP_TO;
        for (i, scores) in first.probabilities.iter_mut().enumerate() {
            if !alone {
                let previous = i.checked_sub(1).map(export);
                let next = (i + 1 < n).then(|| export(i + 1));
                self.featurizer
                    .for_each_neighbour_feature_from(previous, next, |j, v, source| {
                        self.data.text_stage.add_feature_scores(j, v, scores);
                        if EXPLAIN {
                            let neighbour = match source.side {
                                Side::Previous => i.checked_sub(1),
                                Side::Next => Some(i + 1),
                            };
                            let exports = neighbour
                                .and_then(|k| export_names.get(k))
                                .map_or(&[][..], Vec::as_slice);
                            first.notes[i].features.push((
                                j,
                                v,
                                neighbour_feature_name(source, exports),
                            ));
                        }
                    });
            }
            if EXPLAIN {
                first.notes[i].logits = scores.clone();
            }
            softmax(scores);
        }
        first
    }

    /// The text stage's probabilities for each sentence of a paragraph, each read alone:
    /// the sentences of a glued paragraph are not neighbouring paragraphs.
    fn sentence_probabilities(&self, sentences: &[&str]) -> Vec<Vec<f32>> {
        let mut features = Features::default();
        sentences
            .iter()
            .map(|text| {
                self.featurizer.featurize(text, &mut features);
                let mut p = vec![0.0; self.data.labels.len()];
                self.data.text_stage.probabilities_into(&features, &mut p);
                self.shift_priors(&mut p);
                p
            })
            .collect()
    }

    /// The pieces of a paragraph glued from parts with different labels, or `None` when
    /// it reads as one piece (see [`crate::text::pieces`]).
    pub(crate) fn pieces(&self, text: &str) -> Option<Vec<Piece>> {
        let ranges = sentences(text);
        if ranges.len() < 2 {
            return None;
        }
        let texts: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        let probabilities = self.sentence_probabilities(&texts);
        split_pieces(text, &ranges, &probabilities, SplitSettings::default())
    }

    /// Completes tagging from the text stage's scores: the context stage (when the model
    /// has one) with the paragraphs' repetition counts, then glued-paragraph pieces when
    /// asked. Only [`crate::Tagger`] calls this: it is the one place the stages meet. When
    /// `first` carries notes ([`Model::explained_text_stage_scores`]), each tag gets its
    /// explanation.
    pub(crate) fn finish_tags(
        &self,
        paragraphs: &[&str],
        mut first: TextStageScores,
        repeats: &[Repeats],
        pieces: bool,
    ) -> Vec<Tag> {
        let explaining = !first.notes.is_empty();
        let mut context_notes: Vec<ContextNotes> = Vec::new();
        let notes = std::mem::take(&mut first.notes);
        let probabilities = match (&self.data.context, &self.context) {
            // A short article has too little page around it to read: what the text says
            // stands (docs/decisions.md, "Short articles").
            (Some(stage), Some(scorer)) if paragraphs.len() > TEXT_ONLY_UP_TO => {
                let echo = echoes(&first.word_hash_slices());
                let within = within_article(first.fingerprints());
                // One flat table for the whole article; its rows are copied back over the
                // text stage's once every row has read them (a Vec per row was one more
                // allocation per paragraph).
                let k = self.data.labels.len();
                let mut out = vec![0.0; k * paragraphs.len()];
                for_each_row(
                    &first.probabilities,
                    &first.words,
                    &echo,
                    &within,
                    repeats,
                    stage.settings,
                    |i, row| {
                        let text = &first.probabilities[i];
                        let out = &mut out[i * k..(i + 1) * k];
                        if text.iter().any(|&p| p >= TEXT_STAGE_TRUSTED_FROM) {
                            out.copy_from_slice(text);
                            if explaining {
                                context_notes.push(ContextNotes::Skipped("text_stage_trusted"));
                            }
                        } else {
                            scorer.probabilities_into(row, out);
                            if explaining {
                                context_notes.push(ContextNotes::Used(row.to_vec()));
                            }
                        }
                    },
                );
                for (row, out) in first.probabilities.iter_mut().zip(out.chunks_exact(k)) {
                    row.copy_from_slice(out);
                }
                first.probabilities
            }
            (Some(_), Some(_)) => {
                if explaining {
                    context_notes = vec![ContextNotes::Skipped("short_article"); paragraphs.len()];
                }
                first.probabilities
            }
            _ => {
                if explaining {
                    context_notes =
                        vec![ContextNotes::Skipped("no_context_stage"); paragraphs.len()];
                }
                first.probabilities
            }
        };
        let mut tags: Vec<Tag> = probabilities
            .into_iter()
            .zip(paragraphs)
            .map(|(mut probabilities, text)| {
                self.shift_priors(&mut probabilities);
                Tag {
                    label: argmax(&probabilities),
                    probabilities,
                    pieces: if pieces {
                        self.pieces(text).unwrap_or_default()
                    } else {
                        Vec::new()
                    },
                    explanation: None,
                }
            })
            .collect();
        if explaining {
            debug_assert_eq!(notes.len(), tags.len());
            for ((tag, notes), context) in tags.iter_mut().zip(notes).zip(context_notes) {
                tag.explanation = Some(Box::new(Explanation {
                    text_stage: explain::text_stage(&self.data.text_stage, notes, tag.label),
                    context_stage: explain::context_stage(
                        self.context.as_ref(),
                        &self.context_names,
                        context,
                        tag.label,
                    ),
                    prior: self.prior_margin(tag.label),
                }));
            }
        }
        tags
    }
}

/// Refuses a prior shift outside 0 to 2 (or not a number).
pub(crate) fn check_prior_shift(shift: f32) -> Result<()> {
    if (0.0..=2.0).contains(&shift) {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "the prior shift must be between 0 and 2, got {shift}"
        )))
    }
}

/// Each label's factor for a prior shift: its training frequency to the power `-shift`
/// (labels never seen count as seen once); empty when there is nothing to shift.
fn prior_weights(label_counts: &[usize], shift: f32) -> Vec<f32> {
    let total: usize = label_counts.iter().sum();
    if shift == 0.0 || total == 0 {
        return Vec::new();
    }
    label_counts
        .iter()
        .map(|&n| (n.max(1) as f32 / total as f32).powf(-shift))
        .collect()
}

/// The text stage's working buffers for one article, kept per thread between articles:
/// made anew for each article, they were grown from empty every time (dhat, 2026-12-03).
#[derive(Default)]
struct Scratch {
    /// The paragraph being featurised.
    features: Features,
    /// What each paragraph shows its neighbours, flat. The neighbour features are linear
    /// terms, so they are added to the scores once the whole article has been read,
    /// rather than by keeping every paragraph's features.
    exports: Vec<u64>,
    /// Where each paragraph's exports end in `exports`.
    export_ends: Vec<usize>,
}

thread_local! {
    /// Each thread's [`Scratch`], taken while in use (a nested call starts an empty one).
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
}

/// The text stage's view of one article, kept for the context stage: each paragraph's
/// probabilities, length, word hashes and fingerprint.
#[derive(Debug, Clone)]
pub struct TextStageScores {
    /// Label probabilities per paragraph.
    pub probabilities: Vec<Vec<f32>>,
    /// Words per paragraph.
    pub words: Vec<usize>,
    word_hashes: Vec<u64>,
    word_ends: Vec<usize>,
    fingerprints: Vec<Fingerprint>,
    /// Per paragraph, what explanations need (empty unless explaining).
    notes: Vec<TextNotes>,
}

impl TextStageScores {
    /// Each paragraph's fingerprint, for repetition counting.
    pub fn fingerprints(&self) -> &[Fingerprint] {
        &self.fingerprints
    }

    /// Each paragraph's word hashes.
    pub fn word_hash_slices(&self) -> Vec<&[u64]> {
        let mut start = 0;
        self.word_ends
            .iter()
            .map(|&end| {
                let slice = &self.word_hashes[start..end];
                start = end;
                slice
            })
            .collect()
    }
}

/// Index of the largest value (the first on ties).
pub fn argmax(values: &[f32]) -> usize {
    let mut best = 0;
    for (i, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Body paragraphs with a teaser, an advert label and a related link between them.
    const ARTICLE: &[&str] = &[
        "The county council voted on Tuesday evening to close two of its five public \
         swimming pools from next spring, citing a repair bill that officials said the \
         budget could not absorb.",
        "Councillor Marta Ingleby, who chairs the leisure committee, said the decision had \
         been the hardest of her eight years in office and that staff at both sites would \
         be offered jobs elsewhere.",
        "Advertisement",
        "Parents who had gathered outside the chamber said the closures would leave \
         children on the eastern side of the county with a 40-minute bus ride to the \
         nearest lesson.",
        "Read more: Council tax to rise by five per cent as reserves run low",
        "The remaining three pools will extend their opening hours, according to a report \
         presented to the meeting, and the council will review the plan in two years.",
        "Related: Library opening hours cut across the district",
        "A public consultation on the future use of the two buildings will open in January \
         and run for twelve weeks.",
    ];

    #[test]
    fn the_built_in_weights_are_read_in_place_and_score_as_a_copy_of_the_file_does() {
        let builtin = Model::builtin().unwrap();
        assert!(
            matches!(
                builtin.data.text_stage.weight_bytes(),
                std::borrow::Cow::Borrowed(_)
            ),
            "the built-in model's weights were copied"
        );
        // The same bytes from elsewhere (a model file read into memory) are copied, and
        // tag the same.
        let copy = BUILTIN.to_vec();
        let from_file = Model::from_bytes(&copy, "copy.chaff").unwrap();
        assert!(matches!(
            from_file.data.text_stage.weight_bytes(),
            std::borrow::Cow::Owned(_)
        ));
        assert_eq!(
            builtin.text_probabilities(ARTICLE),
            from_file.text_probabilities(ARTICLE)
        );
        assert!(builtin_part(&copy).is_none());
        assert_eq!(
            builtin_part(&BUILTIN[5..9]).unwrap().as_ptr(),
            BUILTIN[5..].as_ptr()
        );
    }

    #[test]
    fn the_prior_shift_moves_probability_to_rarer_labels_and_is_kept_when_saved() {
        let mut model = Model::builtin().unwrap();
        assert_eq!(model.prior_shift(), crate::DEFAULT_PRIOR_SHIFT);
        let text = ["A view of the harbour at dusk, with the ferry leaving the quay."];
        let shifted = model.predict(&text).remove(0);
        model.set_prior_shift(0.0).unwrap();
        let plain = model.predict(&text).remove(0);
        // The training data's rarest label gains relative to its most common one.
        let counts = &model.info().label_counts;
        let rare = (0..counts.len()).min_by_key(|&k| counts[k]).unwrap();
        let common = (0..counts.len()).max_by_key(|&k| counts[k]).unwrap();
        assert!(shifted[rare] / shifted[common] > plain[rare] / plain[common]);
        assert!((shifted.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        // The shift is part of the model: saved and read back.
        model.set_prior_shift(1.5).unwrap();
        let again = Model::from_bytes(&model.to_bytes(), "test").unwrap();
        assert_eq!(again.prior_shift(), 1.5);
        for bad in [-0.1, 2.5, f32::NAN] {
            assert!(model.set_prior_shift(bad).is_err(), "{bad}");
        }
        assert_eq!(model.prior_shift(), 1.5);
    }

    #[test]
    fn neighbours_do_not_overrule_what_the_text_stage_is_sure_of() {
        let model = Model::builtin().unwrap();
        assert!(model.has_context_stage());
        let text = model.text_probabilities(ARTICLE);
        let tags = crate::Tagger::new(&model)
            .tag_texts(&[ARTICLE.to_vec()])
            .remove(0);
        let mut sure = 0;
        for (i, (text, tag)) in text.iter().zip(&tags).enumerate() {
            if text.iter().any(|&p| p >= TEXT_STAGE_TRUSTED_FROM) {
                sure += 1;
                // The text stage's answer stands, moved only by the label priors.
                let mut expected = text.clone();
                model.shift_priors(&mut expected);
                assert_eq!(
                    &tag.probabilities, &expected,
                    "paragraph {i}: {:?}",
                    ARTICLE[i]
                );
            }
        }
        // Several of these paragraphs are plain enough for the text stage, so the rule is tested.
        assert!(sure >= 3, "only {sure} paragraphs above the threshold");
        let labels: Vec<&str> = tags
            .iter()
            .map(|t| model.labels().names()[t.label].as_str())
            .collect();
        assert_eq!(
            labels,
            [
                "reporting",
                "reporting",
                "boilerplate",
                "reporting",
                "boilerplate",
                "reporting",
                "boilerplate",
                "reporting"
            ]
        );
    }

    #[test]
    fn explanations_reconstruct_the_scores_tagging_computed() {
        let model = Model::builtin().unwrap();
        let text = model.text_probabilities(ARTICLE);
        let plain = crate::Tagger::new(&model)
            .tag_texts(&[ARTICLE.to_vec()])
            .remove(0);
        let explained = crate::Tagger::new(&model)
            .explanations(true)
            .tag_texts(&[ARTICLE.to_vec()])
            .remove(0);
        // The training path's feature vectors: an independent account of the raw scores.
        let mut article = featurized(&model);
        model.featurizer.add_neighbours(&mut article);
        let mut used = 0;
        for (i, (tag, plain)) in explained.iter().zip(&plain).enumerate() {
            // Explaining changes no tag.
            assert_eq!(tag.label, plain.label, "paragraph {i}");
            assert_eq!(tag.probabilities, plain.probabilities, "paragraph {i}");
            let e = tag.explanation.as_ref().expect("explained");
            let t = &e.text_stage;
            // The text stage's probability is the tagger's, before the context stage.
            assert_eq!(t.label_probability, text[i][tag.label], "paragraph {i}");
            // Bias plus every feature's part gives the margin...
            let sum: f32 = t.bias + t.features.iter().map(|c| c.weight).sum::<f32>();
            assert!(
                (sum - t.margin).abs() < 1e-3,
                "paragraph {i}: {sum} {}",
                t.margin
            );
            // ...and the margin is the raw score the training path gives.
            let mut raw = vec![0.0; model.labels().len()];
            model.data.text_stage.scores_into(&article[i], &mut raw);
            let others = (raw.iter().sum::<f32>() - raw[tag.label]) / (raw.len() - 1) as f32;
            assert!(
                (raw[tag.label] - others - t.margin).abs() < 1e-3,
                "paragraph {i}: {raw:?} {}",
                t.margin
            );
            assert!(t.features.windows(2).all(|w| w[0].weight >= w[1].weight));
            let c = &e.context_stage;
            let trusted = text[i].iter().any(|&p| p >= TEXT_STAGE_TRUSTED_FROM);
            assert_eq!(c.used, !trusted, "paragraph {i}");
            if c.used {
                used += 1;
                assert_eq!(c.features.len(), model.context_names.len());
                // The context margin and the prior's part make the final probabilities'
                // log-odds of the label against the mean of the others.
                let logs: Vec<f32> = tag.probabilities.iter().map(|p| p.ln()).collect();
                let others = (logs.iter().sum::<f32>() - logs[tag.label]) / (logs.len() - 1) as f32;
                let margin = logs[tag.label] - others - e.prior;
                assert!(
                    (margin - c.margin).abs() < 1e-2 * margin.abs().max(1.0),
                    "paragraph {i}: {margin} {}",
                    c.margin
                );
            } else {
                assert_eq!(c.skipped, Some("text_stage_trusted"));
                assert!(c.features.is_empty());
            }
        }
        assert!(used >= 2, "only {used} paragraphs used the context stage");
        // The Tagger's one-article method gives the same explanations.
        let article = crate::Article::new("a", ARTICLE.iter().map(|t| t.to_string()));
        let one = crate::Tagger::new(&model).explain(&article).unwrap();
        let all: Vec<Explanation> = explained
            .into_iter()
            .map(|t| *t.explanation.unwrap())
            .collect();
        assert_eq!(one, all);
    }

    #[test]
    fn short_articles_say_the_context_stage_was_skipped() {
        let model = Model::builtin().unwrap();
        let tags = crate::Tagger::new(&model)
            .explanations(true)
            .tag_texts(&[ARTICLE[..3].to_vec()])
            .remove(0);
        for tag in tags {
            let c = tag.explanation.unwrap().context_stage;
            assert!(!c.used);
            assert_eq!(c.skipped, Some("short_article"));
        }
    }

    /// ARTICLE's paragraphs featurized each on its own, as training first does.
    fn featurized(model: &Model) -> Vec<Features> {
        ARTICLE
            .iter()
            .map(|text| {
                let mut f = Features::default();
                model.featurizer.featurize(text, &mut f);
                f
            })
            .collect()
    }

    #[test]
    fn tagging_scores_neighbours_as_training_builds_them() {
        // Training adds neighbour features to each paragraph's vector; tagging adds their
        // weights to the scores. Both must give the same probabilities.
        let model = Model::builtin().unwrap();
        assert!(model.feature_settings().neighbours);
        let mut article = featurized(&model);
        let alone: Vec<Vec<f32>> = article
            .iter()
            .map(|f| {
                let mut p = vec![0.0; model.labels().len()];
                model.data.text_stage.probabilities_into(f, &mut p);
                p
            })
            .collect();
        model.featurizer.add_neighbours(&mut article);
        let tagged = model.text_probabilities(ARTICLE);
        for (i, f) in article.iter().enumerate() {
            let mut p = vec![0.0; model.labels().len()];
            model.data.text_stage.probabilities_into(f, &mut p);
            for (a, b) in p.iter().zip(&tagged[i]) {
                assert!(
                    (a - b).abs() < 1e-5,
                    "paragraph {i}: {p:?} against {:?}",
                    tagged[i]
                );
            }
        }
        // And the neighbours count: some paragraph reads differently alone.
        assert!(alone
            .iter()
            .zip(&tagged)
            .any(|(a, t)| a.iter().zip(t).any(|(x, y)| (x - y).abs() > 1e-3)));
    }
}
