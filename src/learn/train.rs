//! Training: from a labelled set to a [`Model`]. The text stage learns from every
//! paragraph; the context stage learns from out-of-fold text-stage scores (see
//! [`crate::learn::folds`]), so it learns how far to trust scores on publishers the text
//! stage has not seen.

use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

use crate::dataset::{GroupBy, LabelledSet};
use crate::error::{display_path, Error, Result, Warning};
use crate::label::{LabelSet, REPORTING};
use crate::learn::folds::{assign_folds, distinct_groups, out_of_fold, Examples};
use crate::model::context_stage::{
    article_features, echoes, within_article, ContextParams, ContextStage,
};
use crate::model::repetition::repeats_within;
use crate::model::text_stage::SoftmaxParams;
use crate::model::{Model, ModelData, TrainingInfo};
use crate::text::features::{FeatureSettings, Features, Featurizer};

pub use crate::model::text_stage::ClassWeight;

/// Below this many documents the context stage is skipped: its out-of-fold scores would
/// come from text stages trained on a handful of articles and teach it noise.
const MIN_CONTEXT_DOCUMENTS: usize = 10;

/// Checked settings for [`train`], built with setters from the defaults (the ones the
/// built-in model was trained with); [`TrainParams::check`] refuses what cannot train.
///
/// ```
/// use chaff::{ClassWeight, GroupBy, TrainParams};
///
/// let params = TrainParams::default()
///     .epochs(20)
///     .l2(3e-4)
///     .class_weight(ClassWeight::Balanced)
///     .group_by(GroupBy::Site);
/// assert!(params.check().is_ok());
/// assert!(TrainParams::default().epochs(0).check().is_err());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TrainParams {
    features: FeatureSettings,
    learner: SoftmaxParams,
    context: Option<ContextParams>,
    group_by: GroupBy,
    prior_shift: f32,
}

/// The prior shift a model is trained with unless told otherwise ([`Model::prior_shift`]).
pub const DEFAULT_PRIOR_SHIFT: f32 = 0.25;

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            features: FeatureSettings::default(),
            learner: SoftmaxParams::default(),
            context: Some(ContextParams::default()),
            group_by: GroupBy::Publisher,
            prior_shift: DEFAULT_PRIOR_SHIFT,
        }
    }
}

impl TrainParams {
    /// log2 of the hashed feature space (10 to 24; default 18).
    pub fn hash_bits(mut self, bits: u8) -> Self {
        self.features.hash_bits = bits;
        self
    }
    /// Word bigrams on or off (default on).
    pub fn bigrams(mut self, on: bool) -> Self {
        self.features.bigrams = on;
        self
    }
    /// Cue features on or off (default on).
    pub fn cues(mut self, on: bool) -> Self {
        self.features.cues = on;
        self
    }
    /// Shape features on or off (default on).
    pub fn shape(mut self, on: bool) -> Self {
        self.features.shape = on;
        self
    }
    /// Neighbour features (the cues and length of the paragraphs before and after) on or
    /// off (default on).
    pub fn neighbours(mut self, on: bool) -> Self {
        self.features.neighbours = on;
        self
    }
    /// Passes of the text stage over the data (1 to 1,000; default 12).
    pub fn epochs(mut self, epochs: usize) -> Self {
        self.learner = self.learner.epochs(epochs);
        self
    }
    /// The text stage's initial learning rate, decayed linearly to zero (default 0.5).
    pub fn learning_rate(mut self, rate: f32) -> Self {
        self.learner = self.learner.learning_rate(rate);
        self
    }
    /// The text stage's L2 shrinkage per update (0 to 1; default 0.001). Raise it to lean
    /// less on wording when training on few sites.
    pub fn l2(mut self, l2: f32) -> Self {
        self.learner = self.learner.l2(l2);
        self
    }
    /// Seed of the shuffling order: the same seed and data give the same model.
    pub fn seed(mut self, seed: u64) -> Self {
        self.learner = self.learner.seed(seed);
        self
    }
    /// How labels are weighed in the text stage's loss (default [`ClassWeight::SqrtBalanced`]).
    pub fn class_weight(mut self, weight: ClassWeight) -> Self {
        self.learner = self.learner.class_weight(weight);
        self
    }
    /// The context stage on or off (default on); off trains the text stage alone.
    pub fn context_stage(mut self, on: bool) -> Self {
        self.context = on.then(|| self.context.take().unwrap_or_default());
        self
    }
    /// Folds of the out-of-fold scores the context stage learns from (2 to 20; default 5).
    pub fn context_folds(mut self, folds: usize) -> Self {
        self.context = self.context.map(|c| c.folds(folds));
        self
    }
    /// Counting repetition across articles on or off in the context stage (default on).
    pub fn repetition(mut self, on: bool) -> Self {
        self.context = self.context.map(|c| c.repetition(on));
        self
    }
    /// How documents are grouped into the folds the context stage learns from: by
    /// publisher (default; falls back to site, then document), site or document. Grouping
    /// by publisher keeps a site's templates out of the scores the stage learns from, as
    /// they will be for sites the model has never seen.
    pub fn group_by(mut self, group_by: GroupBy) -> Self {
        self.group_by = group_by;
        self
    }

