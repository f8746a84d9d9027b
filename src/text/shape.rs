//! The shape of a paragraph: length, capitals, digits, punctuation, sentences and stopword
//! density. Shape carries across publishers where words do not: furniture is short and
//! capitalised like a headline, reporting is long, full of function words and ends with a
//! full stop (stopword density is jusText's strongest cue).

use crate::text::lanes;

/// Measurements of one paragraph's surface.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Shape {
    /// Words (runs of letters or digits).
    pub words: usize,
    /// Characters.
    pub chars: usize,
    /// Share of letters that are capitals.
    pub upper_ratio: f32,
    /// Share of characters that are digits.
    pub digit_ratio: f32,
    /// Share of words that start with a capital.
    pub title_ratio: f32,
    /// Share of words that are English function words.
    pub stopword_ratio: f32,
    /// Sentences, counted by terminal punctuation followed by space or end.
    pub sentences: usize,
    /// The last non-space character.
    pub last: Option<char>,
    /// The first non-space character.
    pub first: Option<char>,
}

/// English function words: a short fixed list is all the stopword-density cue needs, so it
/// lives here rather than in a dependency.
const STOPWORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "before", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has",
    "have", "he", "her", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just",
    "last", "more", "most", "no", "not", "of", "on", "one", "or", "other", "our", "out", "over",
    "said", "she", "so", "some", "than", "that", "the", "their", "them", "then", "there", "these",
    "they", "this", "those", "to", "up", "was", "we", "were", "what", "when", "where", "which",
    "while", "who", "will", "with", "would", "you", "your",
];

/// True for letters and digits, with a fast path for ASCII (most of news text): the
/// Unicode tables are only consulted beyond it.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

/// A word of up to 8 ASCII letters packed, lowercased, into a `u64`: stopword lookups are
/// then a lookup of one integer, without allocating (Shape was 15% of tagging time with
/// string comparisons). `Shape::of` packs as it goes; this is the reference for tests.
#[cfg(test)]
fn pack(word: &str) -> Option<u64> {
    if word.len() > 8 || !word.is_ascii() {
        return None;
    }
    Some(
        word.bytes()
            .fold(0u64, |acc, b| (acc << 8) | b.to_ascii_lowercase() as u64),
    )
}

/// The stopwords packed into an open-addressing table of 256 slots (a third full, empty
/// slots 0), built at compile time: a lookup is one or two reads, where a binary search
/// over the sorted list took seven unpredictable branches for every word.
const STOPWORD_SLOTS: [u64; 256] = {
    let mut table = [0u64; 256];
    let mut w = 0;
    while w < STOPWORDS.len() {
        let bytes = STOPWORDS[w].as_bytes();
        let mut packed = 0u64;
        let mut k = 0;
        while k < bytes.len() {
            packed = (packed << 8) | bytes[k] as u64;
            k += 1;
        }
        let mut slot = stopword_slot(packed);
        while table[slot] != 0 {
            slot = (slot + 1) % 256;
        }
        table[slot] = packed;
        w += 1;
    }
    table
};

/// The first slot to look in for a packed word (multiplicative hashing).
const fn stopword_slot(packed: u64) -> usize {
    (packed.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as usize
}

fn is_packed_stopword(packed: u64) -> bool {
    let mut slot = stopword_slot(packed);
    loop {
        match STOPWORD_SLOTS[slot] {
            found if found == packed => return true,
            0 => return false,
            _ => slot = (slot + 1) % 256,
        }
    }
}

#[cfg(test)]
fn is_stopword(word: &str) -> bool {
    pack(word).is_some_and(is_packed_stopword)
}

// Character classes, as bits: what `Shape::of` asks of each character.
/// A letter.
const LETTER: u8 = 1;
/// An upper-case letter.
const UPPER: u8 = 2;
/// An ASCII digit (other scripts' digits count as word characters, not digits).
const DIGIT: u8 = 4;
/// Part of a word: a letter, a digit or an apostrophe.
const WORD: u8 = 8;
/// Ends a sentence: . ! ? or an ellipsis.
const TERMINAL: u8 = 16;
/// May follow a sentence's end before the space: a closing quote or parenthesis.
const CLOSER: u8 = 32;
/// White space.
const SPACE: u8 = 64;
/// An ASCII letter: the only characters a packed stopword holds.
const ASCII_LETTER: u8 = 128;

/// The class of every ASCII character, computed at compile time (looking the bits up was
/// about half the instructions of testing each property per byte).
const ASCII_CLASSES: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        let mut class = 0;
        if c.is_ascii_alphabetic() {
            class |= LETTER | WORD | ASCII_LETTER;
        }
        if c.is_ascii_uppercase() {
            class |= UPPER;
        }
        if c.is_ascii_digit() {
            class |= DIGIT | WORD;
        }
        if c == b'\'' {
            class |= WORD | CLOSER;
        }
        if matches!(c, b'.' | b'!' | b'?') {
            class |= TERMINAL;
        }
        if matches!(c, b'"' | b')') {
            class |= CLOSER;
        }
        // char::is_whitespace on ASCII: tab, line feed, vertical tab, form feed, carriage
        // return and space.
        if matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ') {
            class |= SPACE;
        }
        table[b] = class;
        b += 1;
    }
    table
};

