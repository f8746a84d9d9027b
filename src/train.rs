//! Training: from a labelled set to a [`Model`].

use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

use crate::context::{article_features, echoes, ContextParams};
use crate::dataset::{GroupBy, LabelledSet};
use crate::error::{display_path, Error, Result};
use crate::evaluate::evaluate;
use crate::features::{FeatureSettings, Features, Featurizer};
use crate::label::REPORTING;
use crate::linear::{ClassWeight, SoftmaxParams, SoftmaxRegression};
use crate::model::{Model, ModelData, RecordedScore, TrainingInfo};
use crate::repetition::repeats_within;

/// Below this many documents the context stage is skipped: its out-of-fold scores would
/// come from text stages trained on a handful of articles and teach it noise.
pub const MIN_CONTEXT_DOCUMENTS: usize = 10;

/// Checked settings for [`train`]: the features, the text stage's learner and the context
/// stage (on by default).
#[derive(Debug, Clone, PartialEq)]
pub struct TrainParams {
    features: FeatureSettings,
    learner: SoftmaxParams,
    context: Option<ContextParams>,
    group_by: GroupBy,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            features: FeatureSettings::default(),
            learner: SoftmaxParams::default(),
            context: Some(ContextParams::default()),
            group_by: GroupBy::Publisher,
        }
    }
}

