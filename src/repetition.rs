//! Repetition: boilerplate repeats across the articles of a feed (the same appeal, the same
//! newsletter box, the same credit line), reporting rarely does. This module counts, for
//! each paragraph, how many other articles in a window of the input hold the same paragraph
//! (after normalisation) or a near-duplicate of it (MinHash over word 3-gram shingles, so
//! "2 free articles left" and "3 free articles left" meet).
//!
//! Counting uses a count-min sketch of fixed size, so memory stays bounded however long the
//! stream; counters are halved every `window` articles, which makes the counts describe the
//! recent part of the stream rather than all of it.

/// The keys of one paragraph: its exact normalised form and two MinHash bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    keys: [u64; 3],
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

fn word_hash(word: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for c in word.chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_digit() { '0' } else { c };
        h ^= c as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The fingerprint of a paragraph: case, punctuation and spacing are ignored; digits count
/// for the exact key and are folded for the near-duplicate keys.
pub fn fingerprint(text: &str) -> Fingerprint {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut exact = 0x84222325u64;
    for w in &words {
        for c in w.chars().flat_map(char::to_lowercase) {
            exact = (exact ^ c as u64).wrapping_mul(0x0000_0100_0000_01b3);
        }
        exact = (exact ^ 0x20).wrapping_mul(0x0000_0100_0000_01b3);
    }
    let hashes: Vec<u64> = words.iter().map(|w| word_hash(w)).collect();
    let mut minima = [u64::MAX; 4];
    let mut shingle = |h: u64| {
        for (m, seed) in minima.iter_mut().zip(SEEDS) {
            *m = (*m).min(mix(h ^ seed));
        }
    };
    if hashes.len() < 3 {
        shingle(hashes.iter().fold(0x9e37_79b9, |a, h| mix(a ^ h)));
    } else {
        for w in hashes.windows(3) {
            shingle(mix(w[0] ^ mix(w[1] ^ mix(w[2]))));
        }
    }
    Fingerprint {
        keys: [
            mix(exact),
            mix(minima[0] ^ mix(minima[1]) ^ 1),
            mix(minima[2] ^ mix(minima[3]) ^ 2),
        ],
    }
}

/// A bounded count of how many articles in a recent window hold each fingerprint.
#[derive(Debug, Clone)]
pub struct RepetitionIndex {
    counters: Vec<u16>,
    width_bits: u32,
    window: usize,
    since_decay: usize,
}

const DEPTH: usize = 3;

impl RepetitionIndex {
    /// An index with `2^width_bits` counters per row (3 rows of u16) that halves its counts
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
            near: other(self.count(print.keys[1]).max(self.count(print.keys[2]))),
        }
    }
}

impl Default for RepetitionIndex {
    /// 3 x 2^17 counters (768 KB) halved every 20,000 articles.
    fn default() -> Self {
        RepetitionIndex::new(17, 20_000)
    }
}

/// Repeats of every paragraph of a set of articles held in memory, counted over the set.
pub fn repeats_within<S: AsRef<str> + Sync>(articles: &[Vec<S>]) -> Vec<Vec<Repeats>> {
    use rayon::prelude::*;
    let prints: Vec<Vec<Fingerprint>> = articles
        .par_iter()
        .map(|a| a.iter().map(|t| fingerprint(t.as_ref())).collect())
        .collect();
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
        let articles = vec![
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
        let repeats = repeats_within(&articles);
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
