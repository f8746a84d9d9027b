//! Repetition: boilerplate repeats across the articles of a feed (the same appeal, the same
//! newsletter box, the same credit line), reporting rarely does. This module counts, for
//! each paragraph, how many other articles in a window of the input hold the same paragraph
//! (after normalisation) or a near-duplicate of it (MinHash over word 3-gram shingles, so
//! "2 free articles left" and "3 free articles left" meet).
//!
//! Counting uses a count-min sketch of fixed size, so memory stays bounded however long the
//! stream; counters are halved every `window` articles, which makes the counts describe the
//! recent part of the stream rather than all of it.

/// The keys of one paragraph: its exact normalised form and one MinHash band of two
/// hashes (two articles whose paragraphs share a fraction J of their 3-word shingles share
/// the band with probability J squared: 0.81 for a template with one number changed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    keys: [u64; 2],
}

/// How many other articles hold this paragraph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Repeats {
    /// Articles with the same normalised text.
    pub exact: u32,
    /// Articles with a near-duplicate (sharing a MinHash band).
    pub near: u32,
}

const SEEDS: [u64; 4] = [
    0x51_7cc1_b727_220a,
    0x94d0_49bb_1331_11eb,
    0xbf58_476d_1ce4_e5b9,
    0x2545_f491_4f6c_dd1d,
];

