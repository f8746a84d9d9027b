//! Training: from a labelled set to a [`Model`].

use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

use crate::dataset::LabelledSet;
use crate::error::{display_path, Error, Result};
use crate::evaluate::evaluate;
use crate::features::{FeatureSettings, Features, Featurizer};
use crate::linear::{ClassWeight, SoftmaxParams};
use crate::model::{Model, ModelData, RecordedScore, TrainingInfo};

/// Checked settings for [`train`]: the features and the text stage's learner.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrainParams {
    features: FeatureSettings,
    learner: SoftmaxParams,
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

    /// Refuses settings that cannot train.
    pub fn check(&self) -> Result<()> {
        if !(10..=24).contains(&self.features.hash_bits) {
            return Err(Error::Usage(format!(
                "hash bits must be between 10 and 24, got {}",
                self.features.hash_bits
            )));
        }
        self.learner.check()
    }

    fn describe(&self) -> Vec<(String, String)> {
        let f = &self.features;
        vec![
            ("hash_bits".into(), f.hash_bits.to_string()),
            ("bigrams".into(), f.bigrams.to_string()),
            ("cues".into(), f.cues.to_string()),
            ("shape".into(), f.shape.to_string()),
            ("learner".into(), format!("{:?}", self.learner)),
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

    let featurizer = Featurizer::new(params.features.clone());
    let paragraphs: Vec<_> = set.paragraphs().collect();
    let examples: Vec<Features> = paragraphs
        .par_iter()
        .map(|p| {
            let mut f = Features::default();
            featurizer.featurize(&p.text, &mut f);
            f
        })
        .collect();
    let targets: Vec<usize> = paragraphs
        .iter()
        .map(|p| labels.index(&p.label).expect("label from this set"))
        .collect();
    let text_stage =
        params
            .learner
            .fit(&examples, &targets, labels.len(), featurizer.dimensions())?;

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
        info,
    });
    let fit = evaluate(&model, set)?;
    model.info_mut().scores.push(RecordedScore {
        set: "training data (resubstitution)".into(),
        rows: fit.confusion.total(),
        macro_f1: fit.confusion.macro_f1(),
        accuracy: fit.confusion.accuracy(),
    });
    Ok(Training { model, warnings })
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
