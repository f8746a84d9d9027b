//! Learning models from labelled data: training, the grouped folds both training and
//! cross-validation use, and cross-validation itself.

pub(crate) mod cv;
pub(crate) mod folds;
pub(crate) mod train;
