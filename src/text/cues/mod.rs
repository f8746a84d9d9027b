//! Cues: surface patterns that captions, appeals and page furniture carry across publishers
//! (credit lines, agency names, currency amounts, imperative asks, timestamps...). Each cue
//! becomes one feature, so the model can learn them from a few examples and carry them to
//! publishers whose wording it has never seen.
//!
//! The cues were regular expressions compiled into one lazy DFA; compiling it cost 2.5-3.5
//! ms of every start and the DFA's warm-up most of a cold pass, paid again per thread
//! (docs/decisions.md, "Cue compilation"). They are now matched by hand in one pass over
//! the paragraph's bytes:
//!
//! - word and phrase cues (`\b(said|says|according to)\b`) are phrase tables keyed by the
//!   hash of their first (ASCII-lowercased) word, looked up once per word of the text; the
//!   rest of a phrase is compared byte by byte after that word;
//! - anchored cues (`^\W*(...)`, `(...)\W*$`) are phrases that must sit at the first or
//!   last word;
//! - structural cues (credits in parentheses at the end, datelines, durations, currency
//!   amounts, dates...) are small scanners over the bytes.
//!
//! The regex semantics are kept: bytes, ASCII case folding, ASCII `\w`, `\s` and `\b`
//! (non-ASCII bytes are non-word). The regular expressions they replace live on in the
//! tests as an oracle, checked against every paragraph of data/; the few places the
//! matcher deliberately differs are marked "Differs:" in src/text/cues/phrases.rs.

/// The cues, by name, in table order. Names are stored in feature hashes: adding, renaming
/// or changing one changes the features, so bump `crate::model::file::FORMAT_VERSION` when
/// editing a cue.
const NAMES: [&str; 37] = [
    // Captions and credits.
    "credit_slash_paren_end",
    "paren_end",
    "square_end",
    "credit_label",
    "photo_by",
    "agency_name",
    "credit_tail",
    "gallery_words",
    "counter",
    "duration",
    "video_placeholder",
    "slash_credit",
    "copyright",
    // Appeals.
    "currency_amount",
    "per_period",
    "appeal_start",
    "appeal_words",
    "our_journalism",
    "button_end",
    "short_button",
    // Furniture.
    "newsletter",
    "share_follow",
    "teaser_start",
    "timestamp",
    "date",
    "byline",
    "contact",
    "legal",
    "disclaimer",
    "advert",
    "comments",
    "republish",
    "bio",
    // Reporting.
    "quote_start",
    "speech_verb",
    "dateline",
    "story_actors",
];

mod bytes;
mod phrases;
mod scanners;
#[cfg(test)]
mod tests;

use bytes::*;
use phrases::*;
use scanners::*;

/// Word prefixes (`\b(donat\w*)\b`): any word that starts with one.
const PREFIXES: &[(u8, &[u8])] = &[
    (APPEAL_WORDS, b"donat"),
    (REPUBLISH, b"republish"),
    (REPUBLISH, b"reprint"),
    (REPUBLISH, b"syndicat"),
];

/// Currency codes a digit may follow without a space (`INR500`).
const CURRENCY_CODES: &[&[u8]] = &[
    b"rs", b"inr", b"usd", b"aud", b"cad", b"nzd", b"eur", b"gbp",
];

#[inline]
fn mix(h: u64, c: u8) -> u64 {
    (h ^ LOWER[c as usize] as u64).wrapping_mul(FNV_PRIME)
}

/// One expanded phrase: the cue, where it must sit, and what follows its first word.
#[derive(Debug, Clone, Copy)]
struct Phrase {
    cue: u8,
    anchor: Anchor,
    rest: &'static [u8],
}

/// The phrase tables, made at compile time by build.rs from [`PHRASES`]
/// (src/text/cues/phrases.rs): an open-addressing table of first-word hashes (8 bytes a
/// slot, so it stays in L1; 0 marks an empty slot), each slot's word and phrases beside.
mod generated {
    use super::{Anchor, Phrase};
    include!(concat!(env!("OUT_DIR"), "/cue_tables.rs"));
}
use generated::{KEYS, LONGEST_WORD, PHRASE_LIST, SHIFT, SLOTS, WORDS};

/// The phrases whose first word is `word` (its hash `hash`).
#[inline]
fn lookup(hash: u64, word: &[u8]) -> Option<&'static [Phrase]> {
    let mask = KEYS.len() - 1;
    let mut i = slot_of(hash, SHIFT);
    loop {
        let key = KEYS[i];
        if key == 0 {
            return None;
        }
        if key == hash {
            let (w0, w1, p0, p1) = SLOTS[i];
            if WORDS[w0 as usize..w1 as usize].eq_ignore_ascii_case(word) {
                return Some(&PHRASE_LIST[p0 as usize..p1 as usize]);
            }
        }
        i = (i + 1) & mask;
    }
}

