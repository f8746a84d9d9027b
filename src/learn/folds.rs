//! Grouped folds: every document of a group (publisher, site or document) lands in the same
//! fold, so a fold's model is scored on groups it never saw. Training uses them for the
//! out-of-fold text-stage scores the context stage learns from; cross-validation for its
//! folds.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

use crate::dataset::{GroupBy, LabelledSet};
use crate::error::Result;
use crate::model::text_stage::{SoftmaxParams, SoftmaxRegression};
use crate::text::features::Features;

/// Number of distinct groups of documents.
pub(crate) fn distinct_groups(set: &LabelledSet, by: GroupBy) -> usize {
    let groups: HashSet<&str> = (0..set.documents.len())
        .map(|d| set.group_of(d, by))
        .collect();
    groups.len()
}

/// Assigns each document a fold so that all documents of a group share one; the largest
/// groups go first, each to the fold with the fewest paragraphs so far (ties: the lowest
/// fold), so folds hold similar numbers of paragraphs and the assignment is stable.
pub(crate) fn assign_folds(set: &LabelledSet, by: GroupBy, folds: usize) -> Vec<usize> {
    let mut groups: BTreeMap<&str, usize> = BTreeMap::new();
    for (d, document) in set.documents.iter().enumerate() {
        *groups.entry(set.group_of(d, by)).or_default() += document.paragraphs.len();
    }
    let mut order: Vec<(&str, usize)> = groups.into_iter().collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let mut load = vec![0usize; folds.max(1)];
    let mut fold_of_group = HashMap::new();
    for (group, size) in order {
        let fold = (0..load.len())
            .min_by_key(|&f| (load[f], f))
            .expect("at least one fold");
        load[fold] += size;
        fold_of_group.insert(group, fold);
    }
    (0..set.documents.len())
        .map(|d| fold_of_group[set.group_of(d, by)])
        .collect()
}

/// The text stage's training examples: each paragraph's features and label index, in set
/// order, in a space of `dimensions` features and `n_labels` labels.
pub(crate) struct Examples<'a> {
    pub features: &'a [Features],
    pub targets: &'a [usize],
    pub n_labels: usize,
    pub dimensions: usize,
}

/// Text-stage probabilities of every paragraph (in set order), each from a text stage
/// trained without the paragraph's fold; `fold_of_document` comes from [`assign_folds`].
pub(crate) fn out_of_fold(
    set: &LabelledSet,
    fold_of_document: &[usize],
    learner: &SoftmaxParams,
    examples: &Examples,
) -> Result<Vec<Vec<f32>>> {
    let mut fold_of_row = Vec::with_capacity(examples.targets.len());
    for (d, document) in set.documents.iter().enumerate() {
        fold_of_row.extend(std::iter::repeat_n(
            fold_of_document[d],
            document.paragraphs.len(),
        ));
    }
    let mut used = fold_of_document.to_vec();
    used.sort_unstable();
    used.dedup();
    let fitted: Vec<(usize, Option<SoftmaxRegression>)> = used
        .par_iter()
        .map(|&fold| {
            let (x, y): (Vec<&Features>, Vec<usize>) = examples
                .features
                .iter()
                .zip(examples.targets)
                .zip(&fold_of_row)
                .filter(|(_, f)| **f != fold)
                .map(|((x, y), _)| (x, *y))
                .unzip();
            // A fold holding every group leaves nothing to train on: use no model.
            if x.is_empty() {
                return Ok((fold, None));
            }
            learner
                .fit(&x, &y, examples.n_labels, examples.dimensions)
                .map(|m| (fold, Some(m)))
        })
        .collect::<Result<_>>()?;
    let uniform = vec![1.0 / examples.n_labels as f32; examples.n_labels];
    let mut out = vec![uniform; examples.targets.len()];
    for (fold, model) in &fitted {
        let Some(model) = model else { continue };
        for (i, x) in examples.features.iter().enumerate() {
            if fold_of_row[i] == *fold {
                model.probabilities_into(x, &mut out[i]);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> LabelledSet {
        let mut csv = String::from("doc_id,position,text,label,publisher\n");
        for (doc, publisher, rows) in [
            ("a1", "A", 3),
            ("a2", "A", 3),
            ("b1", "B", 4),
            ("c1", "C", 1),
            ("d1", "D", 2),
        ] {
            for p in 0..rows {
                csv.push_str(&format!("{doc},{p},text {doc} {p},x,{publisher}\n"));
            }
        }
        LabelledSet::parse("t.csv".as_ref(), csv.as_bytes()).unwrap()
    }

    #[test]
    fn groups_stay_together_and_folds_balance() {
        let set = set();
        let folds = assign_folds(&set, GroupBy::Publisher, 2);
        // A's two documents share a fold; A (6 rows) and B (4) are split; D (2) joins the
        // lighter B, and C (1) breaks the 6-6 tie towards the lower fold.
        assert_eq!(folds[0], folds[1]);
        assert_ne!(folds[0], folds[2]);
        assert_eq!(distinct_groups(&set, GroupBy::Publisher), 4);
        let rows = |f: usize| {
            (0..set.documents.len())
                .filter(|&d| folds[d] == f)
                .map(|d| set.documents[d].paragraphs.len())
                .sum::<usize>()
        };
        assert_eq!((rows(0), rows(1)), (7, 6));
        // Stable: the same set gives the same folds.
        assert_eq!(folds, assign_folds(&set, GroupBy::Publisher, 2));
    }
}
