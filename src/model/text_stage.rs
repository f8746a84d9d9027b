//! Multinomial logistic regression over sparse hashed features, trained by stochastic
//! gradient descent: the text stage.
//!
//! Written by hand because linfa 0.8 has no learner for sparse high-dimensional input
//! (rust-ml/linfa#192): its logistic regression takes dense matrices, and a dense
//! 40,000 x 4,096 fit took 286 s and 5 GB on this project's machine. This is the
//! fastText / Vowpal Wabbit recipe instead: one pass per epoch over the non-zero entries,
//! shuffled order, a linearly decaying learning rate and L2 shrinkage of touched weights.
//! Its cost is linear in the number of non-zero features, so it trains in seconds.

use std::borrow::Cow;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::text::features::Features;

/// How much each label weighs in the text stage's loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClassWeight {
    /// Every example counts once.
    Uniform,
    /// Each class weighs in proportion to 1/sqrt(frequency): rare labels (appeals) are
    /// heard without over-fitting their few examples.
    SqrtBalanced,
    /// Each class weighs in proportion to 1/frequency.
    Balanced,
}

impl ClassWeight {
    /// The name the command line and model records use: none, sqrt or balanced.
    pub fn name(self) -> &'static str {
        match self {
            ClassWeight::Uniform => "none",
            ClassWeight::SqrtBalanced => "sqrt",
            ClassWeight::Balanced => "balanced",
        }
    }
}

/// Checked hyperparameters of [`SoftmaxRegression`]; build with the setters, then
/// [`SoftmaxParams::fit`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoftmaxParams {
    epochs: usize,
    learning_rate: f32,
    l2: f32,
    class_weight: ClassWeight,
    seed: u64,
}

/// The default L2 shrinkage, per update and so per training row: it holds its strength
/// from a 2,000-row fold to a 50,000-row corpus (docs/decisions.md, "Text-stage L2").
pub const DEFAULT_L2: f32 = 1e-3;

impl Default for SoftmaxParams {
    fn default() -> Self {
        SoftmaxParams {
            epochs: 12,
            learning_rate: 0.5,
            l2: DEFAULT_L2,
            class_weight: ClassWeight::SqrtBalanced,
            seed: 42,
        }
    }
}

impl SoftmaxParams {
    /// Passes over the training data (1 to 1,000).
    pub fn epochs(mut self, epochs: usize) -> Self {
        self.epochs = epochs;
        self
    }
    /// Initial learning rate, decayed linearly to zero (greater than 0, at most 10).
    pub fn learning_rate(mut self, rate: f32) -> Self {
        self.learning_rate = rate;
        self
    }
    /// L2 shrinkage per update of a touched weight (0 to 1; default [`DEFAULT_L2`]).
    pub fn l2(mut self, l2: f32) -> Self {
        self.l2 = l2;
        self
    }
    /// How classes are weighed.
    pub fn class_weight(mut self, weight: ClassWeight) -> Self {
        self.class_weight = weight;
        self
    }
    /// Seed of the shuffling order: the same seed and data give the same model.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The settings as `name=value` pairs, for the model's training record.
    pub fn describe(&self) -> Vec<(&'static str, String)> {
        vec![
            ("epochs", self.epochs.to_string()),
            ("learning_rate", self.learning_rate.to_string()),
            ("l2", self.l2.to_string()),
            ("class_weight", self.class_weight.name().to_string()),
            ("seed", self.seed.to_string()),
        ]
    }

    /// Refuses settings that cannot train.
    pub fn check(&self) -> Result<()> {
        if !(1..=1000).contains(&self.epochs) {
            return Err(Error::Usage(format!(
                "epochs must be between 1 and 1000, got {}",
                self.epochs
            )));
        }
        if !(self.learning_rate > 0.0 && self.learning_rate <= 10.0) {
            return Err(Error::Usage(format!(
                "learning rate must be in (0, 10], got {}",
                self.learning_rate
            )));
        }
        if !(0.0..1.0).contains(&self.l2) {
            return Err(Error::Usage(format!(
                "l2 must be in [0, 1), got {}",
                self.l2
            )));
        }
        Ok(())
    }

