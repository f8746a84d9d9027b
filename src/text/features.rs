//! Features of one paragraph for the text stage: hashed word unigrams and bigrams (with
//! start and end markers, digits folded to `0`), cue features and shape tokens, as one
//! sparse vector in a hashed space of `2^hash_bits` dimensions; and, within an article,
//! what the paragraph's neighbours look like (their cues and length bucket).

use serde::{Deserialize, Serialize};

use crate::text::cues::Cues;
use crate::text::fingerprint::{Fingerprint, FingerprintBuilder};
use crate::text::shape::is_word_char;
use crate::text::shape::Shape;
use crate::text::tokenize::Tokenizer;

/// Paragraph text beyond this many bytes adds no word features (its shape still counts):
/// a 10 MB "paragraph" is a scraping accident, and its first 32 KB say what it is.
pub(crate) const MAX_FEATURE_BYTES: usize = 32 * 1024;

/// Which features a model uses; stored in the model file so tagging rebuilds them exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureSettings {
    /// log2 of the hashed feature space.
    pub hash_bits: u8,
    /// Add word bigrams to unigrams.
    pub bigrams: bool,
    /// Add the cue features of [`crate::text::cues`].
    pub cues: bool,
    /// Add the shape tokens of [`crate::text::shape`].
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
    /// Hashed feature indices.
    pub indices: Vec<u32>,
    /// Their values, aligned with `indices`.
    pub values: Vec<f32>,
    /// Hashes of the paragraph's word tokens, in order (for echoes).
    pub word_hashes: Vec<u64>,
    /// The paragraph's fingerprint (for repetition).
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

/// Readable names of a paragraph's features, filled by [`Featurizer::featurize_named`]:
/// `word:subscribe`, `bigram:support our`, `cue:credit_tail`, `shape:words:4-5`. Names are
/// what was hashed (digits folded to `0`), so two names may share an index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeatureNames {
    /// One name per entry of [`Features::indices`].
    pub features: Vec<String>,
    /// One name per entry of [`Features::exports`] (what neighbours see).
    pub exports: Vec<String>,
}

impl FeatureNames {
    /// Empties both lists.
    pub fn clear(&mut self) {
        self.features.clear();
        self.exports.clear();
    }
}

/// Which neighbour a neighbour feature comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The paragraph before.
    Previous,
    /// The paragraph after.
    Next,
}

/// Where a neighbour feature comes from: the neighbour's side and the position of the
/// export in that neighbour's [`Features::exports`], or `None` when there is no neighbour
/// on that side (the article's start or end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeighbourSource {
    /// Before or after.
    pub side: Side,
    /// Position in the neighbour's exports; `None` for "no neighbour".
    pub export: Option<usize>,
}

/// The readable name of a neighbour feature: `prev:cue:agency_name`, `next:shape:words:1`,
/// `prev:none`; `exports` are the names of that neighbour's exports
/// ([`FeatureNames::exports`]).
pub fn neighbour_feature_name(source: NeighbourSource, exports: &[String]) -> String {
    let side = match source.side {
        Side::Previous => "prev",
        Side::Next => "next",
    };
    match source.export.and_then(|k| exports.get(k)) {
        Some(name) => format!("{side}:{name}"),
        None => format!("{side}:none"),
    }
}

