//! Repetition: boilerplate repeats across the articles of a feed (the same appeal, the same
//! newsletter box, the same credit line), reporting rarely does. This module counts, for
//! each paragraph, how many other articles in a window of the input hold the same paragraph
//! (after normalisation) or a near-duplicate of it (MinHash over word 3-gram shingles, so
//! "2 free articles left" and "3 free articles left" meet).
//!
//! Counting uses a count-min sketch of fixed size, so memory stays bounded however long the
//! stream; counters are halved every `window` articles, which makes the counts describe the
//! recent part of the stream rather than all of it.
//!
//! A syndicated story (wire copy run by hundreds of outlets, the same article under other
//! ids) repeats too, but as a whole article, where a template repeats in articles that are
//! otherwise different. So whole articles are counted as well, by MinHash bands over their
//! body-like paragraphs, and a paragraph's count leaves out the copies of its own article.

use crate::text::fingerprint::{mix, Fingerprint, SEEDS};

/// How many other articles hold this paragraph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Repeats {
    /// Articles with the same normalised text.
    pub exact: u32,
    /// Articles with a near-duplicate (sharing a MinHash band).
    pub near: u32,
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

    /// Counts one article: each distinct key of its paragraphs once, and its article bands.
    pub fn add_article(&mut self, prints: &[Fingerprint]) {
        let mut keys: Vec<u64> = prints.iter().flat_map(|p| p.keys).collect();
        keys.extend(article_bands(prints).into_iter().flatten());
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

    /// How many other articles hold `print`, for an article already added, copies of the
    /// same article included.
    pub fn repeats(&self, print: &Fingerprint) -> Repeats {
        let other = |n: u32| n.saturating_sub(1);
        Repeats {
            exact: other(self.count(print.keys[0])),
            near: other(self.count(print.keys[1])),
        }
    }

    /// How many other articles that are not copies of this one hold each of its
    /// paragraphs, for an article already added: the repetition that marks a template.
    pub fn repeats_in_article(&self, prints: &[Fingerprint]) -> Vec<Repeats> {
        let copies = article_bands(prints)
            .map(|bands| {
                bands
                    .iter()
                    .map(|&band| self.count(band).saturating_sub(1))
                    .max()
                    .unwrap_or(0)
            })
            .unwrap_or(0);
        prints
            .iter()
            .map(|print| {
                let all = self.repeats(print);
                Repeats {
                    exact: all.exact.saturating_sub(copies),
                    near: all.near.saturating_sub(copies),
                }
            })
            .collect()
    }
}

/// Bands of an article with at least [`MIN_BODY_PARAGRAPHS`] body-like paragraphs: each
/// band is the two smallest of the body paragraphs' exact keys under its own hash, so two
/// copies of a story share a band with probability J squared per band (J: the share of
/// body paragraphs they have in common), and an article differs in every band from others
/// that only share a template paragraph or two with it.
fn article_bands(prints: &[Fingerprint]) -> Option<[u64; ARTICLE_BANDS]> {
    let body = prints.iter().filter(|p| p.body).count();
    if body < MIN_BODY_PARAGRAPHS {
        return None;
    }
    let mut bands = [0u64; ARTICLE_BANDS];
    for (b, band) in bands.iter_mut().enumerate() {
        let seed = ARTICLE_SEEDS[b];
        let (mut first, mut second) = (u64::MAX, u64::MAX);
        for p in prints.iter().filter(|p| p.body) {
            let h = mix(p.keys[0] ^ seed);
            if h < first {
                second = first;
                first = h;
            } else if h < second && h != first {
                second = h;
            }
        }
        *band = mix(first ^ second.rotate_left(29) ^ seed);
    }
    Some(bands)
}

/// Bands per article: four bands of two minima find a copy sharing 80% of its body
/// paragraphs with probability 1 - (1 - 0.64)^4, about 0.98.
const ARTICLE_BANDS: usize = 4;

/// Body-like paragraphs an article needs before it is compared whole: shorter pages (a
/// one-paragraph record, a brief) are compared paragraph by paragraph only, so a feed of
/// one paragraph per record keeps its template evidence.
const MIN_BODY_PARAGRAPHS: usize = 3;

const ARTICLE_SEEDS: [u64; ARTICLE_BANDS] = [
    0x6a09_e667_f3bc_c908,
    0xbb67_ae85_84ca_a73b,
    0x3c6e_f372_fe94_f82b,
    0xa54f_f53a_5f1d_36f1,
];

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
    prints.iter().map(|p| index.repeats_in_article(p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::features::fingerprint;

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
    fn copies_of_a_whole_article_are_not_counted_as_template_repetition() {
        let story = [
            "The regional council approved a new ferry terminal on Tuesday after two years of consultation.",
            "Construction will begin in the spring and is expected to take eighteen months to finish.",
            "Residents who opposed the plan said they would appeal the decision to the national tribunal.",
            "Sign up for our free newsletter",
        ];
        let other = |i: usize| {
            vec![
                format!("A different story number {i} about the harbour and its fishing fleet this week."),
                format!("Its second paragraph {i} says something else again about boats and nets entirely."),
                format!("And a third paragraph {i} that is long enough to count as the body of a story."),
                "Sign up for our free newsletter".to_string(),
            ]
        };
        let mut articles: Vec<Vec<String>> =
            (0..5).map(|_| story.map(String::from).to_vec()).collect();
        articles.extend((0..3).map(other));
        let prints: Vec<Vec<Fingerprint>> = articles
            .iter()
            .map(|a| a.iter().map(|t| fingerprint(t)).collect())
            .collect();
        let repeats = repeats_within(&prints);
        // The story's body: five copies, no template repetition.
        assert_eq!(repeats[0][0].exact, 0, "{:?}", repeats[0]);
        assert_eq!(repeats[4][1].exact, 0);
        // The newsletter line is in four different articles (the copies count once).
        assert_eq!(repeats[0][3].exact, 3, "{:?}", repeats[0]);
        assert_eq!(
            repeats[5][3].exact, 7,
            "the other stories see all eight articles"
        );
        // Short articles are never compared whole.
        let short: Vec<Vec<Fingerprint>> = (0..3).map(|_| vec![fingerprint(story[0])]).collect();
        assert_eq!(repeats_within(&short)[0][0].exact, 2);
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