    /// Learns weights from `examples` with label indices `targets` (each `< n_labels`) in a
    /// space of `dimensions` features.
    pub fn fit<F: std::borrow::Borrow<Features>>(
        &self,
        examples: &[F],
        targets: &[usize],
        n_labels: usize,
        dimensions: usize,
    ) -> Result<SoftmaxRegression> {
        self.check()?;
        if examples.len() != targets.len() {
            return Err(Error::Data(format!(
                "{} examples but {} targets",
                examples.len(),
                targets.len()
            )));
        }
        if examples.is_empty() || n_labels < 2 {
            return Err(Error::Data(
                "need at least one example and two labels".into(),
            ));
        }
        let used = UsedFeatures::of(examples, dimensions)?;
        // The weights being learned: one row per feature the examples use, in a table small
        // enough to stay in cache (see `UsedFeatures`); scattered into the full space at the
        // end. The arithmetic is the same, in the same order, as on the full table.
        let mut rows = vec![0.0f32; used.hashed.len() * n_labels];
        let mut bias = vec![0.0f32; n_labels];
        let weights = self.class_weights(targets, n_labels);
        // The usual label counts get a loop whose row length the compiler knows.
        match n_labels {
            2 => self.descend::<2>(&used, targets, &weights, &mut rows, &mut bias),
            3 => self.descend::<3>(&used, targets, &weights, &mut rows, &mut bias),
            4 => self.descend::<4>(&used, targets, &weights, &mut rows, &mut bias),
            _ => self.descend::<0>(&used, targets, &weights, &mut rows, &mut bias),
        }
        let mut weights = vec![0.0; dimensions * n_labels];
        for (row, &j) in rows.chunks_exact(n_labels).zip(&used.hashed) {
            weights[j as usize * n_labels..][..n_labels].copy_from_slice(row);
        }
        Ok(SoftmaxRegression::from_floats(n_labels, &weights, bias))
    }

    /// The epochs of stochastic gradient descent, on the dense numbering of `used`: `rows`
    /// holds one row of `bias.len()` weights per used feature. `K` is the number of labels
    /// when known at compile time, 0 otherwise.
    fn descend<const K: usize>(
        &self,
        used: &UsedFeatures,
        targets: &[usize],
        weights: &[f32],
        rows: &mut [f32],
        bias: &mut [f32],
    ) {
        let n_labels = if K > 0 { K } else { bias.len() };
        let mut order: Vec<usize> = (0..targets.len()).collect();
        let mut rng = rand::rngs::StdRng::seed_from_u64(self.seed);
        let total = (self.epochs * targets.len()) as f32;
        let mut step = 0f32;
        let mut probs = vec![0.0f32; n_labels];
        for _ in 0..self.epochs {
            order.shuffle(&mut rng);
            for &i in &order {
                let rate = self.learning_rate * (1.0 - step / total).max(1e-4);
                step += 1.0;
                let x = used.example(i);
                probs.copy_from_slice(bias);
                for &(j, v) in x {
                    let row = &rows[j as usize * n_labels..][..n_labels];
                    for (o, w) in probs.iter_mut().zip(row) {
                        *o += w * v;
                    }
                }
                softmax(&mut probs);
                let w = weights[targets[i]];
                // Gradient of the cross-entropy: p - y, scaled by the class weight.
                for (k, p) in probs.iter_mut().enumerate() {
                    let y = if k == targets[i] { 1.0 } else { 0.0 };
                    *p = (*p - y) * w * rate;
                }
                for (b, g) in bias.iter_mut().zip(&probs) {
                    *b -= g;
                }
                let shrink = 1.0 - rate * self.l2;
                for &(j, v) in x {
                    let row = &mut rows[j as usize * n_labels..][..n_labels];
                    for (w, g) in row.iter_mut().zip(&probs) {
                        *w = *w * shrink - g * v;
                    }
                }
            }
        }
    }

    fn class_weights(&self, targets: &[usize], n_labels: usize) -> Vec<f32> {
        let mut counts = vec![0usize; n_labels];
        for &t in targets {
            counts[t] += 1;
        }
        let n = targets.len() as f32;
        let present = counts.iter().filter(|c| **c > 0).count().max(1) as f32;
        let raw: Vec<f32> = counts
            .iter()
            .map(|&c| {
                if c == 0 {
                    return 0.0;
                }
                let share = c as f32 / n * present;
                match self.class_weight {
                    ClassWeight::Uniform => 1.0,
                    ClassWeight::SqrtBalanced => 1.0 / share.sqrt(),
                    ClassWeight::Balanced => 1.0 / share,
                }
            })
            .collect();
        // Keep the average weight per example at 1 so the learning rate means the same.
        let mean: f32 = targets.iter().map(|&t| raw[t]).sum::<f32>() / n;
        raw.iter().map(|w| w / mean).collect()
    }
}

