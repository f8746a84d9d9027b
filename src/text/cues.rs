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
//! matcher deliberately differs are marked "Differs:" in src/text/cue_phrases.rs.

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

use crate::text::cue_phrases::*;

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

// Byte classes, looked up.
const WORD: u8 = 1;
const SPACE: u8 = 2;
const DIGIT: u8 = 4;
const UPPER: u8 = 8;
/// Non-word bytes some cue starts at: `$ / @ . : ( <` and the lead bytes of £ ¥ © € ₹.
const SPECIAL: u8 = 16;

const CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        table[i] = if c.is_ascii_digit() {
            WORD | DIGIT
        } else if c.is_ascii_uppercase() {
            WORD | UPPER
        } else if c.is_ascii_alphabetic() || c == b'_' {
            WORD
        } else if matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ') {
            SPACE
        } else if matches!(
            c,
            b'$' | b'/' | b'@' | b'.' | b':' | b'(' | b'<' | 0xc2 | 0xe2
        ) {
            SPECIAL
        } else {
            0
        };
        i += 1;
    }
    table
};

const LOWER: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = (i as u8).to_ascii_lowercase();
        i += 1;
    }
    table
};

#[inline]
fn is_word(c: u8) -> bool {
    CLASS[c as usize] & WORD != 0
}

#[inline]
fn is_space(c: u8) -> bool {
    CLASS[c as usize] & SPACE != 0
}

#[inline]
fn is_digit(c: u8) -> bool {
    c.is_ascii_digit()
}

/// `\b` at `i`: a word byte on exactly one side (the ends count as non-word).
#[inline]
fn boundary(b: &[u8], i: usize) -> bool {
    let before = i > 0 && is_word(b[i - 1]);
    let after = i < b.len() && is_word(b[i]);
    before != after
}

fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

/// `b[i..]` starts with `lit` (lowercase), ASCII case folded.
fn starts_ci(b: &[u8], i: usize, lit: &[u8]) -> bool {
    b.len() >= i + lit.len() && b[i..i + lit.len()].eq_ignore_ascii_case(lit)
}

/// `b[..end]` ends with `lit` (lowercase), ASCII case folded.
fn ends_ci(b: &[u8], end: usize, lit: &[u8]) -> bool {
    end >= lit.len() && b[end - lit.len()..end].eq_ignore_ascii_case(lit)
}

/// Number of digits from `i`.
fn digits(b: &[u8], i: usize) -> usize {
    b[i.min(b.len())..]
        .iter()
        .take_while(|c| is_digit(**c))
        .count()
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    i
}

fn trim_spaces_end(b: &[u8], mut end: usize) -> usize {
    while end > 0 && is_space(b[end - 1]) {
        end -= 1;
    }
    end
}

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
/// (src/text/cue_phrases.rs): an open-addressing table of first-word hashes (8 bytes a
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

const MONTHS: [&[u8; 3]; 12] = [
    b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec",
];

/// The months' first three letters as little-endian numbers, compared at once.
const MONTH_KEYS: [u32; 12] = {
    let mut keys = [0u32; 12];
    let mut i = 0;
    while i < 12 {
        keys[i] = u32::from_le_bytes([MONTHS[i][0], MONTHS[i][1], MONTHS[i][2], 0]);
        i += 1;
    }
    keys
};

/// `(jan|...|sept|...)[a-z]{0,6}` as a whole word.
fn month_word(word: &[u8]) -> bool {
    if word.len() < 3
        || !matches!(
            LOWER[word[0] as usize],
            b'j' | b'f' | b'm' | b'a' | b's' | b'o' | b'n' | b'd'
        )
    {
        return false;
    }
    let head = u32::from_le_bytes([
        LOWER[word[0] as usize],
        LOWER[word[1] as usize],
        LOWER[word[2] as usize],
        0,
    ]);
    let month = MONTH_KEYS.contains(&head);
    let fits = word.len() <= 9
        || (word.len() == 10 && LOWER[word[3] as usize] == b't' && head == MONTH_KEYS[8]);
    month && fits && word.iter().all(u8::is_ascii_alphabetic)
}

/// After a month word at `i`: `\.?\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{4}\b`.
fn date_after_month(b: &[u8], mut i: usize) -> bool {
    if at(b, i) == b'.' {
        i += 1;
    }
    if !is_space(at(b, i)) {
        return false;
    }
    i = skip_spaces(b, i);
    let d = digits(b, i);
    if !(1..=2).contains(&d) {
        return false;
    }
    i += d;
    if ORDINALS.iter().any(|o| starts_ci(b, i, o)) {
        i += 2;
    }
    if at(b, i) == b',' {
        i += 1;
    }
    if !is_space(at(b, i)) {
        return false;
    }
    i = skip_spaces(b, i);
    four_digits_word_end(b, i)
}

const ORDINALS: [&[u8]; 4] = [b"st", b"nd", b"rd", b"th"];

/// `\d{4}\b` at `i`.
fn four_digits_word_end(b: &[u8], i: usize) -> bool {
    digits(b, i) >= 4 && !is_word(at(b, i + 4))
}