/// Bits per count in [`WORD_COUNTS`].
const COUNT_BITS: u32 = 21;
const COUNT_MASK: u64 = (1 << COUNT_BITS) - 1;

/// For each class, the counts one character of it adds inside a word, packed into one
/// integer: letters in the low bits, capitals in the middle, digits in the high bits.
const WORD_COUNTS: [u64; 256] = {
    let mut table = [0u64; 256];
    let mut class = 0;
    while class < 256 {
        let c = class as u8;
        table[class] = (c & LETTER) as u64
            | (((c & UPPER) >> 1) as u64) << COUNT_BITS
            | (((c & DIGIT) >> 2) as u64) << (2 * COUNT_BITS);
        class += 1;
    }
    table
};

/// The class of any character.
fn char_class(c: char) -> u8 {
    if c.is_ascii() {
        ASCII_CLASSES[c as usize]
    } else {
        class_of(c)
    }
}

/// The class of the character at byte `i` of `text` and its length in bytes.
#[inline(always)]
fn class_at(text: &str, i: usize) -> (u8, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        (ASCII_CLASSES[b as usize], 1)
    } else {
        class_beyond_ascii(text, i)
    }
}

/// [`class_at`] for a character beyond ASCII: decoded, then classed.
#[inline(never)]
fn class_beyond_ascii(text: &str, i: usize) -> (u8, usize) {
    let c = text[i..].chars().next().expect("char boundary");
    (class_of(c), c.len_utf8())
}

/// The class of a character beyond ASCII.
fn class_of(c: char) -> u8 {
    // General Punctuation holds the curly quotes, dashes and ellipsis of news copy, the
    // commonest characters beyond ASCII; nothing in it is a letter or a digit, so it is
    // classed without the Unicode tables (about 700 instructions a character).
    if ('\u{2000}'..='\u{206f}').contains(&c) {
        return match c {
            '’' => WORD | CLOSER,
            '”' => CLOSER,
            '…' => TERMINAL,
            _ if c.is_whitespace() => SPACE,
            _ => 0,
        };
    }
    class_by_tables(c)
}

/// The class of a character beyond ASCII, from the Unicode tables.
fn class_by_tables(c: char) -> u8 {
    let mut class = 0;
    let letter = c.is_alphabetic();
    if letter {
        class |= LETTER;
        if c.is_uppercase() {
            class |= UPPER;
        }
    }
    if c == '’' || c.is_alphanumeric() {
        class |= WORD;
    }
    if c == '…' {
        class |= TERMINAL;
    }
    if matches!(c, '”' | '’') {
        class |= CLOSER;
    }
    if c.is_whitespace() {
        class |= SPACE;
    }
    class
}

/// A word of up to seven ASCII characters measured eight bytes at a time: most words of
/// news copy. The bytes are classed in parallel inside one `u64` ([`lanes`]), so
/// a word costs a few dozen instructions whatever its length, where the loop over its
/// characters took about twelve a character (`Shape::of` was 12-13% of tagging time,
/// perf, 2026-12-03).
struct AsciiWord {
    /// Characters (and bytes).
    len: usize,
    letters: usize,
    upper: usize,
    digits: usize,
    /// Every character is an apostrophe (a closer after a sentence's end).
    all_closers: bool,
    /// The lowercase word packed for the stopword lookup, when it is all letters.
    packed: Option<u64>,
}