    /// How far the model's tagging moves from the training data's label frequencies
    /// towards equal ones (0 to 2; default 0.25; see [`Model::prior_shift`]).
    pub fn prior_shift(mut self, shift: f32) -> Self {
        self.prior_shift = shift;
        self
    }

    /// Refuses settings that cannot train, saying which and why.
    pub fn check(&self) -> Result<()> {
        crate::model::check_prior_shift(self.prior_shift)?;
        if !(10..=24).contains(&self.features.hash_bits) {
            return Err(Error::Usage(format!(
                "hash bits must be between 10 and 24, got {}",
                self.features.hash_bits
            )));
        }
        self.learner.check()?;
        if let Some(context) = &self.context {
            context.check()?;
        }
        Ok(())
    }

    /// The settings as `name=value` pairs, as a model records them and `chaff info` shows.
    fn describe(&self) -> Vec<(String, String)> {
        let f = &self.features;
        let mut pairs = vec![
            ("hash_bits", f.hash_bits.to_string()),
            ("bigrams", f.bigrams.to_string()),
            ("cues", f.cues.to_string()),
            ("shape", f.shape.to_string()),
            ("neighbours", f.neighbours.to_string()),
        ];
        pairs.extend(self.learner.describe());
        match &self.context {
            Some(context) => pairs.extend(context.describe()),
            None => pairs.push(("context", "off".to_string())),
        }
        pairs.push(("group_by", self.group_by.name().to_string()));
        pairs.push(("prior_shift", self.prior_shift.to_string()));
        pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }
}

/// A trained model and what training had to say about its data.
pub struct Training {
    /// The model.
    pub model: Model,
    /// Problems worth knowing that did not stop training (a label seen only a few times,
    /// rows skipped, too few documents for the context stage).
    pub warnings: Vec<Warning>,
}

/// Learns a model from `set` with `params`.
///
/// Refuses a set with no rows or a single label, and settings that do not check.
pub fn train(set: &LabelledSet, params: &TrainParams) -> Result<Training> {
    params.check()?;
    let labels = set.labels();
    let (counts, mut warnings) = check_training_set(set, &labels)?;
    let featurizer =
        Featurizer::new(params.features.clone()).with_context_inputs(params.context.is_some());
    let (features, words) = featurize(set, &featurizer);
    let targets: Vec<usize> = set
        .paragraphs()
        .map(|p| labels.index(&p.label).expect("label from this set"))
        .collect();
    let examples = Examples {
        features: &features,
        targets: &targets,
        n_labels: labels.len(),
        dimensions: featurizer.dimensions(),
    };
    let fit_text_stage = || {
        params
            .learner
            .fit(&features, &targets, labels.len(), featurizer.dimensions())
    };
    let files = set.describe_files();
    let (text_stage, context) = match &params.context {
        None => (fit_text_stage()?, None),
        Some(_) if set.documents.len() < MIN_CONTEXT_DOCUMENTS => {
            warnings.push(Warning::new(format!(
                "{files}: {} documents, fewer than the {MIN_CONTEXT_DOCUMENTS} the context stage \
                 needs to learn from; training the text stage only",
                set.documents.len()
            )));
            (fit_text_stage()?, None)
        }
        Some(context) => {
            let folds = context.folds.min(set.documents.len());
            let mut group_by = params.group_by;
            let groups = distinct_groups(set, group_by);
            if groups < folds {
                warnings.push(Warning::new(format!(
                    "{files}: {groups} {}s for {folds} context folds; grouping the folds by \
                     document instead",
                    group_by.name()
                )));
                group_by = GroupBy::Document;
            }
            let fold_of_document = assign_folds(set, group_by, folds);
            // The final text stage and the out-of-fold ones are independent fits: run them
            // side by side.
            let (text_stage, oof) = rayon::join(fit_text_stage, || {
                out_of_fold(set, &fold_of_document, &params.learner, &examples)
            });
            let (text_stage, oof) = (text_stage?, oof?);
            let stage = fit_context_stage(set, context, &examples, &words, &oof, &labels)?;
            (text_stage, Some(stage))
        }
    };
    let info = TrainingInfo {
        chaff_version: env!("CARGO_PKG_VERSION").to_string(),
        trained_at: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
        files: set.files.iter().map(|p| display_path(p)).collect(),
        data_sha256: set.sha256.clone(),
        rows: set.rows(),
        documents: set.documents.len(),
        label_counts: counts,
        settings: params.describe(),
        scores: Vec::new(),
    };
    let mut model = Model::from_data(ModelData {
        labels,
        features: params.features.clone(),
        text_stage,
        context,
        info,
        prior_shift: params.prior_shift,
    });
    model.record_score(set, "training data (resubstitution)")?;
    Ok(Training { model, warnings })
}