/// The cues a word starting with a digit starts (`b[p..q]`, `p` at a word start):
/// clock times, "3 hours ago", dates and amounts.
fn digit_word(b: &[u8], p: usize, q: usize) -> u64 {
    let mut found = 0u64;
    let d = digits(b, p);
    // timestamp: \d{1,2}[:.]\d{2}\s?(am|pm|a\.m\.|p\.m\.)
    if (1..=2).contains(&d) && q == p + d && matches!(at(b, q), b':' | b'.') {
        let mut i = q + 1;
        if is_digit(at(b, i)) && is_digit(at(b, i + 1)) {
            i += 2;
            if is_space(at(b, i)) {
                i += 1;
            }
            if [&b"am"[..], b"pm", b"a.m.", b"p.m."]
                .iter()
                .any(|s| starts_ci(b, i, s))
            {
                found |= 1 << TIMESTAMP;
            }
        }
    }
    // timestamp: \d+\s+(minutes?|hours?|days?|mins?|hrs?)\s+ago\b
    if q == p + d && is_space(at(b, q)) {
        let i = skip_spaces(b, q);
        let unit_end = i + b[i..].iter().take_while(|c| is_word(**c)).count();
        let unit = &b[i..unit_end];
        if [
            &b"minute"[..],
            b"minutes",
            b"hour",
            b"hours",
            b"day",
            b"days",
            b"min",
            b"mins",
            b"hr",
            b"hrs",
        ]
        .iter()
        .any(|u| unit.eq_ignore_ascii_case(u))
            && is_space(at(b, unit_end))
        {
            let j = skip_spaces(b, unit_end);
            if starts_ci(b, j, b"ago") && !is_word(at(b, j + 3)) {
                found |= 1 << TIMESTAMP;
            }
        }
    }
    // date: \d{4}-\d{2}-\d{2}\b
    if d == 4
        && q == p + 4
        && at(b, q) == b'-'
        && digits(b, q + 1) == 2
        && at(b, q + 3) == b'-'
        && digits(b, q + 4) >= 2
        && !is_word(at(b, q + 6))
    {
        found |= 1 << DATE;
    }
    // date: \d{1,2}(st|nd|rd|th)?\s+(month)[a-z]{0,6}\.?,?\s+\d{4}\b
    if (1..=2).contains(&d)
        && (q == p + d || (q == p + d + 2 && ORDINALS.iter().any(|o| starts_ci(b, p + d, o))))
        && is_space(at(b, q))
    {
        let i = skip_spaces(b, q);
        let end = i + b[i..].iter().take_while(|c| is_word(**c)).count();
        if (3..=10).contains(&(end - i)) && month_word(&b[i..end]) {
            let mut j = end;
            if at(b, j) == b'.' {
                j += 1;
            }
            if at(b, j) == b',' {
                j += 1;
            }
            if is_space(at(b, j)) && four_digits_word_end(b, skip_spaces(b, j)) {
                found |= 1 << DATE;
            }
        }
    }
    // date: \d{1,2}/\d{1,2}/\d{2,4}\b
    if (1..=2).contains(&d) && q == p + d && at(b, q) == b'/' {
        let d2 = digits(b, q + 1);
        if (1..=2).contains(&d2) && at(b, q + 1 + d2) == b'/' {
            let i = q + 2 + d2;
            let d3 = digits(b, i);
            if (2..=4).contains(&d3) && !is_word(at(b, i + d3)) {
                found |= 1 << DATE;
            }
        }
    }
    // currency_amount: \d+(\.\d+)?\s?(dollars|pounds|euros|cents|pence|rupees|rand)\b
    let mut i = p + d;
    if at(b, i) == b'.' && is_digit(at(b, i + 1)) {
        i += 1 + digits(b, i + 1);
    }
    if is_space(at(b, i)) {
        i += 1;
    }
    let end = i + b[i..].iter().take_while(|c| is_word(**c)).count();
    if [
        &b"dollars"[..],
        b"pounds",
        b"euros",
        b"cents",
        b"pence",
        b"rupees",
        b"rand",
    ]
    .iter()
    .any(|u| b[i..end].eq_ignore_ascii_case(u))
    {
        found |= 1 << CURRENCY_AMOUNT;
    }
    found
}

/// `\s?\d` at `i`.
fn space_then_digit(b: &[u8], i: usize) -> bool {
    is_digit(at(b, i)) || (is_space(at(b, i)) && is_digit(at(b, i + 1)))
}

/// `\d\s?` ending at `i`.
fn digit_then_space_before(b: &[u8], i: usize) -> bool {
    (i >= 1 && is_digit(b[i - 1])) || (i >= 2 && is_space(b[i - 1]) && is_digit(b[i - 2]))
}

/// The cues that start at a non-word byte: currency signs, ©, `(c) 2024`, `@` of an
/// e-mail address, `.com`, `/month`, `<iframe`.
#[cold]
fn special(b: &[u8], i: usize) -> u64 {
    let (cue, hit) = match b[i] {
        b'$' => (CURRENCY_AMOUNT, space_then_digit(b, i + 1)),
        0xc2 => match at(b, i + 1) {
            // £ before or after an amount, ¥ before one.
            0xa3 => (
                CURRENCY_AMOUNT,
                space_then_digit(b, i + 2) || digit_then_space_before(b, i),
            ),
            0xa5 => (CURRENCY_AMOUNT, space_then_digit(b, i + 2)),
            0xa9 => (COPYRIGHT, true),
            _ => return 0,
        },
        0xe2 if at(b, i + 1) == 0x82 => match at(b, i + 2) {
            // € before or after an amount, ₹ before one.
            0xac => (
                CURRENCY_AMOUNT,
                space_then_digit(b, i + 3) || digit_then_space_before(b, i),
            ),
            0xb9 => (CURRENCY_AMOUNT, space_then_digit(b, i + 3)),
            _ => return 0,
        },
        // [\w.+-]+@[\w-]+\.[\w.]+
        b'@' => {
            let before = i > 0 && (is_word(b[i - 1]) || matches!(b[i - 1], b'.' | b'+' | b'-'));
            let host = b[i + 1..]
                .iter()
                .take_while(|c| is_word(**c) || **c == b'-')
                .count();
            let dot = i + 1 + host;
            (
                CONTACT,
                before
                    && host > 0
                    && at(b, dot) == b'.'
                    && (is_word(at(b, dot + 1)) || at(b, dot + 1) == b'.'),
            )
        }
        // \.com\b|\.org\b|\.co\.uk\b|www\.
        b'.' => {
            let j = i + 1;
            (
                CONTACT,
                ((starts_ci(b, j, b"com") || starts_ci(b, j, b"org")) && !is_word(at(b, j + 3)))
                    || (starts_ci(b, j, b"co.uk") && !is_word(at(b, j + 5)))
                    || (i >= 3 && b[i - 3..i].eq_ignore_ascii_case(b"www")),
            )
        }
        // https?://
        b':' => (
            CONTACT,
            b[i + 1..].starts_with(b"//") && (ends_ci(b, i, b"http") || ends_ci(b, i, b"https")),
        ),
        // \b/\s?(month|year|week|mo|yr|day)\b
        b'/' if i > 0 && is_word(b[i - 1]) => {
            let mut j = i + 1;
            if is_space(at(b, j)) {
                j += 1;
            }
            let end = j + b[j..].iter().take_while(|c| is_word(**c)).count();
            (
                PER_PERIOD,
                [&b"month"[..], b"year", b"week", b"mo", b"yr", b"day"]
                    .iter()
                    .any(|u| b[j..end].eq_ignore_ascii_case(u)),
            )
        }
        // \(c\)\s*\d{4}
        b'(' => (
            COPYRIGHT,
            starts_ci(b, i + 1, b"c)") && digits(b, skip_spaces(b, i + 3)) >= 4,
        ),
        b'<' => (VIDEO_PLACEHOLDER, starts_ci(b, i + 1, b"iframe")),
        _ => return 0,
    };
    if hit {
        1 << cue
    } else {
        0
    }
}

/// The cues that look at the whole paragraph, mostly its start or end.
fn whole_text(b: &[u8]) -> u64 {
    let mut found = 0u64;
    let start = b.iter().position(|&c| is_word(c));
    if let Some(p) = start {
        found |= at_first_word(b, p);
    }
    if quote_start(b) {
        found |= 1 << QUOTE_START;
    }
    if dateline(b) {
        found |= 1 << DATELINE;
    }
    found |= bracket_end(b);
    if credit_tail(b) {
        found |= 1 << CREDIT_TAIL;
    }
    if duration(b) {
        found |= 1 << DURATION;
    }
    if slash_credit(b) {
        found |= 1 << SLASH_CREDIT;
    }
    found
}

