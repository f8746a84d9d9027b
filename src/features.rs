//! Features of one paragraph for the text stage: hashed word unigrams and bigrams (with
//! start and end markers, digits folded to `0`), cue features and shape tokens, as one
//! sparse vector in a hashed space of `2^hash_bits` dimensions; and, within an article,
//! what the paragraph's neighbours look like (their cues and length bucket).

use serde::{Deserialize, Serialize};

use crate::cues::Cues;
use crate::repetition::{Fingerprint, FingerprintBuilder};
use crate::shape::is_word_char;
use crate::shape::Shape;
use crate::tokenize::Tokenizer;

/// Paragraph text beyond this many bytes adds no word features (its shape still counts):
/// a 10 MB "paragraph" is a scraping accident, and its first 32 KB say what it is.
const MAX_FEATURE_BYTES: usize = 32 * 1024;

/// Which features a model uses; stored in the model file so tagging rebuilds them exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureSettings {
    /// log2 of the hashed feature space.
    pub hash_bits: u8,
    /// Add word bigrams to unigrams.
    pub bigrams: bool,
    /// Add the cue features of [`crate::cues`].
    pub cues: bool,
    /// Add the shape tokens of [`crate::shape`].
    pub shape: bool,
    /// Add the cues and length bucket of the paragraphs just before and after (see
    /// [`Featurizer::add_neighbours`]).
    pub neighbours: bool,
}

impl Default for FeatureSettings {
    fn default() -> Self {
        FeatureSettings {
            hash_bits: 18,
            bigrams: true,
            cues: true,
            shape: true,
            neighbours: true,
        }
    }
}

/// A sparse feature vector: parallel index and value lists (an index may repeat; repeats
/// add), with what later stages need from the same tokenisation: the digit-folded hashes
/// of the paragraph's word tokens (for echoes between paragraphs) and its fingerprint (for
/// repetition across articles).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
    pub word_hashes: Vec<u64>,
    pub fingerprint: Option<Fingerprint>,
    /// Hashes of the paragraph's cue and length tokens: what its neighbours see of it.
    pub exports: Vec<u64>,
}

impl Features {
    /// Empties the vector, keeping its memory.
    pub fn clear(&mut self) {
        self.indices.clear();
        self.values.clear();
        self.word_hashes.clear();
        self.fingerprint = None;
        self.exports.clear();
    }

    fn push(&mut self, index: u32, value: f32) {
        self.indices.push(index);
        self.values.push(value);
    }

    /// Number of stored entries.
    pub fn len(&self) -> usize {
        self.indices.len()
    }

    /// True when no feature is set.
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }
}

/// Turns paragraphs into [`Features`] under fixed [`FeatureSettings`].
pub struct Featurizer {
    settings: FeatureSettings,
    tokenizer: Tokenizer,
    cues: Cues,
    context_inputs: bool,
}

// Namespaces keep a word, a cue and a shape token with the same spelling apart.
const NS_WORD: u64 = 0x9e37_79b9_7f4a_7c15;
const NS_CUE: u64 = 0xc2b2_ae3d_27d4_eb4f;
const NS_SHAPE: u64 = 0x1656_67b1_9e37_79f9;
const START: u64 = 0x2545_f491_4f6c_dd1d;
const END: u64 = 0x8538_ecb5_bd45_6ea3;
const NS_PREVIOUS: u64 = 0x27d4_eb2f_1656_67c5;
const NS_NEXT: u64 = 0x94d0_49bb_1331_11eb;
/// What a paragraph sees of a neighbour it does not have (at either end of the article).
const NO_NEIGHBOUR: u64 = 0x2f1a_5b3c_7d9e_0a4b;

/// Value of each neighbour feature. The text stage learns, for instance, that a short
/// line right after a paragraph with a credit cue is a caption, or that a line between
/// two share buttons is boilerplate; the context stage sees only neighbours' label
/// probabilities, not what made them. Only cues and the length bucket are passed on.
/// Measured 2026-11-24 at text-stage L2 3e-4, as the mean of pooled macro-F1 over 3- to
/// 8-fold site-grouped cross-validation of newsroom-dev, alone / with data/train.csv: no
/// neighbours 0.776 / 0.839; cues and length 0.780 / 0.865; cues and every shape token
/// 0.777 / 0.862; cues only 0.775 / 0.854. Weight 0.2 measured best of 0.2 to 1 (0.4:
/// 0.775 / 0.862; 1 at 5 folds: 0.762 / 0.816, the neighbours drowning the paragraph's
/// own words).
pub const NEIGHBOUR_WEIGHT: f32 = 0.2;

impl Featurizer {
    /// A featurizer for `settings`.
    pub fn new(settings: FeatureSettings) -> Self {
        Featurizer {
            settings,
            tokenizer: Tokenizer::default(),
            cues: Cues::default(),
            context_inputs: true,
        }
    }