impl AsciiWord {
    /// The word starting at `bytes[start]` (a word character), when it is ASCII
    /// throughout, shorter than eight characters and followed by an ASCII character that
    /// is not part of a word (or by the end); `None` sends the word to the loop over its
    /// characters (a version that also took longer words eight bytes at a time cost more
    /// instructions than it saved, callgrind).
    #[inline(always)]
    fn at(bytes: &[u8], start: usize) -> Option<AsciiWord> {
        let x = lanes::load(bytes, start);
        let ascii = lanes::ascii(x);
        let upper = lanes::in_range(x, b'A', b'Z') & ascii;
        let letters = upper | (lanes::in_range(x, b'a', b'z') & ascii);
        let digits = lanes::in_range(x, b'0', b'9') & ascii;
        let apostrophes = lanes::equal(x, b'\'') & ascii;
        // The first byte that is not a word character ends the word: it must be ASCII,
        // since a character beyond it (a letter, ’) may continue the word.
        let len = lanes::first(!(letters | digits | apostrophes) & lanes::TOP_BITS);
        if len == 0 || len == 8 || ascii & (0x80 << (8 * len)) == 0 {
            return None;
        }
        let inside = lanes::before(len);
        // Packed as the loop packs: first character in the highest byte, lowercased (|
        // 0x20).
        let packed = (letters & inside == inside).then(|| {
            lanes::keep(x | lanes::bytes_of(0x20), inside).swap_bytes() >> (8 * (8 - len))
        });
        Some(AsciiWord {
            len,
            letters: lanes::count(letters & inside),
            upper: lanes::count(upper & inside),
            digits: lanes::count(digits & inside),
            all_closers: apostrophes & inside == inside,
            packed,
        })
    }
}

/// A [`ShapeToken`] made at compile time.
macro_rules! tok {
    ($name:literal) => {
        const { ShapeToken::new($name) }
    };
}