impl TrainParams {
    /// log2 of the hashed feature space (10 to 24).
    pub fn hash_bits(mut self, bits: u8) -> Self {
        self.features.hash_bits = bits;
        self
    }
    /// Word bigrams on or off.
    pub fn bigrams(mut self, on: bool) -> Self {
        self.features.bigrams = on;
        self
    }
    /// Cue features on or off.
    pub fn cues(mut self, on: bool) -> Self {
        self.features.cues = on;
        self
    }
    /// Shape features on or off.
    pub fn shape(mut self, on: bool) -> Self {
        self.features.shape = on;
        self
    }
    /// Neighbour features (the cues and length of the paragraphs before and after) on or
    /// off.
    pub fn neighbours(mut self, on: bool) -> Self {
        self.features.neighbours = on;
        self
    }
    /// The text stage's learner settings.
    pub fn learner(mut self, learner: SoftmaxParams) -> Self {
        self.learner = learner;
        self
    }
    /// Passes over the data.
    pub fn epochs(mut self, epochs: usize) -> Self {
        self.learner = self.learner.epochs(epochs);
        self
    }
    /// Seed for shuffling.
    pub fn seed(mut self, seed: u64) -> Self {
        self.learner = self.learner.seed(seed);
        self
    }
    /// How labels are weighed.
    pub fn class_weight(mut self, weight: ClassWeight) -> Self {
        self.learner = self.learner.class_weight(weight);
        self
    }
    /// The context stage's settings, or `None` for a text stage alone.
    pub fn context(mut self, context: Option<ContextParams>) -> Self {
        self.context = context;
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

    /// Refuses settings that cannot train.
    pub fn check(&self) -> Result<()> {
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

    fn describe(&self) -> Vec<(String, String)> {
        let f = &self.features;
        vec![
            ("hash_bits".into(), f.hash_bits.to_string()),
            ("bigrams".into(), f.bigrams.to_string()),
            ("cues".into(), f.cues.to_string()),
            ("shape".into(), f.shape.to_string()),
            ("neighbours".into(), f.neighbours.to_string()),
            ("learner".into(), format!("{:?}", self.learner)),
            (
                "context".into(),
                self.context
                    .as_ref()
                    .map_or("none".into(), |c| format!("{c:?}")),
            ),
            ("group_by".into(), format!("{:?}", self.group_by)),
        ]
    }
}

/// A trained model and what training had to say about its data.
pub struct Training {
    pub model: Model,
    /// Problems worth knowing that did not stop training (a label seen once...).
    pub warnings: Vec<String>,
}

/// Learns a model from `set`.
pub fn train(set: &LabelledSet, params: &TrainParams) -> Result<Training> {
    params.check()?;
    let files = set.describe_files();
    if set.rows() == 0 {
        return Err(Error::Train(format!(
            "{files}: no labelled paragraphs to train on"
        )));
    }
    let labels = set.labels();
    if labels.len() < 2 {
        return Err(Error::Train(format!(
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
            warnings.push(format!(
                "{files}: label {:?} has only {n} paragraph{}; it will be learned poorly",
                labels.name(k),
                if n == 1 { "" } else { "s" }
            ));
        }
    }

    let featurizer =
        Featurizer::new(params.features.clone()).with_context_inputs(params.context.is_some());
    let paragraphs: Vec<_> = set.paragraphs().collect();
    let (mut examples, words): (Vec<Features>, Vec<usize>) = paragraphs
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
        featurizer.add_neighbours(&mut examples[offset..offset + n]);
        offset += n;
    }
    let targets: Vec<usize> = paragraphs
        .iter()
        .map(|p| labels.index(&p.label).expect("label from this set"))
        .collect();
    let fit_text_stage = || {
        params
            .learner
            .fit(&examples, &targets, labels.len(), featurizer.dimensions())
    };
    let (text_stage, context) = match &params.context {
        None => (fit_text_stage()?, None),
        Some(_) if set.documents.len() < MIN_CONTEXT_DOCUMENTS => {
            warnings.push(format!(
                "{files}: {} documents, fewer than the {MIN_CONTEXT_DOCUMENTS} the context stage \
                 needs to learn from; training the text stage only",
                set.documents.len()
            ));
            (fit_text_stage()?, None)
        }
        Some(context) => {
            let folds = context.get_folds().min(set.documents.len());
            let mut group_by = params.group_by;
            let groups = distinct_groups(set, group_by);
            if groups < folds {
                warnings.push(format!(
                    "{files}: {groups} {} for {folds} context folds; grouping the folds by \
                     document instead",
                    match group_by {
                        GroupBy::Site => "sites",
                        _ => "publishers",
                    }
                ));
                group_by = GroupBy::Document;
            }
            // The final text stage and the out-of-fold ones are independent fits: run them
            // side by side.
            let (text_stage, oof) = rayon::join(fit_text_stage, || {
                out_of_fold(
                    set,
                    &params.learner,
                    group_by,
                    folds,
                    &examples,
                    &targets,
                    labels.len(),
                    featurizer.dimensions(),
                )
            });
            let (text_stage, oof) = (text_stage?, oof?);
            // Fingerprints and word hashes come from the same tokenisation as at tag time.
            let mut prints = Vec::with_capacity(set.documents.len());
            let mut offset = 0;
            for document in &set.documents {
                let n = document.paragraphs.len();
                prints.push(
                    examples[offset..offset + n]
                        .iter()
                        .map(|f| f.fingerprint.expect("featurize sets the fingerprint"))
                        .collect::<Vec<_>>(),
                );
                offset += n;
            }
            let repeats = repeats_within(&prints);
            let body = labels.index(REPORTING);
            let mut rows = Vec::with_capacity(2 * targets.len());
            let mut row_targets = Vec::with_capacity(2 * targets.len());
            let mut offset = 0;
            for (d, document) in set.documents.iter().enumerate() {
                let n = document.paragraphs.len();
                let doc_targets = &targets[offset..offset + n];
                let whole = 0..n;
                // Scrapers cut pages to different regions: many feeds end with the article's
                // last body paragraph (as ../shared/examples does), without the footer. Each
                // page is learned whole and cut after its last body paragraph, so the end of
                // the input alone does not make a paragraph boilerplate. (Cutting the head
                // too was measured: it helped no set and cost challenge.csv 0.03 macro-F1.)
                let cut = body.and_then(|b| {
                    let last = doc_targets.iter().rposition(|t| *t == b)?;
                    (last + 1 < n).then_some(0..last + 1)
                });
                for range in std::iter::once(whole).chain(cut) {
                    let span = offset + range.start..offset + range.end;
                    let hashes: Vec<&[u64]> = examples[span.clone()]
                        .iter()
                        .map(|f| f.word_hashes.as_slice())
                        .collect();
                    rows.extend(article_features(
                        &oof[span.clone()],
                        &words[span],
                        &echoes(&hashes),
                        &repeats[d][range.clone()],
                        context.settings(),
                    ));
                    row_targets.extend_from_slice(&doc_targets[range]);
                }
                offset += n;
            }
            let fitted = context.fit(&rows, &row_targets, labels.len())?;
            (text_stage, Some(fitted))
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
    });
    record_score(&mut model, set, "training data (resubstitution)")?;
    Ok(Training { model, warnings })
}

/// Text-stage probabilities of every paragraph (in set order), each from a text stage
/// trained without the paragraph's group (publisher, site or document).
#[allow(clippy::too_many_arguments)]
fn out_of_fold(
    set: &LabelledSet,
    learner: &SoftmaxParams,
    group_by: GroupBy,
    folds: usize,
    examples: &[Features],
    targets: &[usize],
    n_labels: usize,
    dimensions: usize,
) -> Result<Vec<Vec<f32>>> {
    let fold_of_document = assign_folds(set, group_by, folds);
    let mut fold_of_row = Vec::with_capacity(targets.len());
    for (d, document) in set.documents.iter().enumerate() {
        fold_of_row.extend(std::iter::repeat_n(
            fold_of_document[d],
            document.paragraphs.len(),
        ));
    }
    let used: Vec<usize> = {
        let mut f = fold_of_document.clone();
        f.sort_unstable();
        f.dedup();
        f
    };
    let mut out = vec![Vec::new(); targets.len()];
    let fitted: Vec<(usize, SoftmaxRegression)> = used
        .par_iter()
        .map(|&fold| {
            let (x, y): (Vec<&Features>, Vec<usize>) = examples
                .iter()
                .zip(targets)
                .zip(&fold_of_row)
                .filter(|(_, f)| **f != fold)
                .map(|((x, y), _)| (x, *y))
                .unzip();
            // A fold holding every group leaves nothing to train on: use no model.
            if x.is_empty() {
                return Ok((fold, None));
            }
            learner
                .fit(&x, &y, n_labels, dimensions)
                .map(|m| (fold, Some(m)))
        })
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .filter_map(|(f, m)| m.map(|m| (f, m)))
        .collect();
    for (fold, model) in &fitted {
        for (i, x) in examples.iter().enumerate() {
            if fold_of_row[i] == *fold {
                let mut p = vec![0.0; n_labels];
                model.probabilities_into(x, &mut p);
                out[i] = p;
            }
        }
    }
    for p in out.iter_mut().filter(|p| p.is_empty()) {
        *p = vec![1.0 / n_labels as f32; n_labels];
    }
    Ok(out)
}

/// Number of distinct groups of documents.
fn distinct_groups(set: &LabelledSet, by: GroupBy) -> usize {
    let groups: std::collections::HashSet<&str> = (0..set.documents.len())
        .map(|d| set.group_of(d, by))
        .collect();
    groups.len()
}

/// Assigns each document a fold so that all documents of a group share one; groups are
/// spread by a hash of their name (stable across runs) and balanced by size.
pub(crate) fn assign_folds(set: &LabelledSet, by: GroupBy, folds: usize) -> Vec<usize> {
    use std::collections::BTreeMap;
    let mut groups: BTreeMap<&str, usize> = BTreeMap::new();
    for (d, document) in set.documents.iter().enumerate() {
        *groups.entry(set.group_of(d, by)).or_default() += document.paragraphs.len();
    }
    // Largest groups first, each to the currently smallest fold (ties: lowest index), so
    // folds hold similar numbers of paragraphs.
    let mut order: Vec<(&str, usize)> = groups.into_iter().collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let mut load = vec![0usize; folds];
    let mut fold_of_group = std::collections::HashMap::new();
    for (group, size) in order {
        let fold = (0..folds)
            .min_by_key(|&f| (load[f], f))
            .expect("folds >= 1");
        load[fold] += size;
        fold_of_group.insert(group, fold);
    }
    (0..set.documents.len())
        .map(|d| fold_of_group[set.group_of(d, by)])
        .collect()
}

/// Scores `model` on `set` and records the result in the model under `name`.
pub fn record_score(model: &mut Model, set: &LabelledSet, name: &str) -> Result<RecordedScore> {
    let evaluation = evaluate(model, set)?;
    let score = RecordedScore {
        set: name.to_string(),
        rows: evaluation.confusion.total(),
        macro_f1: evaluation.confusion.macro_f1(),
        accuracy: evaluation.confusion.accuracy(),
    };
    model.info_mut().scores.push(score.clone());
    Ok(score)
}