    /// Whether to collect word hashes and fingerprints for a context stage (on by
    /// default); a model without one skips that work.
    pub fn with_context_inputs(mut self, on: bool) -> Self {
        self.context_inputs = on;
        self
    }

    /// The settings in force.
    pub fn settings(&self) -> &FeatureSettings {
        &self.settings
    }

    /// Number of dimensions of the hashed space.
    pub fn dimensions(&self) -> usize {
        1usize << self.settings.hash_bits
    }

    fn index(&self, hash: u64) -> u32 {
        // Fibonacci hashing spreads the bits of `hash` over the top `hash_bits` bits.
        (hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - self.settings.hash_bits as u32)) as u32
    }

    /// Writes the features of `text` into `out` (cleared first) and returns its shape,
    /// which later stages reuse.
    pub fn featurize(&self, text: &str, out: &mut Features) -> Shape {
        out.clear();
        let clipped = clip(text, MAX_FEATURE_BYTES);
        let mut previous = START;
        let mut words = 0usize;
        let mut print = FingerprintBuilder::default();
        self.tokenizer.for_each_token(clipped, |token| {
            let hash = hash_token(NS_WORD, token);
            out.push(self.index(hash), 1.0);
            if self.settings.bigrams {
                out.push(self.index(combine(previous, hash)), 1.0);
            }
            if self.context_inputs && token.chars().next().is_some_and(is_word_char) {
                out.word_hashes.push(hash);
                print.add_word(token, hash);
            }
            previous = hash;
            words += 1;
        });
        if self.context_inputs {
            out.fingerprint = Some(print.finish());
        }
        if self.settings.bigrams && words > 0 {
            out.push(self.index(combine(previous, END)), 1.0);
        }
        // Word features share one unit of weight, so long paragraphs do not drown the cues.
        if !out.is_empty() {
            let scale = 1.0 / (out.len() as f32).sqrt();
            out.values.iter_mut().for_each(|v| *v *= scale);
        }
        if self.settings.cues {
            self.cues.for_each_match(clipped, |name| {
                let hash = hash_token(NS_CUE, name);
                out.push(self.index(hash), 1.0);
                if self.settings.neighbours {
                    out.exports.push(hash);
                }
            });
        }
        let shape = Shape::of(text);
        if self.settings.neighbours {
            out.exports.push(hash_token(NS_SHAPE, shape.length_token()));
        }
        if self.settings.shape {
            shape.for_each_token(|name| {
                out.push(self.index(hash_token(NS_SHAPE, name)), 1.0);
            });
        }
        shape
    }

    /// Calls `each(index, value)` with the features a paragraph gets from the exports
    /// ([`Features::exports`]) of the paragraphs before and after it, `None` where it has
    /// none. Nothing when the settings leave neighbours out.
    pub fn for_each_neighbour_feature(
        &self,
        previous: Option<&[u64]>,
        next: Option<&[u64]>,
        mut each: impl FnMut(u32, f32),
    ) {
        if !self.settings.neighbours {
            return;
        }
        for (namespace, neighbour) in [(NS_PREVIOUS, previous), (NS_NEXT, next)] {
            match neighbour {
                Some(exports) => {
                    for &hash in exports {
                        each(self.index(combine(namespace, hash)), NEIGHBOUR_WEIGHT);
                    }
                }
                None => each(
                    self.index(combine(namespace, NO_NEIGHBOUR)),
                    NEIGHBOUR_WEIGHT,
                ),
            }
        }
    }

    /// Adds the neighbour features to each paragraph of one article, given in page order
    /// (the training path; tagging adds them to scores, see [`crate::model::Model`]).
    pub fn add_neighbours(&self, article: &mut [Features]) {
        if !self.settings.neighbours {
            return;
        }
        let exports: Vec<Vec<u64>> = article
            .iter_mut()
            .map(|f| std::mem::take(&mut f.exports))
            .collect();
        for (i, features) in article.iter_mut().enumerate() {
            let previous = i.checked_sub(1).map(|j| exports[j].as_slice());
            let next = exports.get(i + 1).map(Vec::as_slice);
            self.for_each_neighbour_feature(previous, next, |j, v| features.push(j, v));
        }
        for (features, exports) in article.iter_mut().zip(exports) {
            features.exports = exports;
        }
    }
}

