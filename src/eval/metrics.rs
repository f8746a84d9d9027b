//! Classification scores from a confusion matrix: per-label precision, recall, F1 and
//! support, macro and weighted F1, accuracy, and one label's F1 against the rest.
//!
//! Conventions (as scikit-learn's with `zero_division=0`): a ratio with a zero denominator
//! is 0; macro and weighted averages run over the labels that occur in the truth or in the
//! predictions, so a label the model knows but the data never mentions does not drag the
//! average down.

use serde::{Deserialize, Serialize};

/// Counts of (true label, predicted label) pairs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confusion {
    /// `counts[truth][predicted]`.
    pub counts: Vec<Vec<usize>>,
}

/// Scores of one label.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LabelScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Rows whose true label this is.
    pub support: usize,
    /// Rows predicted as this label.
    pub predicted: usize,
}

impl Confusion {
    /// An empty matrix for `n` labels.
    pub fn new(n: usize) -> Self {
        Confusion {
            counts: vec![vec![0; n]; n],
        }
    }

    /// Counts one row.
    pub fn add(&mut self, truth: usize, predicted: usize) {
        self.counts[truth][predicted] += 1;
    }

    /// Number of labels.
    pub fn n_labels(&self) -> usize {
        self.counts.len()
    }

    /// Rows counted.
    pub fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }

    /// Scores of label `k`.
    pub fn label(&self, k: usize) -> LabelScores {
        let tp = self.counts[k][k];
        let support: usize = self.counts[k].iter().sum();
        let predicted: usize = self.counts.iter().map(|row| row[k]).sum();
        let precision = ratio(tp, predicted);
        let recall = ratio(tp, support);
        LabelScores {
            precision,
            recall,
            f1: f1(precision, recall),
            support,
            predicted,
        }
    }

    /// Labels that occur in the truth or in the predictions.
    fn active(&self) -> Vec<usize> {
        (0..self.n_labels())
            .filter(|&k| {
                let s = self.label(k);
                s.support > 0 || s.predicted > 0
            })
            .collect()
    }

    /// Unweighted mean of the active labels' F1.
    pub fn macro_f1(&self) -> f64 {
        let active = self.active();
        if active.is_empty() {
            return 0.0;
        }
        active.iter().map(|&k| self.label(k).f1).sum::<f64>() / active.len() as f64
    }

    /// Mean of the labels' F1 weighted by support.
    pub fn weighted_f1(&self) -> f64 {
        let total = self.total();
        if total == 0 {
            return 0.0;
        }
        (0..self.n_labels())
            .map(|k| {
                let s = self.label(k);
                s.f1 * s.support as f64
            })
            .sum::<f64>()
            / total as f64
    }

    /// Share of rows predicted right.
    pub fn accuracy(&self) -> f64 {
        ratio(
            (0..self.n_labels()).map(|k| self.counts[k][k]).sum(),
            self.total(),
        )
    }

    /// F1 of label `positive` when every other label is folded into "rest" (for reporting,
    /// the figure a keep/drop cleaner is judged on).
    pub fn one_vs_rest_f1(&self, positive: usize) -> f64 {
        // Folding the other labels together does not change the positive label's counts.
        self.label(positive).f1
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn matrix(pairs: &[(usize, usize)], n: usize) -> Confusion {
        let mut c = Confusion::new(n);
        for &(t, p) in pairs {
            c.add(t, p);
        }
        c
    }

    #[test]
    fn hand_computed_three_label_case() {
        // truth: a a a b b c ; predicted: a a b b c c
        let c = matrix(&[(0, 0), (0, 0), (0, 1), (1, 1), (1, 2), (2, 2)], 3);
        let a = c.label(0);
        assert!(close(a.precision, 1.0) && close(a.recall, 2.0 / 3.0));
        assert!(close(a.f1, 0.8));
        let b = c.label(1);
        assert!(close(b.precision, 0.5) && close(b.recall, 0.5) && close(b.f1, 0.5));
        let cc = c.label(2);
        assert!(close(cc.precision, 0.5) && close(cc.recall, 1.0));
        assert!(close(cc.f1, 2.0 / 3.0));
        assert!(close(c.macro_f1(), (0.8 + 0.5 + 2.0 / 3.0) / 3.0));
        assert!(close(
            c.weighted_f1(),
            (0.8 * 3.0 + 0.5 * 2.0 + 2.0 / 3.0) / 6.0
        ));
        assert!(close(c.accuracy(), 4.0 / 6.0));
        assert_eq!(a.support, 3);
        assert_eq!(cc.predicted, 2);
    }

    #[test]
    fn label_never_predicted_scores_zero_precision() {
        // truth: a b ; predicted: a a -> b is never predicted.
        let c = matrix(&[(0, 0), (1, 0)], 2);
        let b = c.label(1);
        assert_eq!((b.precision, b.recall, b.f1), (0.0, 0.0, 0.0));
        assert!(close(c.label(0).f1, 2.0 / 3.0));
        assert!(close(c.macro_f1(), (2.0 / 3.0) / 2.0));
    }

    #[test]
    fn label_missing_from_truth_but_predicted_counts_in_macro() {
        // truth: a a ; predicted: a b -> b has no support but was predicted.
        let c = matrix(&[(0, 0), (0, 1)], 2);
        assert_eq!(c.label(1).support, 0);
        assert_eq!(c.label(1).f1, 0.0);
        assert!(close(c.macro_f1(), (2.0 / 3.0 + 0.0) / 2.0));
    }

    #[test]
    fn label_absent_everywhere_is_left_out_of_macro() {
        let c = matrix(&[(0, 0), (1, 1)], 3);
        assert!(close(c.macro_f1(), 1.0));
    }

    #[test]
    fn empty_input_scores_zero() {
        let c = Confusion::new(2);
        assert_eq!(c.total(), 0);
        assert_eq!(c.macro_f1(), 0.0);
        assert_eq!(c.weighted_f1(), 0.0);
        assert_eq!(c.accuracy(), 0.0);
    }

    #[test]
    fn one_vs_rest_matches_binary_collapse() {
        let c = matrix(&[(0, 0), (0, 1), (1, 2), (2, 1), (1, 0)], 3);
        // Binary: positive=0. tp=1, fp=1, fn=1 -> f1 = 0.5
        assert!(close(c.one_vs_rest_f1(0), 0.5));
    }
}