/// The features a training set uses, numbered densely in order of first use, and each
/// example's entries (dense index, value) in one flat list. Training reads and writes the
/// weights of every feature of every example, epoch after epoch: over the whole hashed
/// space (2^18 features x 4 labels = 4 MB) most of those reads missed the cache, and
/// they were 60% of training time; the features a training set of 40,000 paragraphs uses
/// fill a small part of it. Training on the dense numbering gives the same weights, bit for
/// bit (tested), and is about twice as fast (docs/decisions.md, "Training on used features").
struct UsedFeatures {
    /// Hashed index of each dense feature.
    hashed: Vec<u32>,
    /// Every example's entries, one example after the other.
    entries: Vec<(u32, f32)>,
    /// Where each example's entries start in `entries` (one more entry than examples).
    starts: Vec<usize>,
}

impl UsedFeatures {
    fn of<F: std::borrow::Borrow<Features>>(examples: &[F], dimensions: usize) -> Result<Self> {
        const UNSEEN: u32 = u32::MAX;
        let mut dense = vec![UNSEEN; dimensions];
        let mut used = UsedFeatures {
            hashed: Vec::new(),
            entries: Vec::with_capacity(examples.iter().map(|x| x.borrow().len()).sum()),
            starts: Vec::with_capacity(examples.len() + 1),
        };
        used.starts.push(0);
        for x in examples {
            let x = x.borrow();
            for (&j, &v) in x.indices.iter().zip(&x.values) {
                let slot = dense.get_mut(j as usize).ok_or_else(|| {
                    Error::Data(format!(
                        "feature index {j} is outside the model's {dimensions} dimensions"
                    ))
                })?;
                if *slot == UNSEEN {
                    *slot = used.hashed.len() as u32;
                    used.hashed.push(j);
                }
                used.entries.push((*slot, v));
            }
            used.starts.push(used.entries.len());
        }
        Ok(used)
    }

    /// The entries of example `i`.
    fn example(&self, i: usize) -> &[(u32, f32)] {
        &self.entries[self.starts[i]..self.starts[i + 1]]
    }
}

/// A trained multinomial logistic regression: one weight per (feature, label) plus a bias
/// per label. Weights are stored feature-major so a feature's labels sit side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoftmaxRegression {
    n_labels: usize,
    /// The weights as little-endian `f32` bytes, as the model file holds them. The built-in
    /// model's table is read in place from the binary instead of being decoded into a new
    /// table at every start (4 MB: 2.6 of the 9 ms that loading the built-in model took;
    /// docs/decisions.md, "Start-up"). Reading a weight from bytes costs what reading an
    /// `f32` does on little-endian machines.
    #[serde(with = "weight_bytes")]
    weights: Cow<'static, [u8]>,
    bias: Vec<f32>,
}

/// Bytes of one `f32`.
const F32_BYTES: usize = 4;

/// The weights as one run of bytes in the model file (postcard read a `Vec<f32>` of a
/// million numbers one by one). Bytes that lie inside the built-in model are borrowed from
/// it; others, read from a model file, are copied.
mod weight_bytes {
    use super::F32_BYTES;
    use serde::de::{Error, Visitor};
    use serde::{Deserializer, Serializer};
    use std::borrow::Cow;

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Cow<'static, [u8]>, D::Error> {
        struct Floats;
        impl Floats {
            fn check<E: Error>(&self, bytes: &[u8]) -> Result<(), E> {
                if bytes.len() % F32_BYTES != 0 {
                    return Err(E::invalid_length(bytes.len(), self));
                }
                Ok(())
            }
        }
        impl<'de> Visitor<'de> for Floats {
            type Value = Cow<'static, [u8]>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("little-endian f32 bytes")
            }
            fn visit_borrowed_bytes<E: Error>(self, bytes: &'de [u8]) -> Result<Self::Value, E> {
                self.check(bytes)?;
                Ok(crate::model::builtin_part(bytes)
                    .map_or_else(|| Cow::Owned(bytes.to_vec()), Cow::Borrowed))
            }
            fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<Self::Value, E> {
                self.check(bytes)?;
                Ok(Cow::Owned(bytes.to_vec()))
            }
        }
        deserializer.deserialize_bytes(Floats)
    }
}