/// Calls `each` with every word token of `text` (clipped as the featurizer clips it; not
/// punctuation) and its digit-folded hash: the words and hashes [`Featurizer::featurize`]
/// collects for the context stage.
pub fn for_each_word(text: &str, mut each: impl FnMut(&str, u64)) {
    thread_local! {
        static TOKENIZER: Tokenizer = Tokenizer::default();
    }
    TOKENIZER.with(|t| {
        t.for_each_token(clip(text, MAX_FEATURE_BYTES), |token| {
            if token.chars().next().is_some_and(is_word_char) {
                each(token, hash_token(NS_WORD, token))
            }
        })
    });
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
fn clip(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// FNV-1a over the token's bytes with ASCII digits folded to `0`, seeded by a namespace.
/// Written by hand because model files store hashed indices: the hash must never change
/// across crate versions or platforms, which general-purpose hashers do not promise.
fn hash_token(namespace: u64, token: &str) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325 ^ namespace;
    for &byte in token.as_bytes() {
        let byte = if byte.is_ascii_digit() { b'0' } else { byte };
        hash ^= byte as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Order-sensitive combination of two token hashes (for bigrams).
fn combine(a: u64, b: u64) -> u64 {
    (a.rotate_left(23) ^ b).wrapping_mul(0xff51_afd7_ed55_8ccd)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(text: &str) -> Features {
        let mut out = Features::default();
        Featurizer::new(FeatureSettings::default()).featurize(text, &mut out);
        out
    }

    #[test]
    fn indices_stay_inside_the_hashed_space() {
        let f = features("Photograph: Sam Lee/Reuters. Donate $5 a month!");
        assert!(!f.is_empty());
        assert!(f.indices.iter().all(|&i| (i as usize) < (1 << 18)));
    }

    #[test]
    fn hashing_is_stable() {
        // Model files depend on these values never changing.
        assert_eq!(hash_token(0, "a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash_token(NS_WORD, "2025"), hash_token(NS_WORD, "1999"));
        assert_ne!(hash_token(NS_WORD, "x"), hash_token(NS_CUE, "x"));
    }

    #[test]
    fn bigrams_are_order_sensitive() {
        assert_ne!(
            features("support now").indices,
            features("now support").indices
        );
    }

    #[test]
    fn word_features_are_normalised_and_cues_are_not() {
        let f = features("Donate");
        let words: f32 = f.values.iter().filter(|v| **v < 1.0).map(|v| v * v).sum();
        assert!((words - 1.0).abs() < 1e-5, "{words}");
        assert!(f.values.contains(&1.0));
    }

    #[test]
    fn huge_paragraph_is_clipped() {
        let text = "word ".repeat(1_000_000);
        let f = features(&text);
        assert!(f.len() < 20_000, "{}", f.len());
        assert_eq!(clip("aé", 2), "a");
    }

    #[test]
    fn empty_text_has_only_shape_features() {
        let f = features("");
        assert!(f.values.iter().all(|v| *v == 1.0));
    }

    #[test]
    fn neighbours_add_the_cues_and_length_of_the_paragraphs_around() {
        let featurizer = Featurizer::new(FeatureSettings::default());
        let texts = [
            "Photograph: Sam Lee/Reuters",
            "Donate now",
            "The council met.",
        ];
        let mut article: Vec<Features> = texts
            .iter()
            .map(|t| {
                let mut f = Features::default();
                featurizer.featurize(t, &mut f);
                f
            })
            .collect();
        let before: Vec<usize> = article.iter().map(Features::len).collect();
        let exports: Vec<Vec<u64>> = article.iter().map(|f| f.exports.clone()).collect();
        // Every paragraph shows at least its length bucket.
        assert!(exports.iter().all(|e| !e.is_empty()));
        featurizer.add_neighbours(&mut article);
        for (i, f) in article.iter().enumerate() {
            // The paragraph before (or the article's start) and after (or its end).
            let from_previous = if i == 0 { 1 } else { exports[i - 1].len() };
            let from_next = if i + 1 == texts.len() {
                1
            } else {
                exports[i + 1].len()
            };
            assert_eq!(
                f.len(),
                before[i] + from_previous + from_next,
                "paragraph {i}"
            );
            assert!(f.values[before[i]..].iter().all(|v| *v == NEIGHBOUR_WEIGHT));
            assert_eq!(f.exports, exports[i]);
        }
        // A paragraph after a credit gets other features than after a body sentence.
        let mut after_credit = Vec::new();
        featurizer.for_each_neighbour_feature(Some(&exports[0]), None, |j, _| after_credit.push(j));
        let mut after_body = Vec::new();
        featurizer.for_each_neighbour_feature(Some(&exports[2]), None, |j, _| after_body.push(j));
        assert_ne!(after_credit, after_body);
    }

    #[test]
    fn neighbours_can_be_switched_off() {
        let featurizer = Featurizer::new(FeatureSettings {
            neighbours: false,
            ..FeatureSettings::default()
        });
        let mut f = Features::default();
        featurizer.featurize("Photograph: Sam Lee/Reuters", &mut f);
        assert!(f.exports.is_empty());
        let mut article = vec![f.clone(), f.clone()];
        featurizer.add_neighbours(&mut article);
        assert_eq!(article[0], f);
        let mut called = false;
        featurizer.for_each_neighbour_feature(None, None, |_, _| called = true);
        assert!(!called);
    }
}