impl Shape {
    /// Measures `text` in one pass over its bytes (ASCII through a table of character
    /// classes, other characters decoded as they come): this runs for every paragraph
    /// tagged. The pass alternates between the characters between words and runs of word
    /// characters: letters, capitals and digits only occur inside words and sentence ends
    /// only between them, so each loop asks only its own questions, and inside a word the
    /// three counts are one addition (see [`WORD_COUNTS`]).
    pub fn of(text: &str) -> Shape {
        let text = text.trim();
        let mut shape = Shape {
            first: text.chars().next(),
            last: text.chars().next_back(),
            ..Shape::default()
        };
        let (mut letters, mut upper, mut digits, mut titled, mut stop) = (0usize, 0, 0, 0, 0);
        let mut prev_terminal = false;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let (mut class, mut len) = class_at(text, i);
            if class & WORD == 0 {
                shape.chars += 1;
                if prev_terminal && class & SPACE != 0 {
                    shape.sentences += 1;
                }
                prev_terminal = class & TERMINAL != 0 || (prev_terminal && class & CLOSER != 0);
                i += len;
                continue;
            }
            shape.words += 1;
            titled += usize::from(class & UPPER != 0);
            if let Some(word) = AsciiWord::at(bytes, i) {
                let chars = word.len;
                shape.chars += chars;
                letters += word.letters;
                upper += word.upper;
                digits += word.digits;
                if prev_terminal {
                    prev_terminal = word.all_closers;
                }
                stop += usize::from(word.packed.is_some_and(is_packed_stopword));
                i += chars;
                continue;
            }
            let start = i;
            let mut chars = 0usize;
            let mut counts = 0u64;
            loop {
                chars += 1;
                counts += WORD_COUNTS[class as usize];
                i += len;
                if i >= bytes.len() {
                    break;
                }
                (class, len) = class_at(text, i);
                if class & WORD == 0 {
                    break;
                }
            }
            let word = &text[start..i];
            shape.chars += chars;
            if chars < 1 << COUNT_BITS {
                letters += (counts & COUNT_MASK) as usize;
                upper += ((counts >> COUNT_BITS) & COUNT_MASK) as usize;
                digits += (counts >> (2 * COUNT_BITS)) as usize;
            } else {
                // A word too long for the packed counts (two million characters): counted
                // one character at a time.
                for c in word.chars() {
                    let class = char_class(c);
                    letters += usize::from(class & LETTER);
                    upper += usize::from((class & UPPER) >> 1);
                    digits += usize::from((class & DIGIT) >> 2);
                }
            }
            // Word characters do not end sentences, but a closing apostrophe may follow an
            // end: the end still counts if the word is nothing but closers.
            if prev_terminal {
                prev_terminal = word.chars().all(|c| char_class(c) & CLOSER != 0);
            }
            // Only a word of up to 8 ASCII letters can be a stopword.
            if word.len() == chars
                && chars <= 8
                && word
                    .bytes()
                    .all(|b| ASCII_CLASSES[b as usize] & ASCII_LETTER != 0)
            {
                let packed = word
                    .bytes()
                    .fold(0u64, |acc, b| (acc << 8) | (b | 0x20) as u64);
                stop += usize::from(is_packed_stopword(packed));
            }
        }
        if shape.chars > 0 {
            shape.sentences += 1;
        }
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f32 / b as f32 };
        shape.upper_ratio = ratio(upper, letters);
        shape.digit_ratio = ratio(digits, shape.chars);
        shape.title_ratio = ratio(titled, shape.words);
        shape.stopword_ratio = ratio(stop, shape.words);
        shape
    }

    /// The length bucket token (tok!("words:4-5")...), the one shape token neighbouring
    /// paragraphs also see (see [`crate::text::features`]).
    pub fn length_token(&self) -> ShapeToken {
        match self.words {
            0 => tok!("words:0"),
            1 => tok!("words:1"),
            2 => tok!("words:2"),
            3 => tok!("words:3"),
            4..=5 => tok!("words:4-5"),
            6..=8 => tok!("words:6-8"),
            9..=12 => tok!("words:9-12"),
            13..=20 => tok!("words:13-20"),
            21..=35 => tok!("words:21-35"),
            36..=60 => tok!("words:36-60"),
            61..=100 => tok!("words:61-100"),
            _ => tok!("words:100+"),
        }
    }

    /// The shape as a few discrete tokens (tok!("words:4-5"), tok!("last:period")...), which a linear
    /// model can weigh separately (shape effects are not monotone: both one-word buttons
    /// and 200-word appeals are suspicious).
    pub fn for_each_token(&self, mut each: impl FnMut(ShapeToken)) {
        each(self.length_token());
        each(bucket(
            self.upper_ratio,
            &[0.02, 0.08, 0.2, 0.5, 0.9],
            &[
                tok!("upper:0"),
                tok!("upper:low"),
                tok!("upper:normal"),
                tok!("upper:high"),
                tok!("upper:most"),
                tok!("upper:all"),
            ],
        ));
        each(bucket(
            self.digit_ratio,
            &[0.001, 0.03, 0.1, 0.3],
            &[
                tok!("digits:0"),
                tok!("digits:few"),
                tok!("digits:some"),
                tok!("digits:many"),
                tok!("digits:most"),
            ],
        ));
        if self.words >= 3 {
            each(bucket(
                self.title_ratio,
                &[0.15, 0.35, 0.6, 0.85],
                &[
                    tok!("title:low"),
                    tok!("title:some"),
                    tok!("title:half"),
                    tok!("title:most"),
                    tok!("title:all"),
                ],
            ));
            each(bucket(
                self.stopword_ratio,
                &[0.1, 0.2, 0.3, 0.4, 0.5],
                &[
                    tok!("stop:0"),
                    tok!("stop:10"),
                    tok!("stop:20"),
                    tok!("stop:30"),
                    tok!("stop:40"),
                    tok!("stop:50"),
                ],
            ));
        }
        each(match self.sentences {
            0 | 1 => tok!("sentences:1"),
            2 => tok!("sentences:2"),
            3..=4 => tok!("sentences:3-4"),
            _ => tok!("sentences:5+"),
        });
        each(match self.last {
            Some('.') => tok!("last:period"),
            Some('?') => tok!("last:question"),
            Some('!') => tok!("last:exclamation"),
            Some('"' | '”' | '’' | '\'') => tok!("last:quote"),
            Some(')') => tok!("last:paren"),
            Some(']') => tok!("last:bracket"),
            Some(':') => tok!("last:colon"),
            Some('…') => tok!("last:ellipsis"),
            Some(c) if c.is_alphanumeric() => tok!("last:word"),
            Some(_) => tok!("last:other"),
            None => tok!("last:none"),
        });
        each(match self.first {
            Some(c) if c.is_uppercase() => tok!("first:upper"),
            Some(c) if c.is_lowercase() => tok!("first:lower"),
            Some(c) if c.is_ascii_digit() => tok!("first:digit"),
            Some('"' | '“' | '‘' | '\'' | '«') => tok!("first:quote"),
            Some(_) => tok!("first:other"),
            None => tok!("first:none"),
        });
    }
}

