//! The context stage: reads the article, not the paragraph. For each paragraph it sees the
//! text stage's label probabilities for the paragraph and its neighbours (two before, two
//! after), the article's average, the paragraph's place and length in the article, whether
//! it sits in a run of short lines, whether it echoes another paragraph of the article (a
//! caption repeating a body sentence), whether it is shorter than both neighbours while they
//! agree (a caption between body paragraphs), how often its text recurs inside the article
//! (a gallery's title or credit on every slide) and how often it repeats across other
//! articles.
//!
//! These are about forty dense features, which is where linfa fits: the stage is linfa's
//! multinomial logistic regression, fitted on out-of-fold text-stage outputs (see
//! `crate::learn::train`) so it learns how much to trust scores the text stage has not seen
//! during its own training. The fitted weights are copied into [`ContextStage`], so model
//! files do not depend on linfa's internal layout.

use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::repetition::Repeats;
use crate::model::text_stage::softmax;
use crate::text::fingerprint::Fingerprint;

/// Paragraphs shorter than this many words count as short lines.
const SHORT_WORDS: usize = 8;

/// Which context signals a stage uses; stored with the stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextSettings {
    /// Use the cross-article repetition counts.
    pub repetition: bool,
}

impl Default for ContextSettings {
    fn default() -> Self {
        ContextSettings { repetition: true }
    }
}

/// Number of dense context features for `k` labels.
pub fn dimensions(k: usize) -> usize {
    6 * k + 21
}

/// For each paragraph, how many other paragraphs of the same article have the same
/// normalised text (`exact`) or a near-duplicate of it (`near`, digits folded: "Photo 3 of
/// 40" meets "Photo 4 of 40"): a gallery's title, date line or credit on every slide.
pub fn within_article(prints: &[Fingerprint]) -> Vec<Repeats> {
    let count = |key: fn(&Fingerprint) -> u64| {
        let mut sorted: Vec<u64> = prints.iter().map(key).collect();
        sorted.sort_unstable();
        prints
            .iter()
            .map(move |p| {
                let k = key(p);
                let equal =
                    sorted.partition_point(|&x| x <= k) - sorted.partition_point(|&x| x < k);
                equal as u32 - 1
            })
            .collect::<Vec<u32>>()
    };
    let exact = count(|p| p.keys[0]);
    let near = count(|p| p.keys[1]);
    exact
        .into_iter()
        .zip(near)
        .map(|(exact, near)| Repeats { exact, near })
        .collect()
}

/// The dense context features of every paragraph of one article.
///
/// `probabilities[i]` are the text stage's probabilities of paragraph `i`, `words[i]` its
/// length in words ([`crate::text::shape::Shape::words`]), `echo[i]` its [`echoes`] score,
/// `within[i]` its [`within_article`] counts and `repeats[i]` its cross-article counts.
pub fn article_features(
    probabilities: &[Vec<f32>],
    words: &[usize],
    echo: &[f32],
    within: &[Repeats],
    repeats: &[Repeats],
    settings: ContextSettings,
) -> Vec<Vec<f32>> {
    let mut rows = Vec::with_capacity(probabilities.len());
    for_each_row(
        probabilities,
        words,
        echo,
        within,
        repeats,
        settings,
        |_, row| rows.push(row.to_vec()),
    );
    rows
}

