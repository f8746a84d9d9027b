//! Fingerprints of paragraphs, for counting repetition across articles: each paragraph's
//! exact normalised form and a MinHash band over its word 3-gram shingles (so "2 free
//! articles left" and "3 free articles left" meet). The counting itself is
//! [`crate::model::repetition`].

/// The keys of one paragraph: its exact normalised form and one MinHash band of two
/// hashes (two articles whose paragraphs share a fraction J of their 3-word shingles share
/// the band with probability J squared: 0.81 for a template with one number changed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    pub(crate) keys: [u64; 2],
    /// The paragraph is long enough to be body text ([`BODY_WORDS`] words or more): what
    /// tells one story from another when whole articles are compared.
    pub(crate) body: bool,
}

/// Words from which a paragraph counts as body-like for comparing whole articles.
pub(crate) const BODY_WORDS: usize = 12;

pub(crate) const SEEDS: [u64; 4] = [
    0x51_7cc1_b727_220a,
    0x94d0_49bb_1331_11eb,
    0xbf58_476d_1ce4_e5b9,
    0x2545_f491_4f6c_dd1d,
];

pub(crate) fn mix(mut x: u64) -> u64 {
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
            body: self.count >= BODY_WORDS,
        }
    }
}