/// Cues anchored at the first word (at `p`): counter, the glued "VIDEO3:45", byline, bio.
fn at_first_word(b: &[u8], p: usize) -> u64 {
    let mut found = 0u64;
    // counter: ^\W*((image|photo|slide|picture|item)\s*)?\d{1,3}\s*(of|/)\s*\d{1,3}\b
    let counter_at = |i: usize| {
        let d = digits(b, i);
        if !(1..=3).contains(&d) {
            return false;
        }
        let mut j = skip_spaces(b, i + d);
        if starts_ci(b, j, b"of") {
            j += 2;
        } else if at(b, j) == b'/' {
            j += 1;
        } else {
            return false;
        }
        j = skip_spaces(b, j);
        let d2 = digits(b, j);
        (1..=3).contains(&d2) && !is_word(at(b, j + d2))
    };
    let counted = counter_at(p)
        || [&b"image"[..], b"photo", b"slide", b"picture", b"item"]
            .iter()
            .any(|w| starts_ci(b, p, w) && counter_at(skip_spaces(b, p + w.len())));
    if counted {
        found |= 1 << COUNTER;
    }
    // video_placeholder: ^\W*video\s*\d{1,2}:\d{2}
    if starts_ci(b, p, b"video") {
        let i = skip_spaces(b, p + 5);
        let d = digits(b, i);
        if (1..=2).contains(&d) && at(b, i + d) == b':' && digits(b, i + d + 1) >= 2 {
            found |= 1 << VIDEO_PLACEHOLDER;
        }
    }
    // byline: ^\W*(By|BY|Written by|...)\s+[A-Z] (case-sensitive)
    for label in [
        &b"By"[..],
        b"BY",
        b"Written by",
        b"Words by",
        b"Reporting by",
        b"Story by",
        b"Report by",
        b"Interview by",
    ] {
        if b[p..].starts_with(label) && is_space(at(b, p + label.len())) {
            let i = skip_spaces(b, p + label.len());
            if at(b, i).is_ascii_uppercase() {
                found |= 1 << BYLINE;
                break;
            }
        }
    }
    if bio(b, p) {
        found |= 1 << BIO;
    }
    found
}

/// `[A-Z]\w+ ` at `i`; returns where it ends (after the space).
fn capitalised_word_space(b: &[u8], i: usize) -> Option<usize> {
    if !at(b, i).is_ascii_uppercase() {
        return None;
    }
    let n = b[i..].iter().take_while(|c| is_word(**c)).count();
    (n >= 2 && at(b, i + n) == b' ').then_some(i + n + 1)
}

/// bio: `^\W*[A-Z]\w+ ([A-Z]\w+ )?(is|was) (a|an|the) ([\w-]+ ){0,4}(reporter|...)\b`,
/// case-sensitive, with the first word at `p`.
fn bio(b: &[u8], p: usize) -> bool {
    let Some(mut i) = capitalised_word_space(b, p) else {
        return false;
    };
    if let Some(j) = capitalised_word_space(b, i) {
        i = j;
    }
    let Some(j) = [&b"is "[..], b"was "]
        .iter()
        .find(|w| b[i..].starts_with(w))
        .map(|w| i + w.len())
    else {
        return false;
    };
    i = j;
    let Some(j) = [&b"a "[..], b"an ", b"the "]
        .iter()
        .find(|w| b[i..].starts_with(w))
        .map(|w| i + w.len())
    else {
        return false;
    };
    i = j;
    const JOBS: [&[u8]; 9] = [
        b"reporter",
        b"writer",
        b"editor",
        b"correspondent",
        b"journalist",
        b"columnist",
        b"contributor",
        b"producer",
        b"photographer",
    ];
    for _ in 0..=4 {
        if JOBS
            .iter()
            .any(|job| b[i..].starts_with(job) && !is_word(at(b, i + job.len())))
        {
            return true;
        }
        let n = b[i..]
            .iter()
            .take_while(|c| is_word(**c) || **c == b'-')
            .count();
        if n == 0 || at(b, i + n) != b' ' {
            return false;
        }
        i += n + 1;
    }
    false
}

/// quote_start: `^\W{0,6}("|“|‘|'|«)`.
fn quote_start(b: &[u8]) -> bool {
    for i in 0..=6.min(b.len()) {
        let rest = &b[i..];
        if rest.starts_with(b"\"")
            || rest.starts_with(b"'")
            || rest.starts_with("\u{201c}".as_bytes())
            || rest.starts_with("\u{2018}".as_bytes())
            || rest.starts_with("\u{ab}".as_bytes())
        {
            return true;
        }
        if i < b.len() && is_word(b[i]) {
            return false;
        }
    }
    false
}

/// dateline: `^[A-Z][A-Z .,'-]{2,40}(\([^)]{1,30}\))?\s*(—|–|-){1,2}\s` (case-sensitive).
fn dateline(b: &[u8]) -> bool {
    if !at(b, 0).is_ascii_uppercase() {
        return false;
    }
    let run = b[1..]
        .iter()
        .take(40)
        .take_while(|c| c.is_ascii_uppercase() || matches!(**c, b' ' | b'.' | b',' | b'\'' | b'-'))
        .count();
    let dashes_then_space = |mut i: usize| {
        i = skip_spaces(b, i);
        let mut dashes = 0;
        while dashes < 2 {
            if at(b, i) == b'-' {
                i += 1;
            } else if b[i.min(b.len())..].starts_with("\u{2014}".as_bytes())
                || b[i.min(b.len())..].starts_with("\u{2013}".as_bytes())
            {
                i += 3;
            } else {
                break;
            }
            dashes += 1;
            // One dash then the space, or a second dash then the space.
            if is_space(at(b, i)) {
                return true;
            }
        }
        false
    };
    for k in 2..=run {
        let i = 1 + k;
        if at(b, i) == b'(' {
            let inner = b[i + 1..]
                .iter()
                .take(31)
                .take_while(|c| **c != b')')
                .count();
            if (1..=30).contains(&inner)
                && at(b, i + 1 + inner) == b')'
                && dashes_then_space(i + 2 + inner)
            {
                return true;
            }
        }
        if dashes_then_space(i) {
            return true;
        }
    }
    false
}

/// credit_slash_paren_end (`\([^()]{1,80}/[^()]{1,60}\)\s*\.?\s*$`), paren_end
/// (`\([^()]{2,60}\)\s*\.?\s*$`) and square_end (`\[[^\[\]]{2,40}\]\s*$`).
fn bracket_end(b: &[u8]) -> u64 {
    let mut found = 0u64;
    let mut end = trim_spaces_end(b, b.len());
    if end > 0 && b[end - 1] == b']' {
        let close = end - 1;
        let from = close.saturating_sub(41);
        if let Some(open) = b[from..close]
            .iter()
            .rposition(|c| matches!(*c, b'[' | b']'))
            .map(|k| from + k)
        {
            if b[open] == b'[' && (2..=40).contains(&(close - open - 1)) {
                found |= 1 << SQUARE_END;
            }
        }
    }
    if end > 0 && b[end - 1] == b'.' {
        end = trim_spaces_end(b, end - 1);
    }
    if end > 0 && b[end - 1] == b')' {
        let close = end - 1;
        let from = close.saturating_sub(142);
        if let Some(open) = b[from..close]
            .iter()
            .rposition(|c| matches!(*c, b'(' | b')'))
            .map(|k| from + k)
        {
            let inner = &b[open + 1..close];
            if b[open] == b'(' {
                if (2..=60).contains(&inner.len()) {
                    found |= 1 << PAREN_END;
                }
                if inner.iter().enumerate().any(|(k, c)| {
                    *c == b'/' && (1..=80).contains(&k) && (1..=60).contains(&(inner.len() - k - 1))
                }) {
                    found |= 1 << CREDIT_SLASH_PAREN_END;
                }
            }
        }
    }
    found
}