fn mix(mut x: u64) -> u64 {
    // splitmix64's finaliser: a cheap, well-spread 64-bit mix.
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Builds a paragraph's fingerprint from its word tokens, as the featurizer produces them
/// (lowercase, with each word's digit-folded hash), so the paragraph is tokenised once for
/// both. Only words are given: case, punctuation and spacing do not count; digits count for
/// the exact key and are folded for the near-duplicate keys.
#[derive(Debug, Clone)]
pub struct FingerprintBuilder {
    exact: u64,
    minima: [u64; 2],
    window: [u64; 3],
    count: usize,
}

impl Default for FingerprintBuilder {
    fn default() -> Self {
        FingerprintBuilder {
            exact: 0x8422_2325,
            minima: [u64::MAX; 2],
            window: [0; 3],
            count: 0,
        }
    }
}

impl FingerprintBuilder {
    /// Adds one lowercase word token (not punctuation); `folded_hash` is its digit-folded
    /// hash.
    pub fn add_word(&mut self, token: &str, folded_hash: u64) {
        // The exact key chains the folded hashes and, for the rare word with digits, the
        // word's own bytes, so "2 free articles" and "3 free articles" differ.
        self.exact = mix(self.exact ^ folded_hash);
        if token.bytes().any(|b| b.is_ascii_digit()) {
            for b in token.bytes() {
                self.exact = (self.exact ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        self.window = [self.window[1], self.window[2], folded_hash];
        self.count += 1;
        if self.count >= 3 {
            let w = self.window;
            let shingle = mix(w[0] ^ w[1].rotate_left(21) ^ w[2].rotate_left(42));
            // Two hash functions from one mixed value: multiplying by distinct odd constants
            // (multiply-shift hashing) is far cheaper than full mixes.
            for (m, seed) in self.minima.iter_mut().zip(SEEDS) {
                *m = (*m).min((shingle ^ seed).wrapping_mul(seed | 1));
            }
        }
    }

    /// The fingerprint of the tokens added.
    pub fn finish(mut self) -> Fingerprint {
        if self.count < 3 {
            // Too short for a 3-word shingle: the whole word sequence is the one shingle.
            let whole = self.window[3 - self.count..]
                .iter()
                .fold(0x9e37_79b9, |a, h| mix(a ^ h));
            for (m, seed) in self.minima.iter_mut().zip(SEEDS) {
                *m = (whole ^ seed).wrapping_mul(seed | 1);
            }
        }
        let m = self.minima;
        Fingerprint {
            keys: [mix(self.exact), mix(m[0] ^ mix(m[1]) ^ 1)],
        }
    }
}

/// The fingerprint of a paragraph on its own (the tagging path builds it while
/// featurising; both give the same keys).
pub fn fingerprint(text: &str) -> Fingerprint {
    let mut builder = FingerprintBuilder::default();
    crate::features::for_each_word(text, |token, hash| builder.add_word(token, hash));
    builder.finish()
}

/// A bounded count of how many articles in a recent window hold each fingerprint.
#[derive(Debug, Clone)]
pub struct RepetitionIndex {
    counters: Vec<u16>,
    width_bits: u32,
    window: usize,
    since_decay: usize,
}

/// Rows of the count-min sketch: two keep collisions rare at this width (2^17 counters a
/// row for a window of 20,000 articles) and cost two memory reads per key.
const DEPTH: usize = 2;

impl RepetitionIndex {
    /// An index with `2^width_bits` counters per row (2 rows of u16) that halves its counts
    /// every `window` articles.
    pub fn new(width_bits: u32, window: usize) -> Self {
        RepetitionIndex {
            counters: vec![0; DEPTH << width_bits],
            width_bits,
            window: window.max(1),
            since_decay: 0,
        }
    }

    fn slots(&self, key: u64) -> [usize; DEPTH] {
        let mut out = [0; DEPTH];
        for (row, slot) in out.iter_mut().enumerate() {
            let h = mix(key ^ SEEDS[row]);
            *slot = (row << self.width_bits) + (h >> (64 - self.width_bits)) as usize;
        }
        out
    }

    fn count(&self, key: u64) -> u32 {
        self.slots(key)
            .iter()
            .map(|&s| self.counters[s] as u32)
            .min()
            .unwrap_or(0)
    }

    /// Counts one article: each distinct key of its paragraphs once.
    pub fn add_article(&mut self, prints: &[Fingerprint]) {
        let mut keys: Vec<u64> = prints.iter().flat_map(|p| p.keys).collect();
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            for slot in self.slots(key) {
                self.counters[slot] = self.counters[slot].saturating_add(1);
            }
        }
        self.since_decay += 1;
        if self.since_decay >= self.window {
            self.counters.iter_mut().for_each(|c| *c /= 2);
            self.since_decay = 0;
        }
    }

    /// How many other articles hold `print`, for an article already added.
    pub fn repeats(&self, print: &Fingerprint) -> Repeats {
        let other = |n: u32| n.saturating_sub(1);
        Repeats {
            exact: other(self.count(print.keys[0])),
            near: other(self.count(print.keys[1])),
        }
    }
}

impl Default for RepetitionIndex {
    /// 2 x 2^17 counters (512 KB) halved every 20,000 articles.
    fn default() -> Self {
        RepetitionIndex::new(17, 20_000)
    }
}

/// Repeats of every paragraph of a set of articles held in memory, counted over the set,
/// from the paragraphs' fingerprints.
pub fn repeats_within(prints: &[Vec<Fingerprint>]) -> Vec<Vec<Repeats>> {
    // Large enough that a set in memory never decays.
    let mut index = RepetitionIndex::new(18, usize::MAX);
    prints.iter().for_each(|p| index.add_article(p));
    prints
        .iter()
        .map(|p| p.iter().map(|f| index.repeats(f)).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_ignores_case_punctuation_and_spacing() {
        assert_eq!(
            fingerprint("Support  our newsroom!"),
            fingerprint("support our newsroom")
        );
        assert_ne!(
            fingerprint("Support our newsroom").keys[0],
            fingerprint("Support your newsroom").keys[0]
        );
    }

    #[test]
    fn near_duplicates_share_a_band_and_differ_in_exact_key() {
        let a = fingerprint("You have 2 free articles left this month. Subscribe now.");
        let b = fingerprint("You have 3 free articles left this month. Subscribe now.");
        assert_ne!(a.keys[0], b.keys[0]);
        assert_eq!(a.keys[1], b.keys[1]);
    }

    #[test]
    fn counts_other_articles_once_each() {
        let articles = [
            vec![
                "Sign up for our newsletter",
                "The mayor resigned on Monday.",
                "Sign up for our newsletter",
            ],
            vec![
                "Sign up for our newsletter",
                "Rain is forecast for the weekend.",
            ],
            vec!["Sign up for our newsletter"],
        ];
        let prints: Vec<Vec<Fingerprint>> = articles
            .iter()
            .map(|a| a.iter().map(|t| fingerprint(t)).collect())
            .collect();
        let repeats = repeats_within(&prints);
        assert_eq!(repeats[0][0].exact, 2, "two other articles");
        assert_eq!(repeats[0][1], Repeats::default());
        assert_eq!(repeats[2][0].exact, 2);
        assert!(repeats[0][0].near >= 2);
    }

    #[test]
    fn counts_decay_after_the_window() {
        let print = fingerprint("Advertisement");
        let mut index = RepetitionIndex::new(10, 4);
        for _ in 0..3 {
            index.add_article(&[print]);
        }
        assert_eq!(index.repeats(&print).exact, 2);
        index.add_article(&[print]); // the fourth article halves every count
        assert_eq!(index.repeats(&print).exact, 1);
    }
}