/// Like [`article_features`], but hands each row to `each(i, row)` from one reused buffer
/// (the tagging path: no allocation per paragraph).
pub fn for_each_row(
    probabilities: &[Vec<f32>],
    words: &[usize],
    echo: &[f32],
    within: &[Repeats],
    repeats: &[Repeats],
    settings: ContextSettings,
    mut each: impl FnMut(usize, &[f32]),
) {
    let n = probabilities.len();
    if n == 0 {
        return;
    }
    let k = probabilities[0].len();
    let mut sorted = words.to_vec();
    sorted.sort_unstable();
    let median = sorted[n / 2] as f32;
    let mut mean = vec![0f32; k];
    for p in probabilities {
        for (m, v) in mean.iter_mut().zip(p) {
            *m += v / n as f32;
        }
    }
    // Length of the run of consecutive short paragraphs each paragraph belongs to.
    let mut run = vec![0usize; n];
    let mut start = 0;
    while start < n {
        let mut end = start;
        while end < n && words[end] < SHORT_WORDS {
            end += 1;
        }
        for r in run.iter_mut().take(end).skip(start) {
            *r = end - start;
        }
        start = end.max(start + 1);
    }
    let log = |x: f32| (1.0 + x).ln();
    // Probabilities, not log-probabilities: log scores transferred worse to unseen sites
    // (docs/decisions.md, "Context stage").
    let mut f = Vec::with_capacity(dimensions(k));
    for i in 0..n {
        {
            f.clear();
            f.extend_from_slice(&probabilities[i]);
            for offset in [-2isize, -1, 1, 2] {
                let j = i as isize + offset;
                if (0..n as isize).contains(&j) {
                    f.extend_from_slice(&probabilities[j as usize]);
                } else {
                    f.extend(std::iter::repeat_n(0.0, k));
                }
            }
            f.extend_from_slice(&mean);
            for offset in [-2isize, -1, 1, 2] {
                let j = i as isize + offset;
                f.push(if (0..n as isize).contains(&j) {
                    1.0
                } else {
                    0.0
                });
            }
            f.push(if n > 1 {
                i as f32 / (n - 1) as f32
            } else {
                0.0
            });
            f.push((i == 0) as u8 as f32);
            f.push((i == n - 1) as u8 as f32);
            f.push(log(n as f32) / 5.0);
            f.push(log(words[i] as f32) / 5.0);
            f.push((log(words[i] as f32) - log(median)) / 3.0);
            f.push((words[i] < SHORT_WORDS) as u8 as f32);
            f.push(log(run[i] as f32) / 3.0);
            f.push(echo[i]);
            // A paragraph well shorter than both neighbours, and how alike the neighbours
            // read: a caption between two body paragraphs (issue 17: captions missed on
            // held-back sites sat between body paragraphs with no credit to give them away).
            let (agree, dip) = if i > 0 && i + 1 < n {
                let agree: f32 = probabilities[i - 1]
                    .iter()
                    .zip(&probabilities[i + 1])
                    .map(|(a, b)| a * b)
                    .sum();
                (
                    agree,
                    (2 * words[i] < words[i - 1].min(words[i + 1])) as u8 as f32,
                )
            } else {
                (0.0, 0.0)
            };
            f.push(agree);
            f.push(dip);
            f.push(dip * agree);
            f.push(log(within[i].exact as f32) / 2.0);
            f.push(log(within[i].near as f32) / 2.0);
            let (exact, near) = if settings.repetition {
                (repeats[i].exact as f32, repeats[i].near as f32)
            } else {
                (0.0, 0.0)
            };
            f.push(log(exact) / 3.0);
            f.push(log(near) / 3.0);
            f.push((exact > 0.0) as u8 as f32);
            debug_assert_eq!(f.len(), dimensions(k));
        }
        each(i, &f);
    }
}

/// The name of each dense context feature, in the order [`for_each_row`] writes them, for
/// the model's labels `labels`: `p(reporting)` (the paragraph's own text-stage
/// probability), `prev2:`/`prev1:`/`next1:`/`next2:p(label)` (its neighbours'),
/// `article:p(label)` (the article's mean), `has_prev2`..`has_next2`, `position`, `first`,
/// `last`, `article_length`, `words`, `words_vs_median`, `short`, `short_run`, `echo`,
/// `neighbours_agree`, `dip`, `dip_between_alike`, `same_in_article`, `near_in_article`,
/// `repeats_exact`, `repeats_near`, `repeated`.
pub fn feature_names(labels: &[String]) -> Vec<String> {
    let mut names = Vec::with_capacity(dimensions(labels.len()));
    for prefix in ["", "prev2:", "prev1:", "next1:", "next2:", "article:"] {
        names.extend(labels.iter().map(|l| format!("{prefix}p({l})")));
    }
    let k = labels.len();
    names.extend(
        [
            "has_prev2",
            "has_prev1",
            "has_next1",
            "has_next2",
            "position",
            "first",
            "last",
            "article_length",
            "words",
            "words_vs_median",
            "short",
            "short_run",
            "echo",
            "neighbours_agree",
            "dip",
            "dip_between_alike",
            "same_in_article",
            "near_in_article",
            "repeats_exact",
            "repeats_near",
            "repeated",
        ]
        .map(String::from),
    );
    debug_assert_eq!(names.len(), dimensions(k));
    names
}