/// credit_tail: a credit line's agency after a slash ("Name/AP"), a courtesy or handout
/// tail, or an agency after a comma or bar at the very end ("Name, AP", "Name | Staff"):
/// `(/\s?(ap|afp|...)\b[^.!?]{0,30}|\b(supplied|file photo|handout|courtesy[^.!?]{0,40}))\)?\s*\.?$`
/// `|[,|]\s?(the associated press|...|staff( photo)?)\s*$`.
fn credit_tail(b: &[u8]) -> bool {
    // The `\)?\s*\.?$` tail: `tail_end` is where the free run `[^.!?]{0,n}` must end at the
    // latest, `free_end` where it may run to.
    let free_end = if b.last() == Some(&b'.') {
        b.len() - 1
    } else {
        b.len()
    };
    let mut tail_end = trim_spaces_end(b, free_end);
    if tail_end > 0 && b[tail_end - 1] == b')' {
        tail_end -= 1;
    }
    let stop = |c: &u8| matches!(*c, b'.' | b'!' | b'?');
    // The free run after position `a` fits in `n` bytes.
    let free_run =
        |a: usize, n: usize| a <= tail_end && tail_end - a <= n && !b[a..free_end].iter().any(stop);
    for word in [&b"supplied"[..], b"file photo", b"handout"] {
        if ends_ci(b, tail_end, word)
            && (tail_end == word.len() || !is_word(b[tail_end - word.len() - 1]))
        {
            return true;
        }
    }
    // The slash and courtesy forms start at most 41 and 48 bytes before the tail (a slash,
    // a space, "bloomberg" and 30 free bytes; "courtesy" and 40); `free_run` checks the
    // rest.
    for s in (tail_end.saturating_sub(50)..free_end).rev() {
        if !matches!(b[s], b'/' | b'c' | b'C') {
            continue;
        }
        if b[s] == b'/' {
            let mut i = s + 1;
            if is_space(at(b, i)) {
                i += 1;
            }
            let a = i + b[i..].iter().take_while(|c| is_word(**c)).count();
            if [
                &b"ap"[..],
                b"afp",
                b"reuters",
                b"getty",
                b"pa",
                b"epa",
                b"aap",
                b"bloomberg",
                b"staff",
                b"file",
                b"handout",
                b"supplied",
            ]
            .iter()
            .any(|w| b[i..a].eq_ignore_ascii_case(w))
                && free_run(a, 30)
            {
                return true;
            }
        }
        if starts_ci(b, s, b"courtesy") && (s == 0 || !is_word(b[s - 1])) && free_run(s + 8, 40) {
            return true;
        }
    }
    let end = trim_spaces_end(b, b.len());
    for name in [
        &b"the associated press"[..],
        b"associated press",
        b"ap",
        b"ap photo",
        b"afp",
        b"reuters",
        b"getty images",
        b"bloomberg",
        b"pa",
        b"epa",
        b"aap",
        b"staff",
        b"staff photo",
    ] {
        if ends_ci(b, end, name) {
            let s = end - name.len();
            let mark = |i: usize| matches!(b[i], b',' | b'|');
            if (s >= 1 && mark(s - 1)) || (s >= 2 && is_space(b[s - 1]) && mark(s - 2)) {
                return true;
            }
        }
    }
    false
}

/// duration: `(^|\s)\d{1,2}:\d{2}(:\d{2})?\s*$`.
fn duration(b: &[u8]) -> bool {
    let end = trim_spaces_end(b, b.len());
    // `\d{1,2}:\d{2}` exactly, then `(:\d{2})?` to the end.
    let clock = |s: usize| {
        let d = digits(b, s);
        if !(1..=2).contains(&d) || at(b, s + d) != b':' {
            return false;
        }
        let i = s + d + 1;
        if digits(b, i) < 2 {
            return false;
        }
        i + 2 == end || (i + 5 == end && b[i + 2] == b':' && digits(b, i + 3) >= 2)
    };
    (end.saturating_sub(8)..end.saturating_sub(3))
        .any(|s| (s == 0 || is_space(b[s - 1])) && clock(s))
}

/// `[A-Z][\w.'-]*` (the left side of a slash credit) or `[A-Z&][\w.'&-]*` (the right side
/// beyond its first word); `first` for the right side's first word, `[A-Z][\w.'&-]*`.
fn credit_word(word: &[u8], left: bool, first: bool) -> bool {
    let Some((&c, rest)) = word.split_first() else {
        return false;
    };
    let head = c.is_ascii_uppercase() || (!left && !first && c == b'&');
    head && rest
        .iter()
        .all(|&c| is_word(c) || matches!(c, b'.' | b'\'' | b'-') || (!left && c == b'&'))
}