impl SoftmaxRegression {
    /// Number of labels.
    pub fn n_labels(&self) -> usize {
        self.n_labels
    }

    /// Writes raw scores (logits) of `x` into `out` (length `n_labels`).
    pub fn scores_into(&self, x: &Features, out: &mut [f32]) {
        // Touch every row first: a loop of bare reads lets the processor wait for all the
        // rows' cache misses at once, where the scoring loop keeps only a few in flight.
        let stride = self.n_labels * F32_BYTES;
        let touched = x
            .indices
            .iter()
            .fold(0u8, |acc, &j| acc ^ self.weights[j as usize * stride]);
        std::hint::black_box(touched);
        out.copy_from_slice(&self.bias);
        for (&j, &v) in x.indices.iter().zip(&x.values) {
            self.add_feature_scores(j, v, out);
        }
    }

    /// Builds a model from its weights (feature-major, `n_labels` per feature) and biases.
    fn from_floats(n_labels: usize, weights: &[f32], bias: Vec<f32>) -> Self {
        SoftmaxRegression {
            n_labels,
            weights: Cow::Owned(weights.iter().flat_map(|w| w.to_le_bytes()).collect()),
            bias,
        }
    }

    /// Adds the raw scores of feature `j` at value `v` to `out`: how a feature known
    /// apart from a [`Features`] vector (a neighbour's, see [`crate::model`]) is scored.
    #[inline]
    pub fn add_feature_scores(&self, j: u32, v: f32, out: &mut [f32]) {
        let row = self.row_bytes(j);
        // Four labels (the default set) unrolled: the same multiplications and additions,
        // in the same order, without the loop.
        if let (Ok(out), Ok(row)) = (
            <&mut [f32; 4]>::try_from(&mut *out),
            <&[u8; 16]>::try_from(row),
        ) {
            for (l, o) in out.iter_mut().enumerate() {
                let w = f32::from_le_bytes([
                    row[4 * l],
                    row[4 * l + 1],
                    row[4 * l + 2],
                    row[4 * l + 3],
                ]);
                *o += w * v;
            }
            return;
        }
        for (o, w) in out.iter_mut().zip(row.chunks_exact(F32_BYTES)) {
            *o += f32::from_le_bytes([w[0], w[1], w[2], w[3]]) * v;
        }
    }

    /// The bytes of feature `j`'s weights.
    #[inline]
    fn row_bytes(&self, j: u32) -> &[u8] {
        let k = self.n_labels * F32_BYTES;
        &self.weights[j as usize * k..][..k]
    }

    /// The weights of feature `j`, one per label.
    fn row(&self, j: u32) -> impl Iterator<Item = f32> + '_ {
        self.row_bytes(j)
            .chunks_exact(F32_BYTES)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// The weights of feature `j`, one per label.
    pub fn feature_weights(&self, j: u32) -> Vec<f32> {
        self.row(j).collect()
    }

    /// The weight table's bytes, borrowed from the built-in model or owned.
    #[cfg(test)]
    pub(crate) fn weight_bytes(&self) -> &Cow<'static, [u8]> {
        &self.weights
    }

    /// Every weight, feature-major.
    #[cfg(test)]
    fn weights(&self) -> impl Iterator<Item = f32> + '_ {
        self.weights
            .chunks_exact(F32_BYTES)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// The bias of each label.
    pub fn bias(&self) -> &[f32] {
        &self.bias
    }

    /// Writes the label probabilities of `x` into `out` (length `n_labels`).
    pub fn probabilities_into(&self, x: &Features, out: &mut [f32]) {
        self.scores_into(x, out);
        softmax(out);
    }

    /// Checks the stored shapes (after loading a file).
    pub fn is_consistent(&self, dimensions: usize) -> bool {
        self.n_labels >= 1
            && self.bias.len() == self.n_labels
            && self.weights.len() == dimensions * self.n_labels * F32_BYTES
            && self.bias.iter().all(|w| w.is_finite())
            && all_finite(&self.weights)
    }
}

