//! Scoring a model against labels: the confusion matrix and its figures, evaluation over a
//! labelled set, and the counts of a labelled set.

pub(crate) mod evaluate;
pub(crate) mod metrics;
pub(crate) mod stats;