/// slash_credit: "Name / For Outlet", "Name/Outlet", alone or after the caption's last
/// sentence (case-sensitive):
/// `(^|[.!?]\s+)[A-Z][\w.'-]*(\s[A-Z][\w.'-]*){0,3}\s?/\s?([Ff]or\s)?[A-Z][\w.'&-]*(\s[A-Z&][\w.'&-]*){0,4}\s*$`.
fn slash_credit(b: &[u8]) -> bool {
    // The right side holds only `[\w.'&-]` and white space: walk back over them to the
    // slash.
    let end = trim_spaces_end(b, b.len());
    // At most six white-space bytes: `\s?` after the slash, one after "For" and four
    // between words.
    let mut from = end;
    let mut spaces = 0;
    while from > 0 {
        let c = b[from - 1];
        if is_space(c) {
            spaces += 1;
            if spaces > 6 {
                return false;
            }
        } else if !(is_word(c) || matches!(c, b'.' | b'\'' | b'&' | b'-')) {
            break;
        }
        from -= 1;
    }
    let Some(from) = from.checked_sub(1) else {
        return false;
    };
    if b[from] != b'/' {
        return false;
    }
    let slash = from;
    // Right: \s?([Ff]or\s)?[A-Z][\w.'&-]*(\s[A-Z&][\w.'&-]*){0,4}
    let mut r = slash + 1;
    if is_space(at(b, r)) {
        r += 1;
    }
    let right_ok = |r: usize| {
        if r >= end {
            return false;
        }
        let words: Vec<&[u8]> = b[r..end].split(|c| is_space(*c)).collect();
        words.len() <= 5
            && words
                .iter()
                .enumerate()
                .all(|(k, w)| credit_word(w, false, k == 0))
    };
    let for_ok = (at(b, r) == b'F' || at(b, r) == b'f')
        && at(b, r + 1) == b'o'
        && at(b, r + 2) == b'r'
        && is_space(at(b, r + 3))
        && right_ok(r + 4);
    if !for_ok && !right_ok(r) {
        return false;
    }
    // Left: (^|[.!?]\s+)[A-Z][\w.'-]*(\s[A-Z][\w.'-]*){0,3}\s?
    let left_end = |l: usize| {
        // The words end at `l`: walk back over up to four, separated by one white space.
        let mut l = l;
        for _ in 0..4 {
            let s = b[..l]
                .iter()
                .rposition(|&c| !(is_word(c) || matches!(c, b'.' | b'\'' | b'-')))
                .map_or(0, |i| i + 1);
            if s == l || !credit_word(&b[s..l], true, true) {
                return false;
            }
            // Try each split of the word run: the word may start later (after a full stop
            // that ends a sentence). `s` is the earliest start; a later start needs a
            // `[.!?]\s+` before it, which cannot be inside a word run, so only `s` counts.
            if s == 0 {
                return true;
            }
            if is_space(b[s - 1]) {
                // Either the sentence before ends here, or another word follows.
                let t = trim_spaces_end(b, s);
                if t > 0 && matches!(b[t - 1], b'.' | b'!' | b'?') {
                    return true;
                }
                if s - 1 == t {
                    // Exactly one white space: another word of the name.
                    l = s - 1;
                    continue;
                }
            }
            return false;
        }
        false
    };
    left_end(slash) || (slash > 0 && is_space(b[slash - 1]) && left_end(slash - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(text: &str, cue: &str) -> bool {
        Cues::default().matches(text).contains(&cue)
    }

    /// Asserts that each of `yes` has `cue` and none of `no` has it, and that the regex
    /// oracle (below) says the same.
    fn check(cue: &str, yes: &[&str], no: &[&str]) {
        let k = NAMES.iter().position(|n| *n == cue).expect("a cue name");
        let regex = regex::bytes::Regex::new(&format!("(?-u){}", CUES[k].1)).unwrap();
        for text in yes {
            assert!(has(text, cue), "{cue} not found in {text:?}");
            assert!(
                regex.is_match(text.as_bytes()),
                "{cue}: the regex misses {text:?}"
            );
        }
        for text in no {
            assert!(!has(text, cue), "{cue} found in {text:?}");
            assert!(
                !regex.is_match(text.as_bytes()),
                "{cue}: the regex finds {text:?}"
            );
        }
    }

    #[test]
    fn credit_shapes_are_found() {
        check(
            "credit_slash_paren_end",
            &[
                "The minister arrives at the talks (Jane Roe/PA)",
                "Boats in the bay (Photo: Lee Park / City Archive) . ",
            ],
            &["A quiet street (Lee Park)", "Prices (up 3/4) rose sharply"],
        );
        check(
            "paren_end",
            &[
                "A flooded road near the town. (Getty Images)",
                "Dogs (file).",
            ],
            &["A flooded road (near the town) yesterday", "A road (x)"],
        );
        check(
            "square_end",
            &["The old mill [Photo by Jo Kim]  "],
            &["[Photo by Jo Kim] The old mill", "An aside [x]"],
        );
        check(
            "credit_label",
            &[
                "Photograph: Sam Lee/Reuters",
                "PHOTO BY | Ana",
                "Image by: Ben Cole",
                "Photoby: Kai",
            ],
            &["The photograph was taken at dawn.", "A source said so."],
        );
        check(
            "photo_by",
            &[
                "Fans at the final. Photo by Ana Ruiz",
                "Pictures  courtesy of the family",
            ],
            &["Photography by Ana Ruiz", "The video showed the crash."],
        );
        check(
            "agency_name",
            &[
                "Protesters gather. AP Photo/Kim Doe",
                "Rain in Perth (AAP)",
                "Supplied",
            ],
            &["The gettysburg address", "A map of the area"],
        );
        check(
            "counter",
            &["3 of 12", "— Photo 4/9 —", "SLIDE 10 of 20"],
            &["Item 3 of 1234", "There are 3 of 12 left"],
        );
        check(
            "duration",
            &[
                "Highlights from the match 2:14",
                "Full replay 1:02:33  ",
                "4:05",
            ],
            &["Kick-off at 12:30 tonight", "Match time:2:14"],
        );
        check(
            "slash_credit",
            &[
                "Pat Kimura / For The Gazette",
                "Rooftops in the old town. Pat Kimura/Flickr",
            ],
            &["Sales rose 3/4 of a point.", "the crowd, Pat Kimura/Flickr"],
        );
        check(
            "copyright",
            &[
                "© 2024 The Daily Example",
                "(C) 2019 Example Ltd",
                "Copyright Example Media",
                "All rights reserved.",
            ],
            &[
                "The copyrighted song",
                "Every right was reserved for later.",
            ],
        );
    }

    #[test]
    fn comma_and_bar_credits_end_a_line_but_a_wire_sentence_does_not() {
        check(
            "credit_tail",
            &[
                "Dana Whitfield, AP",
                "Lou Ortiz, The Associated Press",
                "Gina Koval | Staff",
                "A boat at dawn. Ana Ruiz/Getty Images for Example",
                "Kids at play (Ana Ruiz/AP).",
                "The harbour at night. File photo",
                "The twins at home. Courtesy of the Ruiz family",
                "Handout)",
            ],
            &[
                "The talks collapsed on Monday, Reuters reported.",
                "He later joined AP.",
                "The harbour at night/AP. Then more text followed here",
                "Two handouts",
            ],
        );
    }

    #[test]
    fn player_furniture_is_found_even_glued() {
        check(
            "gallery_words",
            &[
                "Media captionDivers search the harbour",
                "Click to enlarge",
                "Above:The pier",
            ],
            &[
                "The media captured it",
                "Above: the pier",
                "A captioned photo",
            ],
        );
        check(
            "video_placeholder",
            &[
                "Playback of this clip is not supported on your device",
                "Your browser doesn't support the video player",
                "VIDEO2:1402:14",
                "<iframe width=\"476\" src=\"x\">",
                "This video can't be played",
                "Video unavailable",
            ],
            &[
                "The footage was not available to reporters until Friday.",
                "A video of 2:14 length",
            ],
        );
    }

    #[test]
    fn appeal_shapes_are_found() {
        check(
            "currency_amount",
            &[
                "Give $10 a month to keep us going",
                "Only 5€",
                "Rs. 500 each",
                "INR500",
                "2.5 dollars",
                "£ 3",
            ],
            &["Dollars and cents", "The 1990s", "rsvp 5"],
        );
        check(
            "per_period",
            &[
                "Give $10 a month to keep us going",
                "$5/month",
                "It rains everyday",
                "billed annually",
            ],
            &["The month of May", "Pay 5 /month"],
        );
        check(
            "appeal_start",
            &[
                "Support our newsroom today",
                "“Please give what you can",
                "While you're here, read this",
            ],
            &["We support our newsroom", "Supporters gathered outside"],
        );
        check(
            "appeal_words",
            &[
                "You have 2 free articles left",
                "Your donation matters",
                "Subscribers get more",
                "Tax-deductible gifts",
            ],
            &["The article was free", "A contributor wrote it"],
        );
        check(
            "our_journalism",
            &[
                "Our journalism is free",
                "We can't do this alone",
                "Readers like you keep us going",
            ],
            &["Their journalism is free", "We can do this"],
        );
        check(
            "button_end",
            &[
                "Read more Support Now",
                "Already a member? Log in »",
                "Maybe later",
            ],
            &[
                "Read more about the support now offered here",
                "Log in to see more",
            ],
        );
        check(
            "short_button",
            &["Donate", " ~ Sign in ~ ", "ONE-TIME"],
            &["Donate now", "Once upon a time"],
        );
    }

    #[test]
    fn furniture_and_reporting_shapes_are_found() {
        check(
            "newsletter",
            &["Sign up for our newsletter", "Enter your e-mail address"],
            &["The signing was a success"],
        );
        check(
            "share_follow",
            &[
                "Share this article",
                "Follow @exampledaily",
                "Opens in a new window",
            ],
            &["Follow @ the end", "Shares fell"],
        );
        check(
            "teaser_start",
            &[
                "Read more: the storm",
                "MORE:Weather",
                "Editors pick: a story",
            ],
            &["More: the storm", "We read more books"],
        );
        check(
            "timestamp",
            &[
                "Updated 4:12 p.m. ET, March 3, 2025",
                "Posted on Monday, 3 March",
                "3 hours ago",
                "at 10.30am",
            ],
            &[
                "Updated\nMarch 3",
                "3 hours later",
                "Updated guidance was issued today for the city council",
            ],
        );
        check(
            "date",
            &[
                "Updated 4:12 p.m. ET, March 3, 2025",
                "2025-07-13",
                "3rd Sept. 2024",
                "Sept 3, 2024",
                "12/31/24",
            ],
            &["March 2025", "2025-7-13", "Mayday 2024", "123/4/5"],
        );
        check(
            "byline",
            &["By Maria Lopez", "— Written by Jo Kim"],
            &["by Maria Lopez", "Bypass roads", "By the river"],
        );
        check(
            "contact",
            &[
                "Write to news@example.org",
                "Visit https://example",
                "See example.com now",
                "www.example",
            ],
            &["The company grew", "A dot. Com"],
        );
        check(
            "legal",
            &["We use cookies", "Terms of Service"],
            &["Cookiecutter houses were built"],
        );
        check(
            "disclaimer",
            &[
                "Disclaimer: the views expressed by guest writers are their own.",
                "We may receive a commission when you buy through our links.",
                "The opinions expressed here are the author's",
            ],
            &["The disclosure is likely to reignite the debate."],
        );
        check(
            "advert",
            &["Advertisement", "- Sponsored content -", "AD"],
            &["Advertisement for a new car", "Add"],
        );
        check(
            "comments",
            &["Comments", "Join the conversation"],
            &["He commented on it"],
        );
        check(
            "republish",
            &[
                "This article was originally published by Example",
                "Republished with permission",
                "Syndicated",
            ],
            &["Published by Example"],
        );
        check(
            "bio",
            &[
                "Jo Kim is a staff reporter at Example",
                "Ana Ruiz was the chief foreign correspondent",
            ],
            &[
                "Jo Kim is our reporter",
                "Jo Kim is a very very very very very good reporter",
                "Kim said the reporter left",
            ],
        );
        check(
            "quote_start",
            &[
                "\u{201c}We will appeal,\u{201d} she said.",
                "  'Never,' he said",
                "\u{ab}Non\u{bb}, dit-il",
            ],
            &["She said \"no\"", "A long lead-in \"quote\""],
        );
        check(
            "speech_verb",
            &["She said no", "According to the court"],
            &["The sayings of the week"],
        );
        check(
            "dateline",
            &[
                "LONDON (Reuters) — Prices rose.",
                "NEW YORK -- Stocks fell.",
                "ST. PAUL, MINN. - A storm",
                "PARIS \u{2013} A strike",
            ],
            &[
                "Prices rose in London on Monday.",
                "LONDON—Prices rose",
                "UK- a",
            ],
        );
        check(
            "story_actors",
            &["Police said", "The Government"],
            &["The policeman left"],
        );
    }

    #[test]
    fn phrases_expand_as_the_regexes_read() {
        let mut got = expand("a(b|c)?d~e");
        got.sort();
        let mut want: Vec<Vec<u8>> = vec![
            b"abde".to_vec(),
            b"acde".to_vec(),
            b"ade".to_vec(),
            [&b"abd"[..], &[ONE_SPACE], b"e"].concat(),
            [&b"acd"[..], &[ONE_SPACE], b"e"].concat(),
            [&b"ad"[..], &[ONE_SPACE], b"e"].concat(),
        ];
        want.sort();
        assert_eq!(got, want);
        assert_eq!(expand(r"x(:|\|)"), [b"x:".to_vec(), b"x|".to_vec()]);
    }

    #[test]
    fn the_compiled_table_holds_every_phrase_under_its_first_word() {
        let mut expanded = 0;
        for &(cue, anchor, pattern) in PHRASES {
            for literal in expand(pattern) {
                expanded += 1;
                let first = literal.iter().take_while(|c| is_word(**c)).count();
                let word = &literal[..first];
                let phrases =
                    lookup(hash_word(word), word).expect("every first word is in the table");
                assert!(
                    phrases
                        .iter()
                        .any(|p| p.cue == cue && p.anchor == anchor && p.rest == &literal[first..]),
                    "{pattern}: {literal:?}"
                );
            }
        }
        assert_eq!(PHRASE_LIST.len(), expanded);
        assert!(lookup(hash_word(b"zebra"), b"zebra").is_none());
        // The runtime hash (by table) is the build's (by to_ascii_lowercase).
        let mixed = b"ReUtErS".iter().fold(FNV_OFFSET, |h, &c| mix(h, c)) | 1;
        assert_eq!(mixed, hash_word(b"reuters"));
    }

    /// The cues as regular expressions, as chaff matched them up to model format 5 (one
    /// lazy DFA over the set): the oracle for the hand-written matcher.
    const CUES: &[(&str, &str)] = &[
        // Captions and credits.
        (
            "credit_slash_paren_end",
            r"\([^()]{1,80}/[^()]{1,60}\)\s*\.?\s*$",
        ),
        ("paren_end", r"\([^()]{2,60}\)\s*\.?\s*$"),
        ("square_end", r"\[[^\[\]]{2,40}\]\s*$"),
        (
            "credit_label",
            r"(?i)\b(photograph|photo|photos|image|images|picture|pictures|pic|credit|illustration|graphic|video|footage|screenshot|source|styling|photography)\s*(by\s*)?[:|]",
        ),
        (
            "photo_by",
            r"(?i)\b(photo(graph)?s?|pictures?|images?|illustration|video|footage)\s+(by|courtesy|credit|via)\b",
        ),
        (
            "agency_name",
            r"(?i)\b(ap photo|associated press|getty images|getty|reuters|afp|epa|efe|shutterstock|alamy|pa wire|pa media|aap|bloomberg|istock|nurphoto|xinhua|sipa|zuma|rex features|canadian press|gallo images|anadolu|imago|handout|supplied)\b",
        ),
        // A credit line's agency after a slash ("Name/AP"), a comma or a bar ("Name, AP",
        // "Name | Staff"), or a courtesy/handout tail. The comma and bar forms were added after
        // reading newsroom-dev's missed captions (see the note on `video_placeholder`).
        (
            "credit_tail",
            r"(?i)(/\s?(ap|afp|reuters|getty|pa|epa|aap|bloomberg|staff|file|handout|supplied)\b[^.!?]{0,30}|\b(supplied|file photo|handout|courtesy[^.!?]{0,40}))\)?\s*\.?$|[,|]\s?(the associated press|associated press|ap|ap photo|afp|reuters|getty images|bloomberg|pa|epa|aap|staff( photo)?)\s*$",
        ),
        // "Media caption" has no word boundary after it: scrapers glue the label to the caption
        // ("Media captionDrone footage shows...").
        (
            "gallery_words",
            r"(?i)\b(open image in gallery|view gallery|view photos|enlarge this image|enlarge image|toggle caption|slideshow|image caption|image copyright|caption|pictured|above:|gallery|photo of the day|click to enlarge|view larger|expand image|hide caption|show caption)\b|\bmedia caption",
        ),
        (
            "counter",
            r"(?i)^\W*((image|photo|slide|picture|item)\s*)?\d{1,3}\s*(of|/)\s*\d{1,3}\b",
        ),
        ("duration", r"(^|\s)\d{1,2}:\d{2}(:\d{2})?\s*$"),
        // What a video player leaves in the text when it does not play: "this video is
        // unavailable", "your browser doesn't support...", an embed's `<iframe`, a glued
        // "VIDEO3:45" (docs/decisions.md, "Cue history").
        (
            "video_placeholder",
            r"(?i)(\b(video|media playback|playback|clip)( is)? (unsupported|not supported|unavailable|not available)|\b(can'?t|cannot) be played|not supported (on|in) (your|this) (device|browser)|browser (does not|doesn't) support|<iframe|^\W*video\s*\d{1,2}:\d{2})",
        ),
        // "Name / For Outlet", "Name/Outlet", alone or after the caption's last sentence; of
        // four credit shapes tried, the only one that moved a score (docs/decisions.md).
        (
            "slash_credit",
            r"(^|[.!?]\s+)[A-Z][\w.'-]*(\s[A-Z][\w.'-]*){0,3}\s?/\s?([Ff]or\s)?[A-Z][\w.'&-]*(\s[A-Z&][\w.'&-]*){0,4}\s*$",
        ),
        (
            "copyright",
            r"(?i)(©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved)",
        ),
        // Appeals.
        (
            "currency_amount",
            r"(?i)((\$|£|€|¥|₹)\s?\d|\d\s?(€|£)|\b(rs\.?|inr|usd|aud|cad|nzd|eur|gbp)\s?\d|\b\d+(\.\d+)?\s?(dollars|pounds|euros|cents|pence|rupees|rand)\b)",
        ),
        (
            "per_period",
            r"(?i)(\b(per|a|each|every|/)\s?(month|year|week|mo|yr|day)\b|\b(monthly|annually|annual|yearly|weekly)\b)",
        ),
        (
            "appeal_start",
            r"(?i)^\W*(support|donate|give|contribute|subscribe|join|become|help|chip in|make a|back|keep|fund|upgrade|start your|try|unlock|get unlimited|get full|continue reading|keep reading|already a|please|will you|can you|if you|before you go|while you'?re here|since you'?re here)\b",
        ),
        (
            "appeal_words",
            r"(?i)\b(donat\w*|your support|support (us|our|independent|local|quality|the work|journalism)|membership|become a (member|supporter|subscriber|patron|friend)|subscri(be|ption|ber)s?|paywall|free (articles?|stories|story)|articles? left|unlimited (digital )?access|tax[- ]deductible|reader[- ]funded|reader[- ]supported|contribut(e|ion|ions)|gifts?|recurring|one[- ]time|chip in|sustaining|patron|fund(s|ed|ing)? (our|us|independent)|cancel any ?time|trial)\b",
        ),
        (
            "our_journalism",
            r"(?i)\b(our (journalism|reporting|newsroom|reporters|journalists|work|mission|independence)|independent journalism|quality journalism|local journalism|we (rely|depend|need|can'?t|cannot|ask|believe)|readers like you|people like you)\b",
        ),
        (
            "button_end",
            r"(?i)\b(support now|donate now|donate today|give now|give today|subscribe now|subscribe today|join now|join today|join us|learn more|read more|sign up|continue|renew|upgrade|log ?in|sign ?in|maybe later|other|support us)\W*$",
        ),
        (
            "short_button",
            r"(?i)^\W*(donate|subscribe|support|join|give|contribute|sign in|log in|register|other|monthly|annual|one-time|once)\W*$",
        ),
        // Furniture.
        (
            "newsletter",
            r"(?i)\b(newsletters?|sign up|inbox|unsubscribe|email address|e-mail address|delivered to your|opt out)\b",
        ),
        (
            "share_follow",
            r"(?i)\b(share (this|on|via|the)|follow us|follow @|facebook|twitter|whatsapp|linkedin|instagram|pinterest|reddit|telegram|tiktok|youtube|email this|copy link|tweet|opens in (a )?new window)\b",
        ),
        (
            "teaser_start",
            r"(?i)^\W*(read more|read next|related|more from|more on|also read|read also|see also|recommended|most (read|popular|viewed)|you may (also )?like|trending|up next|more:|watch:|listen:|latest|top stories|editor'?s picks?)\b",
        ),
        (
            "timestamp",
            r"(?i)(\b\d{1,2}[:.]\d{2}\s?(am|pm|a\.m\.|p\.m\.)|\b(updated|published|posted|last modified)\b.{0,24}\d|\b\d+\s+(minutes?|hours?|days?|mins?|hrs?)\s+ago\b)",
        ),
        (
            "date",
            r"(?i)(\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}(st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?,?\s+\d{4}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b)",
        ),
        (
            "byline",
            r"^\W*(By|BY|Written by|Words by|Reporting by|Story by|Report by|Interview by)\s+[A-Z]",
        ),
        (
            "contact",
            r"(?i)([\w.+-]+@[\w-]+\.[\w.]+|https?://|www\.|\.com\b|\.org\b|\.co\.uk\b)",
        ),
        (
            "legal",
            r"(?i)\b(cookies?|privacy (policy|notice|settings)|terms (of|and) (use|service|conditions)|consent|reserved|affiliate|commission)\b",
        ),
        // Opinion and affiliate disclaimers and comment policies, which read like prose. Bare
        // "disclosure" is left out: reporting uses it (docs/decisions.md).
        (
            "disclaimer",
            r"(?i)\b(disclaimer|advertising disclosure|(views|opinions) (and opinions )?expressed|do not necessarily reflect|may (receive|earn|get) (a )?(small )?(share|commission|compensation)|comments are moderated)\b",
        ),
        (
            "advert",
            r"(?i)^\W*(advertisement|advert|sponsored( content)?|supported by|ad|promoted|paid post|partner content)\W*$",
        ),
        (
            "comments",
            r"(?i)\b(comments?|join the (conversation|discussion|debate)|community (guidelines|standards)|log in to comment)\b",
        ),
        (
            "republish",
            r"(?i)\b(originally (appeared|published|ran)|first (appeared|published)|republish\w*|reprint\w*|syndicat\w*|this (story|article) (was|is) (produced|published|written))\b",
        ),
        (
            "bio",
            r"^\W*[A-Z]\w+ ([A-Z]\w+ )?(is|was) (a|an|the) ([\w-]+ ){0,4}(reporter|writer|editor|correspondent|journalist|columnist|contributor|producer|photographer)\b",
        ),
        // Reporting.
        ("quote_start", r#"^\W{0,6}("|“|‘|'|«)"#),
        (
            "speech_verb",
            r"(?i)\b(said|says|told|according to|added|explained|stated|argued|recalled|wrote|asked)\b",
        ),
        (
            "dateline",
            r"^[A-Z][A-Z .,'-]{2,40}(\([^)]{1,30}\))?\s*(—|–|-){1,2}\s",
        ),
        (
            "story_actors",
            r"(?i)\b(he|she|they|his|her|their|police|officials?|court|government|minister|company|council)\b",
        ),
    ];

    fn regex_set() -> regex::bytes::RegexSet {
        regex::bytes::RegexSetBuilder::new(CUES.iter().map(|(_, p)| format!("(?-u){p}")))
            .dfa_size_limit(32 << 20)
            .build()
            .unwrap()
    }

    fn paragraphs_of_data() -> Vec<String> {
        let mut out = Vec::new();
        for file in ["data/train.csv", "data/test.csv"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
            let mut reader = csv::Reader::from_path(&path).unwrap();
            let text = reader
                .headers()
                .unwrap()
                .iter()
                .position(|h| h == "text")
                .unwrap();
            for record in reader.records() {
                out.push(record.unwrap()[text].to_string());
            }
        }
        out
    }

    #[test]
    fn the_oracle_names_the_same_cues_in_the_same_order() {
        assert_eq!(CUES.iter().map(|(n, _)| *n).collect::<Vec<_>>(), NAMES);
    }

    /// Old (regex) and new (hand-written) cues on every paragraph of data/: per cue, the
    /// paragraphs where they disagree, with examples. Each cue must agree on at least
    /// 99.9% of paragraphs; run with `--nocapture` for the table.
    #[test]
    fn the_matcher_agrees_with_the_regexes_on_every_paragraph_of_data() {
        let set = regex_set();
        let cues = Cues::default();
        let paragraphs = paragraphs_of_data();
        assert!(
            paragraphs.len() > 10_000,
            "only {} paragraphs read",
            paragraphs.len()
        );
        let mut only_regex = [0usize; NAMES.len()];
        let mut only_new = [0usize; NAMES.len()];
        let mut regex_hits = [0usize; NAMES.len()];
        let mut examples: Vec<Vec<String>> = vec![Vec::new(); NAMES.len()];
        for paragraph in &paragraphs {
            let old = set.matches(paragraph.as_bytes());
            let new = cues.scan(paragraph.as_bytes());
            for (k, name) in NAMES.iter().enumerate() {
                let (o, n) = (old.matched(k), new & (1 << k) != 0);
                regex_hits[k] += o as usize;
                if o != n {
                    if o {
                        only_regex[k] += 1;
                    } else {
                        only_new[k] += 1;
                    }
                    if examples[k].len() < 3 {
                        let clipped: String = paragraph.chars().take(160).collect();
                        examples[k].push(format!("{name} regex={o} new={n}: {clipped:?}"));
                    }
                }
            }
        }
        let total = paragraphs.len();
        println!("cue | regex hits | only regex | only new | agree %");
        let mut worst = 100.0f64;
        for (k, name) in NAMES.iter().enumerate() {
            let agree = 100.0 * (total - only_regex[k] - only_new[k]) as f64 / total as f64;
            worst = worst.min(agree);
            println!(
                "{name} | {} | {} | {} | {agree:.3}",
                regex_hits[k], only_regex[k], only_new[k]
            );
            for e in &examples[k] {
                println!("    {e}");
            }
        }
        assert!(
            worst >= 99.9,
            "a cue agrees on only {worst:.3}% of {total} paragraphs"
        );
    }

    /// The hand-written scanners against the regexes on invented text built from the
    /// pieces the cues look for, where the data has few examples.
    #[test]
    fn the_matcher_agrees_with_the_regexes_on_pieces_of_cues() {
        let set = regex_set();
        let cues = Cues::default();
        let pieces = [
            "(",
            ")",
            "[",
            "]",
            "/",
            " / ",
            ".",
            " ",
            "  ",
            ",",
            "|",
            "-",
            "--",
            "\u{2014}",
            ":",
            "'",
            "\"",
            "\u{201c}",
            "\u{a3}",
            "$",
            "\u{20ac}",
            "AP",
            "Reuters",
            "Getty Images",
            "Staff",
            "handout",
            "courtesy",
            "File photo",
            "Jo Kim",
            "For",
            "The Gazette",
            "LONDON",
            "3",
            "12",
            "2024",
            "12:30",
            "pm",
            "of",
            "March",
            "May",
            "ago",
            "hours",
            "By",
            "is a",
            "reporter",
            "video",
            "Photo",
            "by",
            "said",
            "donate",
            "read more",
            "support now",
            "per",
            "month",
            "a",
            "@",
            "example",
            ".com",
            "(c)",
            "www",
            "Advertisement",
            "supplied",
            "st",
            "x",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut disagreements = Vec::new();
        let trials = 200_000;
        for _ in 0..trials {
            let mut text = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = 1 + (state % 7) as usize;
            for k in 0..len {
                let r = state.rotate_left(9 * k as u32);
                text.push_str(pieces[(r % pieces.len() as u64) as usize]);
            }
            let old = set.matches(text.as_bytes());
            let new = cues.scan(text.as_bytes());
            for (k, name) in NAMES.iter().enumerate() {
                if old.matched(k) != (new & (1 << k) != 0) {
                    disagreements.push(format!("{name} regex={}: {text:?}", old.matched(k)));
                }
            }
        }
        disagreements.sort();
        disagreements.dedup();
        for d in disagreements.iter().take(80) {
            println!("{d}");
        }
        assert!(
            disagreements.len() * 1000 <= trials,
            "{} disagreements",
            disagreements.len()
        );
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<_> = Cues::names().collect();
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n);
    }
}