/// `token` with ASCII digits folded to `0`, as it is hashed.
fn fold_digits(token: &str) -> std::borrow::Cow<'_, str> {
    if token.bytes().any(|b| b.is_ascii_digit()) {
        std::borrow::Cow::Owned(
            token
                .chars()
                .map(|c| if c.is_ascii_digit() { '0' } else { c })
                .collect(),
        )
    } else {
        std::borrow::Cow::Borrowed(token)
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

/// Value of each neighbour feature: only the neighbours' cues and length bucket are passed
/// on, so the text stage can learn that a short line after a credit is a caption
/// (docs/decisions.md, "Neighbour features at weight 0.2").
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
        self.featurize_with::<false>(text, out, &mut FeatureNames::default())
    }

    /// Like [`Featurizer::featurize`], and also writes the readable name of every feature
    /// (aligned with [`Features::indices`]) and of every export into `names`: the
    /// explaining path. The same code computes the features either way; only this path
    /// builds names, so tagging without explanations pays nothing for them.
    pub fn featurize_named(
        &self,
        text: &str,
        out: &mut Features,
        names: &mut FeatureNames,
    ) -> Shape {
        names.clear();
        self.featurize_with::<true>(text, out, names)
    }

    fn featurize_with<const NAMED: bool>(
        &self,
        text: &str,
        out: &mut Features,
        names: &mut FeatureNames,
    ) -> Shape {
        out.clear();
        let clipped = clip(text, MAX_FEATURE_BYTES);
        let mut previous = START;
        let mut previous_token = String::new();
        let mut words = 0usize;
        let mut print = FingerprintBuilder::default();
        self.tokenizer.for_each_token(clipped, |token| {
            let hash = hash_token(NS_WORD, token);
            out.push(self.index(hash), 1.0);
            if NAMED {
                names.features.push(format!("word:{}", fold_digits(token)));
            }
            if self.settings.bigrams {
                out.push(self.index(combine(previous, hash)), 1.0);
                if NAMED {
                    names.features.push(if words == 0 {
                        format!("bigram:<start> {}", fold_digits(token))
                    } else {
                        format!("bigram:{previous_token} {}", fold_digits(token))
                    });
                    previous_token = fold_digits(token).into_owned();
                }
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
            if NAMED {
                names
                    .features
                    .push(format!("bigram:{previous_token} <end>"));
            }
        }
        // Word features share one unit of weight, so long paragraphs do not drown the cues.
        if !out.is_empty() {
            let scale = 1.0 / (out.len() as f32).sqrt();
            out.values.iter_mut().for_each(|v| *v *= scale);
        }
        if self.settings.cues {
            self.cues.for_each_match(clipped, |name, hash| {
                out.push(self.index(hash), 1.0);
                if NAMED {
                    names.features.push(format!("cue:{name}"));
                }
                if self.settings.neighbours {
                    out.exports.push(hash);
                    if NAMED {
                        names.exports.push(format!("cue:{name}"));
                    }
                }
            });
        }
        let shape = Shape::of(text);
        if self.settings.neighbours {
            out.exports.push(shape.length_token().hash);
            if NAMED {
                names
                    .exports
                    .push(format!("shape:{}", shape.length_token().name));
            }
        }
        if self.settings.shape {
            shape.for_each_token(|token| {
                out.push(self.index(token.hash), 1.0);
                if NAMED {
                    names.features.push(format!("shape:{}", token.name));
                }
            });
        }
        if NAMED {
            debug_assert_eq!(names.features.len(), out.indices.len());
            debug_assert_eq!(names.exports.len(), out.exports.len());
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
        self.for_each_neighbour_feature_from(previous, next, |j, v, _| each(j, v));
    }

    /// Like [`Featurizer::for_each_neighbour_feature`], also telling where each feature
    /// comes from, so the explaining path can name it (see [`neighbour_feature_name`]).
    pub fn for_each_neighbour_feature_from(
        &self,
        previous: Option<&[u64]>,
        next: Option<&[u64]>,
        mut each: impl FnMut(u32, f32, NeighbourSource),
    ) {
        if !self.settings.neighbours {
            return;
        }
        for (namespace, neighbour, side) in [
            (NS_PREVIOUS, previous, Side::Previous),
            (NS_NEXT, next, Side::Next),
        ] {
            match neighbour {
                Some(exports) => {
                    for (k, &hash) in exports.iter().enumerate() {
                        each(
                            self.index(combine(namespace, hash)),
                            NEIGHBOUR_WEIGHT,
                            NeighbourSource {
                                side,
                                export: Some(k),
                            },
                        );
                    }
                }
                None => each(
                    self.index(combine(namespace, NO_NEIGHBOUR)),
                    NEIGHBOUR_WEIGHT,
                    NeighbourSource { side, export: None },
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

/// The fingerprint of a paragraph on its own (the tagging path builds it while
/// featurising; both give the same keys).
pub fn fingerprint(text: &str) -> Fingerprint {
    let mut builder = FingerprintBuilder::default();
    for_each_word(text, |token, hash| builder.add_word(token, hash));
    builder.finish()
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
/// The feature hash of the cue `name` (computed once per cue by [`Cues`]).
pub(crate) fn cue_hash(name: &str) -> u64 {
    hash_token(NS_CUE, name)
}

const fn hash_token(namespace: u64, token: &str) -> u64 {
    let bytes = token.as_bytes();
    let mut hash = 0xcbf2_9ce4_8422_2325 ^ namespace;
    let mut i = 0;
    while i < bytes.len() {
        let byte = if bytes[i].is_ascii_digit() {
            b'0'
        } else {
            bytes[i]
        };
        hash ^= byte as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    hash
}

/// The feature hash of the shape token `name`: a `const fn`, so shape tokens are hashed
/// at compile time ([`crate::text::shape::ShapeToken`]).
pub(crate) const fn shape_hash(name: &str) -> u64 {
    hash_token(NS_SHAPE, name)
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

    /// The index a readable name stands for, rebuilt from the name alone.
    fn index_of_name(featurizer: &Featurizer, name: &str) -> u32 {
        let token = |t: &str| match t {
            "<start>" => START,
            "<end>" => END,
            _ => hash_token(NS_WORD, t),
        };
        let export = |e: &str| match e.split_once(':') {
            Some(("cue", cue)) => hash_token(NS_CUE, cue),
            Some(("shape", shape)) => hash_token(NS_SHAPE, shape),
            _ => panic!("unknown export {e}"),
        };
        let hash = match name.split_once(':') {
            Some(("word", w)) => hash_token(NS_WORD, w),
            Some(("bigram", pair)) => {
                let (a, b) = pair.split_once(' ').expect("two words");
                combine(token(a), token(b))
            }
            Some(("cue", cue)) => hash_token(NS_CUE, cue),
            Some(("shape", shape)) => hash_token(NS_SHAPE, shape),
            Some((side @ ("prev" | "next"), rest)) => {
                let namespace = if side == "prev" { NS_PREVIOUS } else { NS_NEXT };
                let hash = if rest == "none" {
                    NO_NEIGHBOUR
                } else {
                    export(rest)
                };
                combine(namespace, hash)
            }
            _ => panic!("unknown name {name}"),
        };
        featurizer.index(hash)
    }

    #[test]
    fn every_name_stands_for_its_index() {
        let featurizer = Featurizer::new(FeatureSettings::default());
        let texts = [
            "Support our journalism: donate $25 a month in 2025.",
            "Photograph: Sam Lee/Reuters",
            "",
        ];
        let mut exports = Vec::new();
        let mut export_names = Vec::new();
        for text in texts {
            let mut plain = Features::default();
            featurizer.featurize(text, &mut plain);
            let mut named = Features::default();
            let mut names = FeatureNames::default();
            featurizer.featurize_named(text, &mut named, &mut names);
            // Naming changes nothing of the features themselves.
            assert_eq!(plain, named);
            assert_eq!(names.features.len(), named.len());
            assert_eq!(names.exports.len(), named.exports.len());
            for (name, &index) in names.features.iter().zip(&named.indices) {
                assert_eq!(index_of_name(&featurizer, name), index, "{name}");
            }
            exports.push(named.exports);
            export_names.push(names.exports);
        }
        let mut names = names_of(&featurizer, "Support our journalism: donate $25 a month.");
        names.sort();
        for expected in [
            "word:support",
            "word:donate",
            "bigram:<start> support",
            "bigram:support our",
            "bigram:. <end>",
            "cue:appeal_words",
            "cue:currency_amount",
            "shape:last:period",
        ] {
            assert!(
                names.contains(&expected.to_string()),
                "{expected} not in {names:?}"
            );
        }
        // Digits are named as they are hashed: folded to 0.
        assert!(names.iter().any(|n| n.contains("00")), "{names:?}");
        assert!(!names.iter().any(|n| n.contains("25")), "{names:?}");
        // Neighbour features: named from the neighbour's export names.
        let mut seen = Vec::new();
        featurizer.for_each_neighbour_feature_from(Some(&exports[1]), None, |j, v, source| {
            let name = neighbour_feature_name(source, &export_names[1]);
            assert_eq!(index_of_name(&featurizer, &name), j, "{name}");
            assert_eq!(v, NEIGHBOUR_WEIGHT);
            seen.push(name);
        });
        assert!(
            seen.contains(&"prev:cue:agency_name".to_string()),
            "{seen:?}"
        );
        assert!(seen.contains(&"next:none".to_string()), "{seen:?}");
        assert!(
            seen.iter().any(|n| n.starts_with("prev:shape:words:")),
            "{seen:?}"
        );
        // The two neighbour iterations give the same features.
        let mut plain = Vec::new();
        featurizer.for_each_neighbour_feature(Some(&exports[1]), None, |j, v| plain.push((j, v)));
        assert_eq!(plain.len(), seen.len());
    }

    fn names_of(featurizer: &Featurizer, text: &str) -> Vec<String> {
        let mut names = FeatureNames::default();
        featurizer.featurize_named(text, &mut Features::default(), &mut names);
        names.features
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