/// For each paragraph, the share of its word pairs that also occur in another paragraph of
/// the same article: near 1 for a caption that repeats a body sentence. `word_hashes[i]`
/// are paragraph `i`'s word hashes in order ([`crate::text::features::Features::word_hashes`]).
pub fn echoes(word_hashes: &[&[u64]]) -> Vec<f32> {
    // An open-addressing table of the article's word pairs (pair hashes are already well
    // mixed, so they index the table directly). Sorting the pairs instead made this the
    // largest cost of the context stage. Each entry remembers the last paragraph that saw
    // the pair (to count each pair once per paragraph) and how many paragraphs hold it.
    #[derive(Clone, Copy)]
    struct Entry {
        key: u64,
        last: u32,
        paragraphs: u32,
    }
    const EMPTY: u32 = u32::MAX;
    let total: usize = word_hashes.iter().map(|h| h.len().saturating_sub(1)).sum();
    let size = (2 * total).next_power_of_two().max(16);
    let mask = size - 1;
    let mut table = vec![
        Entry {
            key: 0,
            last: EMPTY,
            paragraphs: 0,
        };
        size
    ];
    let pair = |w: &[u64]| w[0].rotate_left(17) ^ w[1].wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let slot_of = |table: &[Entry], key: u64| {
        let mut slot = (key >> 32) as usize & mask;
        while table[slot].last != EMPTY && table[slot].key != key {
            slot = (slot + 1) & mask;
        }
        slot
    };
    // The table slots of each paragraph's distinct pairs, paragraph after paragraph.
    let mut slots: Vec<u32> = Vec::with_capacity(total);
    let mut ends = Vec::with_capacity(word_hashes.len());
    for (i, hashes) in word_hashes.iter().enumerate() {
        for w in hashes.windows(2) {
            let key = pair(w);
            let slot = slot_of(&table, key);
            let entry = &mut table[slot];
            if entry.last == EMPTY {
                *entry = Entry {
                    key,
                    last: i as u32,
                    paragraphs: 1,
                };
                slots.push(slot as u32);
            } else if entry.last != i as u32 {
                entry.last = i as u32;
                entry.paragraphs += 1;
                slots.push(slot as u32);
            }
        }
        ends.push(slots.len());
    }
    let mut start = 0;
    ends.iter()
        .map(|&end| {
            let own = &slots[start..end];
            start = end;
            if own.len() < 3 {
                return 0.0;
            }
            let shared = own
                .iter()
                .filter(|&&s| table[s as usize].paragraphs > 1)
                .count();
            shared as f32 / own.len() as f32
        })
        .collect()
}

/// Most rows the context stage is fitted on (see [`ContextParams::fit`]).
pub const MAX_FIT_ROWS: usize = 10_000;

/// Checked hyperparameters of the context stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContextParams {
    pub(crate) folds: usize,
    /// L2 penalty of the logistic regression per training row: the penalty grows with the
    /// data, so one setting suits a 2,000-row fold and a 50,000-row corpus (0.02; see
    /// docs/decisions.md).
    l2_per_row: f64,
    /// Iteration cap of the L-BFGS fit.
    max_iterations: u64,
    pub(crate) settings: ContextSettings,
}

impl Default for ContextParams {
    fn default() -> Self {
        ContextParams {
            folds: 5,
            l2_per_row: 0.02,
            max_iterations: 300,
            settings: ContextSettings::default(),
        }
    }
}

impl ContextParams {
    /// Folds for the out-of-fold text-stage scores the stage learns from (2 to 20).
    pub fn folds(mut self, folds: usize) -> Self {
        self.folds = folds;
        self
    }
    /// Use cross-article repetition counts or not.
    pub fn repetition(mut self, on: bool) -> Self {
        self.settings.repetition = on;
        self
    }