/// Matches `rest` (an expanded phrase after its first word) at `i`; returns where it ends.
fn match_rest(b: &[u8], mut i: usize, rest: &[u8]) -> Option<usize> {
    for &c in rest {
        match c {
            ONE_SPACE => {
                if i < b.len() && is_space(b[i]) {
                    i += 1
                } else {
                    return None;
                }
            }
            SPACES => {
                if i < b.len() && is_space(b[i]) {
                    i = skip_spaces(b, i + 1)
                } else {
                    return None;
                }
            }
            _ => {
                if i < b.len() && LOWER[b[i] as usize] == c {
                    i += 1
                } else {
                    return None;
                }
            }
        }
    }
    Some(i)
}

/// The cue matcher. Its tables are made at compile time (build.rs), and need no
/// warm-up: a cold pass costs what a warm one does.
pub struct Cues {
    /// Each cue's name hashed as a feature token, in table order.
    hashes: [u64; NAMES.len()],
}

impl Default for Cues {
    fn default() -> Self {
        Cues {
            hashes: NAMES.map(crate::text::features::cue_hash),
        }
    }
}

impl Cues {
    /// Calls `each` with the name and feature hash of every cue found in `text`, in table
    /// order.
    pub fn for_each_match(&self, text: &str, mut each: impl FnMut(&'static str, u64)) {
        let mut found = self.scan(text.as_bytes());
        while found != 0 {
            let index = found.trailing_zeros() as usize;
            each(NAMES[index], self.hashes[index]);
            found &= found - 1;
        }
    }

    /// The names of the cues found in `text` (for tests and tools).
    pub fn matches(&self, text: &str) -> Vec<&'static str> {
        let mut out = Vec::new();
        self.for_each_match(text, |name, _| out.push(name));
        out
    }

    /// Every cue name, in table order.
    pub fn names() -> impl Iterator<Item = &'static str> {
        NAMES.iter().copied()
    }

    /// The cues found in `b`, one bit per cue in table order.
    fn scan(&self, b: &[u8]) -> u64 {
        let mut found = 0u64;
        let n = b.len();
        let last_word_end = b.iter().rposition(|&c| is_word(c)).map_or(0, |i| i + 1);
        let mut first = true;
        let mut i = 0;
        while i < n {
            let class = CLASS[b[i] as usize];
            if class & WORD == 0 {
                if class & SPECIAL != 0 {
                    found |= special(b, i);
                }
                i += 1;
                continue;
            }
            let p = i;
            let mut hash = FNV_OFFSET;
            let mut classes = 0u8;
            while i < n {
                let class = CLASS[b[i] as usize];
                if class & WORD == 0 {
                    break;
                }
                classes |= class;
                hash = mix(hash, b[i]);
                i += 1;
            }
            found |= self.word(b, p, i, hash | 1, classes, first, last_word_end);
            first = false;
        }
        found | whole_text(b)
    }

    /// The cues that start at the word `b[p..q]`.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn word(
        &self,
        b: &[u8],
        p: usize,
        q: usize,
        hash: u64,
        classes: u8,
        first: bool,
        last_word_end: usize,
    ) -> u64 {
        let mut found = 0u64;
        let word = &b[p..q];
        if word.len() <= LONGEST_WORD {
            if let Some(phrases) = lookup(hash, word) {
                for phrase in phrases {
                    let bit = 1u64 << phrase.cue;
                    if found & bit != 0 {
                        continue;
                    }
                    if matches!(phrase.anchor, Anchor::Start | Anchor::Whole) && !first {
                        continue;
                    }
                    let Some(e) = match_rest(b, q, phrase.rest) else {
                        continue;
                    };
                    let ok = match phrase.anchor {
                        Anchor::Word | Anchor::Start => boundary(b, e),
                        Anchor::Open => true,
                        Anchor::End | Anchor::Whole => e == last_word_end,
                        Anchor::DigitAfter => {
                            boundary(b, e)
                                && b[e..]
                                    .iter()
                                    .take(25)
                                    .take_while(|c| **c != b'\n')
                                    .any(|c| is_digit(*c))
                        }
                        Anchor::DigitNext => is_digit(at(b, e)),
                    };
                    if ok {
                        found |= bit;
                    }
                }
            }
        }
        if word.len() >= 5 && matches!(LOWER[b[p] as usize], b'd' | b'r' | b's') {
            for &(cue, prefix) in PREFIXES {
                if starts_ci(word, 0, prefix) {
                    found |= 1 << cue;
                }
            }
        }
        if classes & DIGIT != 0 {
            if is_digit(b[p]) {
                found |= digit_word(b, p, q);
            } else if CURRENCY_CODES
                .iter()
                .any(|code| starts_ci(word, 0, code) && is_digit(at(word, code.len())))
            {
                // `INR500`: the code and the amount in one word.
                found |= 1 << CURRENCY_AMOUNT;
            }
        } else if (3..=10).contains(&word.len()) && month_word(word) && date_after_month(b, q) {
            found |= 1 << DATE;
        }
        found
    }
}