/// Refuses a set that cannot train; returns the rows per label and the set's warnings,
/// with one for each label too rare to learn well.
fn check_training_set(set: &LabelledSet, labels: &LabelSet) -> Result<(Vec<usize>, Vec<Warning>)> {
    let files = set.describe_files();
    if set.rows() == 0 {
        return Err(Error::Data(format!(
            "{files}: no labelled paragraphs to train on"
        )));
    }
    if labels.len() < 2 {
        return Err(Error::Data(format!(
            "{files}: every paragraph has the label {:?}; a model needs at least two labels",
            labels.name(0)
        )));
    }
    let mut warnings = set.warnings.clone();
    let mut counts = vec![0usize; labels.len()];
    for p in set.paragraphs() {
        counts[labels.index(&p.label).expect("label from this set")] += 1;
    }
    for (k, &n) in counts.iter().enumerate() {
        if n < 5 {
            warnings.push(Warning::new(format!(
                "{files}: label {:?} has only {n} paragraph{}; it will be learned poorly",
                labels.name(k),
                if n == 1 { "" } else { "s" }
            )));
        }
    }
    Ok((counts, warnings))
}

/// Every paragraph's features (with its neighbours' when the settings ask) and length in
/// words, in set order.
fn featurize(set: &LabelledSet, featurizer: &Featurizer) -> (Vec<Features>, Vec<usize>) {
    let paragraphs: Vec<_> = set.paragraphs().collect();
    let (mut features, words): (Vec<Features>, Vec<usize>) = paragraphs
        .par_iter()
        .map(|p| {
            let mut f = Features::default();
            let words = featurizer.featurize(&p.text, &mut f).words;
            (f, words)
        })
        .unzip();
    let mut offset = 0;
    for document in &set.documents {
        let n = document.paragraphs.len();
        featurizer.add_neighbours(&mut features[offset..offset + n]);
        offset += n;
    }
    (features, words)
}

/// Fits the context stage on the out-of-fold scores `oof` of every document.
///
/// Scrapers cut pages to different regions: many feeds end with the article's last body
/// paragraph, without the footer. So each page is learned whole and also cut after its
/// last body paragraph, and the end of the input alone does not make a paragraph
/// boilerplate (docs/decisions.md, "Training pages cut after the body").
fn fit_context_stage(
    set: &LabelledSet,
    context: &ContextParams,
    examples: &Examples,
    words: &[usize],
    oof: &[Vec<f32>],
    labels: &LabelSet,
) -> Result<ContextStage> {
    // Fingerprints and word hashes come from the same tokenisation as at tag time.
    let mut prints = Vec::with_capacity(set.documents.len());
    let mut offset = 0;
    for document in &set.documents {
        let n = document.paragraphs.len();
        prints.push(
            examples.features[offset..offset + n]
                .iter()
                .map(|f| f.fingerprint.expect("featurize sets the fingerprint"))
                .collect::<Vec<_>>(),
        );
        offset += n;
    }
    let repeats = repeats_within(&prints);
    let body = labels.index(REPORTING);
    let mut rows = Vec::with_capacity(2 * examples.targets.len());
    let mut row_targets = Vec::with_capacity(2 * examples.targets.len());
    let mut offset = 0;
    for (d, document) in set.documents.iter().enumerate() {
        let n = document.paragraphs.len();
        let doc_targets = &examples.targets[offset..offset + n];
        let cut = body.and_then(|b| {
            let last = doc_targets.iter().rposition(|t| *t == b)?;
            (last + 1 < n).then_some(0..last + 1)
        });
        for range in std::iter::once(0..n).chain(cut) {
            let span = offset + range.start..offset + range.end;
            let hashes: Vec<&[u64]> = examples.features[span.clone()]
                .iter()
                .map(|f| f.word_hashes.as_slice())
                .collect();
            let within = within_article(&prints[d][range.clone()]);
            rows.extend(article_features(
                &oof[span.clone()],
                &words[span],
                &echoes(&hashes),
                &within,
                &repeats[d][range.clone()],
                context.settings,
            ));
            row_targets.extend_from_slice(&doc_targets[range]);
        }
        offset += n;
    }
    context.fit(&rows, &row_targets, labels.len())
}