    /// The settings as `name=value` pairs, for the model's training record.
    pub fn describe(&self) -> Vec<(&'static str, String)> {
        vec![
            ("context", "on".to_string()),
            ("context_folds", self.folds.to_string()),
            ("context_l2_per_row", self.l2_per_row.to_string()),
            ("context_max_iterations", self.max_iterations.to_string()),
            ("repetition", self.settings.repetition.to_string()),
        ]
    }

    /// Refuses settings that cannot train.
    pub fn check(&self) -> Result<()> {
        if !(2..=20).contains(&self.folds) {
            return Err(Error::Usage(format!(
                "context folds must be between 2 and 20, got {}",
                self.folds
            )));
        }
        if !(self.l2_per_row >= 0.0 && self.l2_per_row.is_finite()) {
            return Err(Error::Usage(format!(
                "context l2 must be 0 or more, got {}",
                self.l2_per_row
            )));
        }
        if self.max_iterations == 0 {
            return Err(Error::Usage("context iterations must be at least 1".into()));
        }
        Ok(())
    }

    /// Fits the stage on dense `rows` with label indices `targets` (of `n_labels`).
    pub fn fit(
        &self,
        rows: &[Vec<f32>],
        targets: &[usize],
        n_labels: usize,
    ) -> Result<ContextStage> {
        self.check()?;
        let d = rows.first().map_or(0, Vec::len);
        if rows.is_empty() || d == 0 {
            return Err(Error::Data("no rows to fit the context stage on".into()));
        }
        // The stage has a few hundred weights; beyond MAX_FIT_ROWS rows its fit changes
        // little and its time grows faster than the rows (docs/decisions.md). A fixed,
        // evenly spaced sample keeps training reproducible.
        let max_rows = MAX_FIT_ROWS;
        let (rows, targets) = if rows.len() > max_rows {
            let step = rows.len() as f64 / max_rows as f64;
            let pick: Vec<usize> = (0..max_rows).map(|i| (i as f64 * step) as usize).collect();
            (
                pick.iter().map(|&i| rows[i].clone()).collect::<Vec<_>>(),
                pick.iter().map(|&i| targets[i]).collect::<Vec<_>>(),
            )
        } else {
            (rows.to_vec(), targets.to_vec())
        };
        let (rows, targets) = (&rows[..], &targets[..]);
        // No class reweighting here: repeating rare labels' rows over-predicted captions
        // (docs/decisions.md); the text stage's weighting already carries it.
        let n = rows.len();
        let mut mean = vec![0f64; d];
        let mut scale = vec![0f64; d];
        for r in rows {
            for (m, v) in mean.iter_mut().zip(r) {
                *m += *v as f64 / n as f64;
            }
        }
        for r in rows {
            for ((s, v), m) in scale.iter_mut().zip(r).zip(&mean) {
                *s += (*v as f64 - m).powi(2) / n as f64;
            }
        }
        let scale: Vec<f64> = scale
            .iter()
            .map(|v| if *v > 1e-12 { v.sqrt() } else { 1.0 })
            .collect();
        let records =
            Array2::from_shape_fn((n, d), |(i, j)| (rows[i][j] as f64 - mean[j]) / scale[j]);
        let dataset = Dataset::new(records, Array1::from(targets.to_vec()));
        let fitted = MultiLogisticRegression::default()
            .alpha(self.l2_per_row * n as f64)
            .max_iterations(self.max_iterations)
            .fit(&dataset)
            .map_err(|e| Error::Data(format!("the context stage did not fit: {e}")))?;
        // linfa orders its columns by the classes it saw; missing labels get no chance.
        let mut weights = vec![0f32; d * n_labels];
        let mut bias = vec![-30f32; n_labels];
        for (column, &label) in fitted.classes().iter().enumerate() {
            bias[label] = fitted.intercept()[column] as f32;
            for j in 0..d {
                weights[j * n_labels + label] = fitted.params()[(j, column)] as f32;
            }
        }
        Ok(ContextStage {
            settings: self.settings,
            mean: mean.iter().map(|m| *m as f32).collect(),
            scale: scale.iter().map(|s| *s as f32).collect(),
            weights,
            bias,
        })
    }
}