/// Whether every little-endian `f32` in `bytes` is finite: its exponent bits not all set.
/// Written over the bits without stopping early so the compiler vectorises it: this runs
/// over the 4 MB table at every start.
fn all_finite(bytes: &[u8]) -> bool {
    const EXPONENT: u32 = 0x7f80_0000;
    let not_finite = bytes.chunks_exact(F32_BYTES).fold(0u32, |found, b| {
        found | u32::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) & EXPONENT == EXPONENT)
    });
    not_finite == 0
}

/// Turns scores into probabilities in place, stably.
pub fn softmax(values: &mut [f32]) {
    let max = values.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in values.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    for v in values.iter_mut() {
        *v /= sum;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_hot(i: u32) -> Features {
        Features {
            indices: vec![i, 7],
            values: vec![1.0, 1.0],
            ..Features::default()
        }
    }

    #[test]
    fn learns_a_separable_problem() {
        let examples: Vec<Features> = (0..60).map(|i| one_hot(i % 3)).collect();
        let targets: Vec<usize> = (0..60).map(|i| i % 3).collect();
        let model = SoftmaxParams::default()
            .fit(&examples, &targets, 3, 16)
            .unwrap();
        let mut p = vec![0.0; 3];
        for label in 0..3 {
            model.probabilities_into(&one_hot(label as u32), &mut p);
            let best = (0..3).max_by(|a, b| p[*a].total_cmp(&p[*b])).unwrap();
            assert_eq!(best, label, "{p:?}");
            assert!(p[label] > 0.8, "{p:?}");
            assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        }
    }

    #[test]
    fn all_finite_finds_every_kind_of_non_finite_weight() {
        let bytes = |w: &[f32]| w.iter().flat_map(|w| w.to_le_bytes()).collect::<Vec<u8>>();
        assert!(all_finite(&bytes(&[
            0.0,
            -0.0,
            f32::MAX,
            f32::MIN,
            f32::MIN_POSITIVE,
            1e-45
        ])));
        for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, -f32::NAN] {
            let mut weights = vec![1.0f32; 37];
            weights[29] = bad;
            assert!(!all_finite(&bytes(&weights)), "{bad}");
        }
    }

    #[test]
    fn weights_survive_the_model_file_bit_for_bit_and_a_cut_run_is_refused() {
        let floats = [0.5, -1.25, f32::MIN_POSITIVE, 3.0e-7, -0.0, 1.0e30];
        let model = SoftmaxRegression::from_floats(2, &floats, vec![0.1, -0.1]);
        let bytes = postcard::to_allocvec(&model).unwrap();
        let back: SoftmaxRegression = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, model);
        let bits = |m: &SoftmaxRegression| m.weights().map(|w| w.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back), floats.map(f32::to_bits));
        assert_eq!(back.feature_weights(1), [f32::MIN_POSITIVE, 3.0e-7]);
        // Bytes from anywhere but the built-in model are copied, not borrowed.
        assert!(matches!(back.weights, Cow::Owned(_)));
        // The weights are 24 bytes after n_labels (one byte) and their length (one byte).
        assert_eq!(bytes[1], 24);
        let mut cut = bytes.clone();
        cut[1] = 23;
        assert!(postcard::from_bytes::<SoftmaxRegression>(&cut).is_err());
    }

    /// Stochastic gradient descent written plainly over the whole hashed table, as the
    /// text stage was trained before it learned on the used features only.
    fn fit_on_the_whole_table(
        params: &SoftmaxParams,
        examples: &[Features],
        targets: &[usize],
        n_labels: usize,
        dimensions: usize,
    ) -> SoftmaxRegression {
        let mut table = vec![0.0f32; dimensions * n_labels];
        let mut bias = vec![0.0f32; n_labels];
        let weights = params.class_weights(targets, n_labels);
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut rng = rand::rngs::StdRng::seed_from_u64(params.seed);
        let total = (params.epochs * examples.len()) as f32;
        let mut step = 0f32;
        let mut probs = vec![0.0f32; n_labels];
        for _ in 0..params.epochs {
            order.shuffle(&mut rng);
            for &i in &order {
                let rate = params.learning_rate * (1.0 - step / total).max(1e-4);
                step += 1.0;
                let x = &examples[i];
                probs.copy_from_slice(&bias);
                for (&j, &v) in x.indices.iter().zip(&x.values) {
                    for (p, w) in probs.iter_mut().zip(&table[j as usize * n_labels..]) {
                        *p += w * v;
                    }
                }
                softmax(&mut probs);
                for (k, p) in probs.iter_mut().enumerate() {
                    let y = if k == targets[i] { 1.0 } else { 0.0 };
                    *p = (*p - y) * weights[targets[i]] * rate;
                }
                for (k, g) in probs.iter().enumerate() {
                    bias[k] -= g;
                }
                let shrink = 1.0 - rate * params.l2;
                for (&j, &v) in x.indices.iter().zip(&x.values) {
                    let row = &mut table[j as usize * n_labels..][..n_labels];
                    for (w, g) in row.iter_mut().zip(&probs) {
                        *w = *w * shrink - g * v;
                    }
                }
            }
        }
        SoftmaxRegression::from_floats(n_labels, &table, bias)
    }

    #[test]
    fn training_on_the_used_features_gives_the_whole_tables_weights_bit_for_bit() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let dimensions = 1 << 12;
        // Sparse examples with repeated indices, a few features shared by many examples
        // and most features never used, for the label counts with a fixed-length loop
        // and one without.
        for n_labels in [2, 4, 5] {
            let examples: Vec<Features> = (0..300)
                .map(|_| {
                    let n = rand::Rng::gen_range(&mut rng, 1..30);
                    let indices: Vec<u32> = (0..n)
                        .map(|k| {
                            if k % 3 == 0 {
                                rand::Rng::gen_range(&mut rng, 0..8)
                            } else {
                                rand::Rng::gen_range(&mut rng, 0..dimensions as u32 / 2)
                            }
                        })
                        .collect();
                    let values = (0..n)
                        .map(|_| rand::Rng::gen_range(&mut rng, 0.1..1.0))
                        .collect();
                    Features {
                        indices,
                        values,
                        ..Features::default()
                    }
                })
                .collect();
            let targets: Vec<usize> = (0..300)
                .map(|_| rand::Rng::gen_range(&mut rng, 0..n_labels))
                .collect();
            let params = SoftmaxParams::default().epochs(3);
            let ours = params
                .fit(&examples, &targets, n_labels, dimensions)
                .unwrap();
            let plain = fit_on_the_whole_table(&params, &examples, &targets, n_labels, dimensions);
            let bits = |m: &SoftmaxRegression| {
                m.weights()
                    .chain(m.bias.iter().copied())
                    .map(|w| w.to_bits())
                    .collect::<Vec<_>>()
            };
            assert!(ours.weights().any(|w| w != 0.0));
            assert_eq!(bits(&ours), bits(&plain), "{n_labels} labels");
        }
    }

    #[test]
    fn an_index_outside_the_space_is_an_error_not_a_panic() {
        let examples = vec![one_hot(3), one_hot(40)];
        let error = SoftmaxParams::default()
            .fit(&examples, &[0, 1], 2, 16)
            .unwrap_err();
        assert!(error.to_string().contains("feature index 40"), "{error}");
    }

    #[test]
    fn same_seed_same_model() {
        let examples: Vec<Features> = (0..30).map(|i| one_hot(i % 2)).collect();
        let targets: Vec<usize> = (0..30).map(|i| i % 2).collect();
        let a = SoftmaxParams::default()
            .fit(&examples, &targets, 2, 8)
            .unwrap();
        let b = SoftmaxParams::default()
            .fit(&examples, &targets, 2, 8)
            .unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn bad_settings_are_refused() {
        assert!(SoftmaxParams::default().epochs(0).check().is_err());
        assert!(SoftmaxParams::default().learning_rate(0.0).check().is_err());
        assert!(SoftmaxParams::default()
            .learning_rate(f32::NAN)
            .check()
            .is_err());
        assert!(SoftmaxParams::default().l2(2.0).check().is_err());
        let none: &[Features] = &[];
        assert!(SoftmaxParams::default().fit(none, &[], 2, 4).is_err());
    }

    #[test]
    fn balanced_weights_favour_rare_classes() {
        let params = SoftmaxParams::default().class_weight(ClassWeight::Balanced);
        let w = params.class_weights(&[0, 0, 0, 1], 2);
        assert!(w[1] > w[0]);
        let mean = (3.0 * w[0] + w[1]) / 4.0;
        assert!((mean - 1.0).abs() < 1e-5);
    }

    #[test]
    fn softmax_is_stable_for_large_scores() {
        let mut v = [1000.0, 1000.0];
        softmax(&mut v);
        assert!((v[0] - 0.5).abs() < 1e-6);
    }
}