fn bucket(value: f32, edges: &[f32], names: &[ShapeToken]) -> ShapeToken {
    let index = edges.iter().take_while(|e| value >= **e).count();
    names[index]
}

/// A shape token: its name and its feature hash. The hash is computed at compile time:
/// hashed at every paragraph, the eight or so tokens cost about 1% of tagging (callgrind,
/// 2026-12-03).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShapeToken {
    /// The token's name ("words:4-5").
    pub name: &'static str,
    /// Its feature hash (`shape:` namespace), as [`crate::text::features`] hashes it.
    pub hash: u64,
}

impl ShapeToken {
    const fn new(name: &'static str) -> Self {
        ShapeToken {
            name,
            hash: crate::text::features::shape_hash(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Shape::of` as it was written before the class table: each property tested per
    /// character.
    fn tested_per_character(text: &str) -> Shape {
        let text = text.trim();
        let mut shape = Shape {
            first: text.chars().next(),
            last: text.chars().next_back(),
            ..Shape::default()
        };
        let (mut letters, mut upper, mut digits, mut titled, mut stop) = (0usize, 0, 0, 0, 0);
        // The current word: whether one is open, and its lowercase ASCII letters packed
        // into a u64 for the stopword lookup (None once it cannot be a stopword).
        let mut in_word = false;
        let mut packed: Option<u64> = None;
        let mut packed_len = 0usize;
        let mut prev_terminal = false;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let (c, len) = if b < 0x80 {
                (b as char, 1)
            } else {
                let c = text[i..].chars().next().expect("char boundary");
                (c, c.len_utf8())
            };
            i += len;
            shape.chars += 1;
            let (is_letter, is_upper, is_word) = if b < 0x80 {
                let letter = b.is_ascii_alphabetic();
                if b.is_ascii_digit() {
                    digits += 1;
                }
                (
                    letter,
                    b.is_ascii_uppercase(),
                    b.is_ascii_alphanumeric() || b == b'\'',
                )
            } else {
                let letter = c.is_alphabetic();
                (
                    letter,
                    letter && c.is_uppercase(),
                    c == '’' || c.is_alphanumeric(),
                )
            };
            if is_letter {
                letters += 1;
                upper += usize::from(is_upper);
            }
            if is_word {
                if !in_word {
                    in_word = true;
                    shape.words += 1;
                    titled += usize::from(is_upper);
                    packed = Some(0);
                    packed_len = 0;
                }
                packed = match packed {
                    Some(p) if b.is_ascii_alphabetic() && packed_len < 8 => {
                        packed_len += 1;
                        Some((p << 8) | b.to_ascii_lowercase() as u64)
                    }
                    _ => None,
                };
            } else if in_word {
                in_word = false;
                stop += usize::from(packed.is_some_and(is_packed_stopword));
            }
            if prev_terminal && c.is_whitespace() {
                shape.sentences += 1;
            }
            prev_terminal = matches!(c, '.' | '!' | '?' | '…')
                || (prev_terminal && matches!(c, '"' | '”' | '’' | '\'' | ')'));
        }
        if in_word {
            stop += usize::from(packed.is_some_and(is_packed_stopword));
        }
        if shape.chars > 0 {
            shape.sentences += 1;
        }
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f32 / b as f32 };
        shape.upper_ratio = ratio(upper, letters);
        shape.digit_ratio = ratio(digits, shape.chars);
        shape.title_ratio = ratio(titled, shape.words);
        shape.stopword_ratio = ratio(stop, shape.words);
        shape
    }

    #[test]
    fn the_class_table_measures_what_testing_each_character_measured() {
        let mut texts: Vec<String> = vec![
            "The Café in Zürich — “it was ours,” she said. Ünder 2 PM!".into(),
            "Wait... what?! (Really.) \"Yes.\"\tNo\u{b}maybe\u{c}so\r\nfine".into(),
            "don’t won't ABOUTNESS abouts a I WE ÆSIR ǅemal ① ٣ 𝐀 … ‘x’ ¿y? ¡z! «q»".into(),
            "".into(),
            " \u{a0}\u{2003} ".into(),
        ];
        for file in ["data/train.csv", "data/test.csv"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
            let mut reader = csv::Reader::from_path(&path).unwrap();
            let column = reader
                .headers()
                .unwrap()
                .iter()
                .position(|h| h == "text")
                .unwrap();
            texts.extend(reader.records().map(|r| r.unwrap()[column].to_string()));
        }
        assert!(texts.len() > 10_000);
        for text in &texts {
            assert_eq!(Shape::of(text), tested_per_character(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_word_runs_measure_what_testing_each_character_measured(
            text in "[ a-zA-Z0-9.!?'\"()\t\n\u{a0}…’”“é\u{1}-\u{7f}\u{c0}-\u{24f}\u{660}-\u{669}]{0,60}"
        ) {
            proptest::prop_assert_eq!(Shape::of(&text), tested_per_character(&text));
        }

        /// Words of one to ten characters, so both sides of [`AsciiWord`]'s seven, ended
        /// by ASCII and by characters beyond it that may continue a word.
        #[test]
        fn words_measured_eight_bytes_at_a_time_measure_what_testing_each_character_measured(
            text in "([a-zA-Z0-9']{1,10}[ .,’é”…!?\"\u{a0}]{0,2}){0,8}"
        ) {
            proptest::prop_assert_eq!(Shape::of(&text), tested_per_character(&text));
        }

        #[test]
        fn the_word_runs_agree_on_random_unicode(text in "\\PC{0,40}") {
            proptest::prop_assert_eq!(Shape::of(&text), tested_per_character(&text));
        }
    }

    #[test]
    fn a_word_longer_than_the_packed_counts_hold_is_counted_whole() {
        // 2^21 characters would overflow the letters into the capitals' bits.
        let word = "aB3é".repeat((1 << COUNT_BITS) / 4 + 7);
        let text = format!("The {word}. And more.");
        let shape = Shape::of(&text);
        assert_eq!(shape, tested_per_character(&text));
        assert_eq!(shape.words, 4);
    }

    #[test]
    fn general_punctuation_is_classed_as_the_unicode_tables_class_it() {
        for c in '\u{2000}'..='\u{206f}' {
            assert_eq!(class_of(c), class_by_tables(c), "{c:?}");
        }
    }

    #[test]
    fn stopwords_are_found_in_any_case_and_others_are_not() {
        assert!(STOPWORDS.iter().all(|w| w.len() <= 8));
        for w in STOPWORDS {
            assert!(is_stopword(w) && is_stopword(&w.to_uppercase()), "{w}");
        }
        assert!(!is_stopword("minister"));
        assert!(!is_stopword("thee"));
        assert!(!is_stopword("théâtre"));
        assert!(!is_stopword("becausebecause"));
    }

    #[test]
    fn measures_a_reporting_sentence() {
        let s = Shape::of("The council said it would vote on the plan in May. Critics disagreed.");
        assert_eq!(s.words, 13);
        assert_eq!(s.sentences, 2);
        assert_eq!(s.last, Some('.'));
        assert!(s.stopword_ratio > 0.3, "{s:?}");
        assert!(s.title_ratio < 0.3, "{s:?}");
    }

    #[test]
    fn measures_furniture() {
        let s = Shape::of("SHARE THIS ARTICLE");
        assert_eq!(s.words, 3);
        assert!(s.upper_ratio > 0.99);
        let mut tokens = Vec::new();
        s.for_each_token(|t| tokens.push(t.name));
        assert!(tokens.contains(&"upper:all"), "{tokens:?}");
        assert!(tokens.contains(&"last:word"), "{tokens:?}");
    }

    #[test]
    fn counts_stopwords_titles_and_capitals_across_scripts() {
        let s = Shape::of("The Café in Zürich — “it was ours,” she said. Ünder 2 PM!");
        assert_eq!(s.words, 12, "{s:?}");
        // the, in, it, was, ours? no; she, said: the stopword list decides.
        let expected = ["the", "in", "it", "was", "she", "said"].len();
        assert!(
            (s.stopword_ratio - expected as f32 / 12.0).abs() < 1e-6,
            "{s:?}"
        );
        assert!((s.title_ratio - 5.0 / 12.0).abs() < 1e-6, "{s:?}");
        assert_eq!(s.sentences, 2);
        assert_eq!(s.last, Some('!'));
    }

    #[test]
    fn empty_text_is_all_zero() {
        let s = Shape::of("   ");
        assert_eq!(s.words, 0);
        assert_eq!(s.sentences, 0);
        assert_eq!(s.last, None);
    }
}