/// A fitted context stage: standardisation and multinomial logistic weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContextStage {
    pub settings: ContextSettings,
    mean: Vec<f32>,
    scale: Vec<f32>,
    /// Feature-major: `weights[j * n_labels + k]`.
    weights: Vec<f32>,
    bias: Vec<f32>,
}

impl ContextStage {
    /// Scores one row without folding (the reference the folded [`ContextScorer`] is
    /// checked against; tagging uses the scorer).
    #[cfg(test)]
    fn probabilities_into(&self, row: &[f32], out: &mut [f32]) {
        let k = self.bias.len();
        out.copy_from_slice(&self.bias);
        for (j, v) in row.iter().enumerate() {
            let z = (v - self.mean[j]) / self.scale[j];
            for (o, w) in out.iter_mut().zip(&self.weights[j * k..(j + 1) * k]) {
                *o += w * z;
            }
        }
        softmax(out);
    }

    /// The stage with standardisation folded into its weights, for tagging.
    pub fn scorer(&self) -> ContextScorer {
        let k = self.bias.len();
        let d = self.mean.len();
        // Label-major: each label's weights are contiguous, so scoring is k dot products
        // the compiler vectorises.
        let mut weights = vec![0f32; d * k];
        let mut bias = self.bias.clone();
        for j in 0..d {
            for l in 0..k {
                let w = self.weights[j * k + l] / self.scale[j];
                weights[l * d + j] = w;
                bias[l] -= w * self.mean[j];
            }
        }
        ContextScorer {
            weights,
            bias,
            mean: self.mean.clone(),
        }
    }

    /// Checks shapes after loading a file.
    pub fn is_consistent(&self, n_labels: usize) -> bool {
        let d = dimensions(n_labels);
        self.bias.len() == n_labels
            && self.mean.len() == d
            && self.scale.len() == d
            && self.weights.len() == d * n_labels
            && self
                .weights
                .iter()
                .chain(&self.bias)
                .chain(&self.mean)
                .chain(&self.scale)
                .all(|v| v.is_finite())
            && self.scale.iter().all(|s| *s > 0.0)
    }
}

/// A [`ContextStage`] ready to score: `z = (x - mean) / scale` folded into the weights and
/// bias, so scoring a row is one multiply-add per weight.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextScorer {
    weights: Vec<f32>,
    bias: Vec<f32>,
    /// The training rows' mean of each feature (only explanations read it).
    mean: Vec<f32>,
}

impl ContextScorer {
    /// How much each feature of `row` moved label `label`'s score against the mean of the
    /// other labels' scores, measured from the training rows' average (the standardised
    /// weight times the standardised value): the context stage's explanation. Features
    /// at their training average contribute nothing.
    pub fn contributions(&self, row: &[f32], label: usize) -> Vec<f32> {
        let d = row.len();
        let k = self.bias.len();
        (0..d)
            .map(|j| {
                let own = self.weights[label * d + j];
                let others = if k > 1 {
                    (0..k)
                        .filter(|&l| l != label)
                        .map(|l| self.weights[l * d + j])
                        .sum::<f32>()
                        / (k - 1) as f32
                } else {
                    0.0
                };
                (own - others) * (row[j] - self.mean[j])
            })
            .collect()
    }

    /// The bias of `label` against the mean of the other labels' biases, with the features
    /// measured from their training average (the counterpart of [`Self::contributions`]:
    /// the two add up to the label's score against the others').
    pub fn centred_bias(&self, label: usize) -> f32 {
        let d = self.mean.len();
        let bias: Vec<f32> = self
            .bias
            .iter()
            .zip(self.weights.chunks_exact(d))
            .map(|(b, w)| b + w.iter().zip(&self.mean).map(|(w, m)| w * m).sum::<f32>())
            .collect();
        crate::model::explain::against_the_others(&bias, label)
    }

