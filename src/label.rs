//! Labels: whatever strings the training file uses, kept in a fixed order inside a model.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The label chaff keeps by default and the positive class of the reporting-vs-rest score.
pub const REPORTING: &str = "reporting";

/// The default taxonomy, in the order reports list it.
pub const DEFAULT_LABELS: [&str; 4] = [
    REPORTING,
    "donation_appeal",
    "gallery_caption",
    "boilerplate",
];

/// An ordered set of label names; a label is referred to by its index in the set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelSet {
    names: Vec<String>,
}

impl LabelSet {
    /// Builds a set from names, in the default taxonomy's order first and then by name,
    /// so the same labels always get the same indices.
    pub fn from_names<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut names: Vec<String> = names.into_iter().map(Into::into).collect();
        names.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
        names.dedup();
        LabelSet { names }
    }

    /// Number of labels.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when there are no labels.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The index of `name`, if it is in the set.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The name of label `index`.
    pub fn name(&self, index: usize) -> &str {
        &self.names[index]
    }

    /// All names in index order.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// One label of a model, as tagging results carry it: displays as its name and compares
/// equal to it (`paragraph.label == "reporting"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    index: usize,
    name: Arc<str>,
}

impl Label {
    /// The label `index` of `set`.
    pub(crate) fn of(set: &LabelSet, index: usize) -> Label {
        Label {
            index,
            name: Arc::from(set.name(index)),
        }
    }

    /// The label's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The label's place in its model's label order (the index of its probability).
    pub fn index(&self) -> usize {
        self.index
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.name)
    }
}

impl PartialEq<str> for Label {
    fn eq(&self, other: &str) -> bool {
        &*self.name == other
    }
}

impl PartialEq<&str> for Label {
    fn eq(&self, other: &&str) -> bool {
        &*self.name == *other
    }
}

impl LabelSet {
    /// Every label as a [`Label`], in index order.
    pub(crate) fn labels(&self) -> Vec<Label> {
        (0..self.len()).map(|k| Label::of(self, k)).collect()
    }
}

fn rank(name: &str) -> usize {
    DEFAULT_LABELS
        .iter()
        .position(|l| *l == name)
        .unwrap_or(DEFAULT_LABELS.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_labels_come_first_in_fixed_order() {
        let set = LabelSet::from_names(["boilerplate", "zeta", "reporting", "alpha", "reporting"]);
        assert_eq!(set.names(), ["reporting", "boilerplate", "alpha", "zeta"]);
        assert_eq!(set.index("alpha"), Some(2));
        assert_eq!(set.index("missing"), None);
        assert_eq!(set.name(1), "boilerplate");
    }

    #[test]
    fn a_label_displays_and_compares_as_its_name() {
        let set = LabelSet::from_names(["reporting", "boilerplate"]);
        let label = Label::of(&set, 1);
        assert_eq!(label.to_string(), "boilerplate");
        assert_eq!(format!("[{label:>12}]"), "[ boilerplate]");
        assert!(label == "boilerplate");
        assert_eq!(label.index(), 1);
        assert_ne!(label, Label::of(&set, 0));
    }
}