    /// Writes the label probabilities for one row of context features into `out`.
    pub fn probabilities_into(&self, row: &[f32], out: &mut [f32]) {
        let d = row.len();
        for ((o, b), weights) in out
            .iter_mut()
            .zip(&self.bias)
            .zip(self.weights.chunks_exact(d))
        {
            *o = b + weights.iter().zip(row).map(|(w, v)| w * v).sum::<f32>();
        }
        softmax(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::shape::Shape;

    fn hashes(text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        crate::text::features::for_each_word(text, |token, hash| {
            if token.chars().next().is_some_and(char::is_alphanumeric) {
                out.push(hash);
            }
        });
        out
    }

    #[test]
    fn features_have_the_documented_size_and_see_neighbours() {
        let texts = [
            "Headline here",
            "A long body paragraph with many words in it for sure.",
            "Photo: A/B",
        ];
        let probs = vec![vec![0.1, 0.9], vec![0.8, 0.2], vec![0.3, 0.7]];
        let repeats = vec![Repeats::default(); 3];
        let words: Vec<usize> = texts.iter().map(|t| Shape::of(t).words).collect();
        let rows = article_features(
            &probs,
            &words,
            &[0.0; 3],
            &repeats,
            &repeats,
            ContextSettings::default(),
        );
        assert_eq!(rows.len(), 3);
        assert!(rows.iter().all(|r| r.len() == dimensions(2)));
        // Paragraph 1's "previous" block holds paragraph 0's probabilities.
        assert_eq!(&rows[1][4..6], &[0.1, 0.9]);
        // Paragraph 0 has no previous paragraph: zeros.
        assert_eq!(&rows[0][2..6], &[0.0; 4]);
    }

    #[test]
    fn every_context_feature_has_a_name_in_row_order() {
        let labels = ["reporting".to_string(), "boilerplate".to_string()];
        let names = feature_names(&labels);
        assert_eq!(names.len(), dimensions(2));
        let unique: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
        let probs = vec![vec![0.1, 0.9], vec![0.8, 0.2], vec![0.3, 0.7]];
        let repeats = vec![Repeats { exact: 4, near: 0 }; 3];
        let within = [
            Repeats::default(),
            Repeats { exact: 0, near: 2 },
            Repeats::default(),
        ];
        let rows = article_features(
            &probs,
            &[3, 20, 2],
            &[0.0, 0.0, 0.75],
            &within,
            &repeats,
            ContextSettings::default(),
        );
        let at = |name: &str| names.iter().position(|n| n == name).unwrap();
        assert_eq!(rows[1][at("prev1:p(boilerplate)")], 0.9);
        assert_eq!(rows[1][at("next1:p(reporting)")], 0.3);
        assert_eq!(rows[0][at("p(reporting)")], 0.1);
        assert!((rows[0][at("article:p(reporting)")] - 0.4).abs() < 1e-6);
        assert_eq!(rows[1][at("has_prev2")], 0.0);
        assert_eq!(rows[1][at("has_prev1")], 1.0);
        assert_eq!(rows[1][at("position")], 0.5);
        assert_eq!(rows[2][at("last")], 1.0);
        assert_eq!(rows[2][at("echo")], 0.75);
        assert_eq!(rows[0][at("short")], 1.0);
        assert_eq!(rows[0][at("repeated")], 1.0);
        // Paragraph 2 is the last: no neighbours to sit between.
        assert_eq!(rows[2][at("dip")], 0.0);
        assert_eq!(rows[1][at("dip")], 0.0);
        assert!((rows[1][at("neighbours_agree")] - (0.1 * 0.3 + 0.9 * 0.7)).abs() < 1e-6);
        assert!((rows[1][at("near_in_article")] - 3f32.ln() / 2.0).abs() < 1e-6);
        assert_eq!(rows[1][at("same_in_article")], 0.0);
    }

    #[test]
    fn a_short_line_between_alike_paragraphs_dips() {
        let probs = vec![vec![0.9, 0.1], vec![0.5, 0.5], vec![0.8, 0.2]];
        let none = vec![Repeats::default(); 3];
        let names = feature_names(&["reporting".to_string(), "boilerplate".to_string()]);
        let at = |name: &str| names.iter().position(|n| n == name).unwrap();
        let rows = |words: [usize; 3]| {
            article_features(
                &probs,
                &words,
                &[0.0; 3],
                &none,
                &none,
                ContextSettings::default(),
            )
        };
        let dips = rows([40, 12, 30]);
        assert_eq!(dips[1][at("dip")], 1.0);
        assert!((dips[1][at("dip_between_alike")] - (0.72 + 0.02)).abs() < 1e-6);
        // Not shorter than half the shorter neighbour: no dip.
        let rows = rows([40, 16, 30]);
        assert_eq!(rows[1][at("dip")], 0.0);
    }

    #[test]
    fn a_gallery_title_on_every_slide_recurs_within_the_article() {
        use crate::text::features::fingerprint;
        let prints: Vec<_> = [
            "Scenes from the harvest festival",
            "Photo 1 of 3",
            "Farmers carry baskets of apples to the square.",
            "Scenes from the harvest festival",
            "Photo 2 of 3",
            "Scenes from the harvest festival",
        ]
        .iter()
        .map(|t| fingerprint(t))
        .collect();
        let within = within_article(&prints);
        assert_eq!(within[0], Repeats { exact: 2, near: 2 });
        // The counters differ in a digit: near-duplicates, not the same text.
        assert_eq!(within[1], Repeats { exact: 0, near: 1 });
        assert_eq!(within[2], Repeats::default());
    }

    #[test]
    fn a_caption_repeating_a_body_sentence_echoes() {
        let texts = [
            "The mayor opened the new bridge on Tuesday morning in front of a large crowd.",
            "The mayor opened the new bridge on Tuesday morning.",
            "Rain is forecast.",
        ];
        let h: Vec<Vec<u64>> = texts.iter().map(|t| hashes(t)).collect();
        let refs: Vec<&[u64]> = h.iter().map(Vec::as_slice).collect();
        let e = echoes(&refs);
        assert!(e[1] > 0.99, "{e:?}");
        assert_eq!(e[2], 0.0);
        // A pair repeated inside one paragraph is not an echo.
        let lone = hashes("the cat sat the cat sat the cat sat");
        assert_eq!(echoes(&[&lone]), [0.0]);
        // Half of a paragraph's pairs shared: 0.5.
        let a = hashes("one two three four five");
        let b = hashes("one two three zebra yak");
        let e = echoes(&[&a, &b]);
        assert!(
            (e[0] - 0.5).abs() < 1e-6 && (e[1] - 0.5).abs() < 1e-6,
            "{e:?}"
        );
    }

    #[test]
    fn repetition_can_be_switched_off() {
        let probs = vec![vec![0.5, 0.5]];
        let repeats = vec![Repeats { exact: 9, near: 9 }];
        let on = article_features(
            &probs,
            &[1],
            &[0.0],
            &[Repeats::default()],
            &repeats,
            ContextSettings { repetition: true },
        );
        let off = article_features(
            &probs,
            &[1],
            &[0.0],
            &[Repeats::default()],
            &repeats,
            ContextSettings { repetition: false },
        );
        assert_ne!(on, off);
        assert_eq!(off[0][dimensions(2) - 1], 0.0);
    }

    #[test]
    fn learns_to_follow_the_neighbours() {
        // Label is 1 exactly when the previous paragraph looks like label 1.
        let mut rows = Vec::new();
        let mut targets = Vec::new();
        for i in 0..200 {
            let prev = (i % 2) as f32;
            let mut r = vec![0.5f32; dimensions(2)];
            r[2] = 1.0 - prev;
            r[3] = prev;
            r[0] = 0.3 * (i % 7) as f32;
            rows.push(r);
            targets.push(i % 2);
        }
        let stage = ContextParams::default().fit(&rows, &targets, 2).unwrap();
        assert!(stage.is_consistent(2));
        let mut out = [0.0; 2];
        stage.probabilities_into(&rows[1], &mut out);
        assert!(out[1] > 0.9, "{out:?}");
        let mut folded = [0.0; 2];
        stage.scorer().probabilities_into(&rows[1], &mut folded);
        assert!((out[0] - folded[0]).abs() < 1e-4, "{out:?} {folded:?}");
    }

    #[test]
    fn bad_settings_are_refused() {
        assert!(ContextParams::default().folds(1).check().is_err());
        let bad_l2 = ContextParams {
            l2_per_row: -1.0,
            ..ContextParams::default()
        };
        assert!(bad_l2.check().is_err());
        let no_iterations = ContextParams {
            max_iterations: 0,
            ..ContextParams::default()
        };
        assert!(no_iterations.check().is_err());
    }
}
