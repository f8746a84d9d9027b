//! Word tokens for the text stage, defined by the Hugging Face `tokenizers` pipeline:
//! NFKC normalisation, lowercasing, and the `Whitespace` pre-tokenizer (`\w+|[^\w\s]+`),
//! so words and runs of punctuation such as `(`, `/` or `)` become separate tokens.
//!
//! The pipeline allocates a normalised copy with offset tables for every paragraph and was
//! the largest cost of tagging once cue matching was fixed (perf, 2026-11-24). Most news
//! text is ASCII plus typographic marks, the ellipsis and letters of Latin, Greek and
//! Cyrillic that NFKC leaves alone, and on such text the pipeline's output is simple to
//! compute directly, so that case takes a fast path; any other text (combining marks,
//! ligatures, emoji, other scripts) is normalised by `tokenizers` and split by
//! [`split_words_and_marks`], which gives the `Whitespace` pre-tokenizer's splits without
//! its regex (whose lazy DFA cost 150,000 instructions a paragraph on a cold start, 4% of
//! tagging a 10,000-paragraph feed for the 1% of paragraphs that take this path). Tests
//! check both paths against the whole `tokenizers` pipeline (on every letter the fast path
//! takes, and property tests over random text), so the pipeline remains the definition
//! (docs/decisions.md, "Tokens beyond ASCII and shape by table").

use tokenizers::normalizers::{Lowercase, Sequence, NFKC};
use tokenizers::{NormalizedString, Normalizer};

thread_local! {
    /// The fast path's token buffer, reused across paragraphs (taken while in use, so a
    /// nested call would simply start an empty one).
    static TOKEN: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

/// Turns a paragraph into lowercase word and punctuation tokens.
pub struct Tokenizer {
    normalizer: Sequence,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Tokenizer {
            normalizer: Sequence::new(vec![NFKC.into(), Lowercase.into()]),
        }
    }
}

/// Characters beyond ASCII that NFKC and lowercasing leave unchanged and that are neither
/// word characters nor white space: the typographic punctuation of news copy.
const STABLE_MARKS: &[char] = &[
    '‘', '’', '“', '”', '–', '—', '£', '€', '©', '®', '°', '•', '·', '«', '»', '§', '¶', '†', '‡',
    '′', '¡', '¿', '‹', '›', '¥', '¢',
];

/// Blocks of symbols that pages carry into text (currency signs, arrows, bullets and
/// operators, shapes, stars, dingbats, emoji): NFKC and lowercasing leave their
/// characters alone, and none is a word character or white space, so each is a mark on
/// the fast path, but for [`UNSTABLE_SYMBOLS`]. Left to the pipeline, they sent 1.6% of
/// data/'s paragraphs there, at 60,000 instructions each (3% of tagging; callgrind,
/// 2026-12-03). A test checks every character of these blocks against the pipeline.
const SYMBOL_BLOCKS: &[(char, char)] = &[
    ('\u{20a0}', '\u{20cf}'),   // Currency Symbols
    ('\u{2190}', '\u{21ff}'),   // Arrows
    ('\u{2200}', '\u{22ff}'),   // Mathematical Operators
    ('\u{25a0}', '\u{25ff}'),   // Geometric Shapes
    ('\u{2600}', '\u{27bf}'),   // Miscellaneous Symbols, Dingbats
    ('\u{2b00}', '\u{2bff}'),   // Miscellaneous Symbols and Arrows
    ('\u{1f300}', '\u{1f6ff}'), // Pictographs, Emoticons, Transport and Map Symbols
    ('\u{1f900}', '\u{1f9ff}'), // Supplemental Symbols and Pictographs
];

/// The characters of [`SYMBOL_BLOCKS`] that NFKC changes (`₨` becomes `Rs`, `∬` two
/// integrals...): they take the pipeline.
const UNSTABLE_SYMBOLS: &[char] = &['₨', '∬', '∭', '∯', '∰'];

/// Whether `c` is a symbol of [`SYMBOL_BLOCKS`] the fast path takes as a mark.
fn stable_symbol(c: char) -> bool {
    SYMBOL_BLOCKS
        .iter()
        .any(|&(first, last)| (first..=last).contains(&c))
        && !UNSTABLE_SYMBOLS.contains(&c)
}

/// No-break space: NFKC turns it into a plain space, so it separates tokens.
const NO_BREAK_SPACE: char = '\u{a0}';

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Space,
    Mark,
}

/// The class of each ASCII byte, looked up rather than computed on the hot path.
const ASCII_CLASS: [Class; 128] = {
    let mut table = [Class::Mark; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphanumeric() || c == b'_' {
            Class::Word
        } else if c.is_ascii_whitespace() || c == 0x0b {
            Class::Space
        } else {
            Class::Mark
        };
        b += 1;
    }
    table
};

/// Letters of the Latin, Greek and Cyrillic blocks that NFKC changes (ligatures, compatibility
/// forms, modifier-like letters, digraphs) or that lowercase to more than one character:
/// they take the pipeline. The list was made by running the pipeline on every letter of
/// those blocks, and a test checks it against the pipeline again.
// İ Ĳ ĳ Ŀ ŀ ŉ ſ Ǆ ǅ ǆ Ǉ ǈ ǉ Ǌ ǋ ǌ Ǳ ǲ ǳ, Greek numeral signs and symbol forms (escaped: some are
// canonical duplicates an editor may silently replace).
const UNSTABLE_LETTERS: &[char] = &[
    '\u{130}', '\u{132}', '\u{133}', '\u{13f}', '\u{140}', '\u{149}', '\u{17f}', '\u{1c4}',
    '\u{1c5}', '\u{1c6}', '\u{1c7}', '\u{1c8}', '\u{1c9}', '\u{1ca}', '\u{1cb}', '\u{1cc}',
    '\u{1f1}', '\u{1f2}', '\u{1f3}', '\u{374}', '\u{37a}', '\u{3d0}', '\u{3d1}', '\u{3d2}',
    '\u{3d3}', '\u{3d4}', '\u{3d5}', '\u{3d6}', '\u{3f0}', '\u{3f1}', '\u{3f2}', '\u{3f5}',
    '\u{3f9}',
];

/// The one-character lowercase of a letter the fast path takes beyond ASCII: the letters
/// of Latin-1 and Latin Extended-A and -B, Greek and Cyrillic (without their combining
/// marks, which NFKC may compose with the letter before them) that NFKC leaves alone.
fn fast_letter(c: char) -> Option<char> {
    let block = matches!(c, '\u{c0}'..='\u{24f}' | '\u{370}'..='\u{3ff}' | '\u{400}'..='\u{482}' | '\u{48a}'..='\u{52f}');
    if !block || !c.is_alphabetic() || UNSTABLE_LETTERS.contains(&c) {
        return None;
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => Some(l),
        _ => None,
    }
}

/// What the fast path makes of a character beyond ASCII: its class and the text it adds
/// to the token, or `None` when the text needs the pipeline.
fn fast_char(c: char) -> Option<(Class, Option<char>)> {
    if c == NO_BREAK_SPACE {
        Some((Class::Space, None))
    } else if STABLE_MARKS.contains(&c) {
        Some((Class::Mark, Some(c)))
    } else if c == ELLIPSIS {
        // NFKC writes it as three full stops; `None` here means "push the three".
        Some((Class::Mark, None))
    } else if stable_symbol(c) {
        Some((Class::Mark, Some(c)))
    } else {
        fast_letter(c).map(|l| (Class::Word, Some(l)))
    }
}

/// The horizontal ellipsis, the mark news copy uses most beyond ASCII (newsroom-dev: 56
/// of its 98 paragraphs that needed the pipeline), which NFKC turns into "...".
const ELLIPSIS: char = '…';

/// Calls `each` with the maximal runs of word characters and of other characters that are
/// not white space, in order: the splits of `tokenizers`' `Whitespace` pre-tokenizer
/// (`\w+|[^\w\s]+`), with regex's own Unicode `\w` (letters, marks, digits, connector
/// punctuation, joiners) and White_Space.
fn split_words_and_marks(text: &str, mut each: impl FnMut(&str)) {
    let mut start = 0;
    let mut current = Class::Space;
    for (i, c) in text.char_indices() {
        let class = if regex_syntax::is_word_character(c) {
            Class::Word
        } else if c.is_whitespace() {
            Class::Space
        } else {
            Class::Mark
        };
        if class != current {
            if current != Class::Space {
                each(&text[start..i]);
            }
            start = i;
            current = class;
        }
    }
    if current != Class::Space {
        each(&text[start..]);
    }
}

impl Tokenizer {
    /// Calls `each` with every token of `text`, in order.
    pub fn for_each_token(&self, text: &str, mut each: impl FnMut(&str)) {
        if !self.fast_tokens(text, &mut each) {
            self.pipeline_tokens(text, each);
        }
    }

    /// The fast path; returns false, having called nothing, when `text` needs the pipeline.
    fn fast_tokens(&self, text: &str, each: &mut impl FnMut(&str)) -> bool {
        // Only characters beyond ASCII can send the text to the pipeline: most paragraphs
        // are ASCII throughout, which `is_ascii` checks a word at a time.
        let bytes = text.as_bytes();
        if !text.is_ascii() {
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] < 0x80 {
                    i += 1;
                    continue;
                }
                let c = text[i..].chars().next().expect("char boundary");
                if fast_char(c).is_none() {
                    return false;
                }
                i += c.len_utf8();
            }
        }
        // A token that its own lowercase spells out (most words of news copy, and every
        // run of marks but the ellipsis) is handed over as a slice of `text`; only a
        // token that lowercasing or NFKC changes is copied, into a buffer kept per thread
        // (a new one per paragraph was one allocation and free for every paragraph tagged,
        // dhat, 2026-12-03).
        let mut token = TOKEN.take();
        token.clear();
        let mut current = Class::Space;
        // Where the current token starts in `text`, and whether it has been copied into
        // `token` (else it is `text[start..i]`).
        let mut start = 0;
        let mut copied = false;
        // Ends the current token where a character of `class` at `i` does not continue it.
        macro_rules! boundary {
            ($class:expr, $i:expr) => {
                if $class != current || $class == Class::Space {
                    if current != Class::Space {
                        if copied {
                            each(&token);
                            token.clear();
                        } else {
                            each(&text[start..$i]);
                        }
                    }
                    current = $class;
                    start = $i;
                    copied = false;
                }
            };
        }
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                let class = ASCII_CLASS[b as usize];
                boundary!(class, i);
                if class != Class::Space {
                    if b.is_ascii_uppercase() && !copied {
                        token.push_str(&text[start..i]);
                        copied = true;
                    }
                    if copied {
                        token.push(b.to_ascii_lowercase() as char);
                    }
                }
                i += 1;
                continue;
            }
            let c = text[i..].chars().next().expect("char boundary");
            let (class, lower) = fast_char(c).expect("checked above");
            boundary!(class, i);
            if class != Class::Space {
                if lower != Some(c) && !copied {
                    token.push_str(&text[start..i]);
                    copied = true;
                }
                if copied {
                    match lower {
                        Some(l) => token.push(l),
                        None => token.push_str("..."),
                    }
                }
            }
            i += c.len_utf8();
        }
        if current != Class::Space {
            if copied {
                each(&token);
            } else {
                each(&text[start..]);
            }
        }
        TOKEN.set(token);
        true
    }

    /// The path for text the fast path cannot take: `tokenizers`' normalisation (NFKC,
    /// lowercase), then [`split_words_and_marks`].
    pub fn pipeline_tokens(&self, text: &str, each: impl FnMut(&str)) {
        let mut normalized = NormalizedString::from(text);
        // Neither step can fail on valid UTF-8; on an internal error fall back to the raw
        // text rather than losing the paragraph's evidence.
        if self.normalizer.normalize(&mut normalized).is_err() {
            normalized = NormalizedString::from(text.to_lowercase().as_str());
        }
        split_words_and_marks(normalized.get(), each);
    }

    /// The tokens of `text` as owned strings (for tests and tools; the hot path uses
    /// [`Tokenizer::for_each_token`]).
    pub fn tokens(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each_token(text, |t| out.push(t.to_string()));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_and_punctuation_and_lowercases() {
        let t = Tokenizer::default();
        assert_eq!(
            t.tokens("Winfrey (Aaron Chown/PA)"),
            ["winfrey", "(", "aaron", "chown", "/", "pa", ")"]
        );
        assert_eq!(t.tokens("Donate £5 now!"), ["donate", "£", "5", "now", "!"]);
    }

    #[test]
    fn normalises_compatibility_characters() {
        let t = Tokenizer::default();
        // NFKC folds full-width letters and ligatures.
        assert_eq!(t.tokens("ＡＰ ﬁle"), ["ap", "file"]);
    }

    /// The whole `tokenizers` pipeline (normaliser and `Whitespace` pre-tokenizer): the
    /// definition both paths are checked against.
    fn pipeline(text: &str) -> Vec<String> {
        use tokenizers::pre_tokenizers::whitespace::Whitespace;
        use tokenizers::{OffsetReferential, OffsetType, PreTokenizedString, PreTokenizer};
        let mut normalized = NormalizedString::from(text);
        Tokenizer::default()
            .normalizer
            .normalize(&mut normalized)
            .unwrap();
        let mut pretokenized = PreTokenizedString::from(normalized);
        Whitespace.pre_tokenize(&mut pretokenized).unwrap();
        pretokenized
            .get_splits(OffsetReferential::Normalized, OffsetType::None)
            .into_iter()
            .map(|(token, _, _)| token.to_string())
            .collect()
    }

    /// The path for text the fast path cannot take.
    fn slow(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        Tokenizer::default().pipeline_tokens(text, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn the_split_agrees_with_the_pipeline_on_text_the_fast_path_cannot_take() {
        for text in [
            "ﬁle ＡＰ e\u{301}cole 🙂🙂 emoji!",
            "日本語のテキスト、句読点。 中文，标点！",
            "zero\u{200d}width\u{200c}joiners a‿b snake_case",
            "Ǆemal İstanbul ΣΑΣ ΌΣΟΣ",
            "١٢٣ digits ४५६ and ½ ² ⅷ",
            "em\u{2003}space\u{3000}ideographic\u{180e}mongolian\u{2028}line",
            "مرحبا بالعالم؟ שלום!",
            "",
            "   ",
        ] {
            assert_eq!(slow(text), pipeline(text), "{text:?}");
        }
    }

    fn fast(text: &str) -> Option<Vec<String>> {
        let mut out = Vec::new();
        Tokenizer::default()
            .fast_tokens(text, &mut |t: &str| out.push(t.to_string()))
            .then_some(out)
    }

    #[test]
    fn stable_marks_are_untouched_by_the_pipeline() {
        for &c in STABLE_MARKS {
            let text = format!("a{c}b");
            assert_eq!(pipeline(&text), ["a", &c.to_string(), "b"], "{c:?}");
        }
        assert_eq!(pipeline("a\u{a0}b"), ["a", "b"]);
    }

    #[test]
    fn every_symbol_the_fast_path_takes_agrees_with_the_pipeline() {
        let mut taken = 0;
        let mut differ = Vec::new();
        for &(first, last) in SYMBOL_BLOCKS {
            for c in first..=last {
                let texts = [
                    format!("{c}"),
                    format!("a{c}a"),
                    format!("{c}{c} x{c}."),
                    format!("Ab {c}? {c}…!"),
                ];
                if !stable_symbol(c) {
                    // Listed as unstable: the pipeline must indeed differ somewhere.
                    assert!(
                        texts.iter().any(|t| pipeline(t) != split_marks_as_is(t)),
                        "{c:?} is listed as unstable but the pipeline leaves it alone"
                    );
                    continue;
                }
                taken += 1;
                for text in &texts {
                    if fast(text).expect("fast path applies") != pipeline(text) {
                        differ.push(c);
                        break;
                    }
                }
            }
        }
        assert!(differ.is_empty(), "the pipeline changes {differ:?}");
        assert!(taken > 2000, "only {taken} symbols take the fast path");
    }

    /// What the fast path would make of `text` if its symbols were all marks: the
    /// reference for [`UNSTABLE_SYMBOLS`].
    fn split_marks_as_is(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        split_words_and_marks(&text.to_lowercase().replace('…', "..."), |t| {
            out.push(t.to_string())
        });
        out
    }

    #[test]
    fn fast_path_agrees_with_the_pipeline_on_news_text() {
        for text in [
            "Winfrey (Aaron Chown/PA)",
            "“We’re here,” she said — at 10:30 a.m. on £5,000.",
            "date 2025-07-13 Your support helps\u{a0}us Read more Support Now",
            "snake_case and CAPS, e.g. x--y __z__ ©2025",
            "\t tabs\x0b and\x0c feeds\r\n",
        ] {
            assert_eq!(
                fast(text).expect("fast path applies"),
                pipeline(text),
                "{text:?}"
            );
        }
        assert!(fast("ﬁle").is_none(), "NFKC changes ligatures");
        assert!(
            fast("e\u{301}").is_none(),
            "combining marks take the pipeline"
        );
        assert_eq!(
            fast("Rates ₹500 → 🙂").unwrap(),
            ["rates", "₹", "500", "→", "🙂"]
        );
        assert!(fast("₨ 50").is_none(), "NFKC spells the rupee sign out");
    }

    #[test]
    fn fast_path_agrees_with_the_pipeline_on_every_letter_it_takes_and_the_ellipsis() {
        let mut taken = 0;
        for c in (0x80..0x600).filter_map(char::from_u32) {
            if fast_char(c).is_none() {
                continue;
            }
            taken += 1;
            for text in [
                format!("{c}"),
                format!("a{c}a"),
                format!("a{c}"),
                format!("{c}a {c}"),
                format!(".{c}."),
                format!("{c}{c}"),
                format!("Ab{c}? {c}…!"),
                format!("{c}\u{a0}x"),
            ] {
                assert_eq!(
                    fast(&text).expect("fast path applies"),
                    pipeline(&text),
                    "{text:?}"
                );
            }
        }
        assert!(taken > 700, "only {taken} characters take the fast path");
        // Each letter left to the pipeline lowercases to more than one character or is
        // changed by NFKC.
        for &c in UNSTABLE_LETTERS {
            let lower: String = c.to_lowercase().collect();
            assert!(
                lower.chars().count() > 1 || pipeline(&format!("a{c}a")) != [format!("a{lower}a")],
                "{c:?}"
            );
        }
        assert_eq!(
            fast("a…b ?… …!").unwrap(),
            ["a", "...", "b", "?...", "...!"]
        );
    }

    proptest::proptest! {
        #[test]
        fn fast_path_agrees_with_the_pipeline_on_random_letters_of_other_scripts(
            text in "[ a-zA-Z.,!?'\u{a0}…\u{c0}-\u{24f}\u{370}-\u{3ff}\u{400}-\u{4ff}]{0,40}"
        ) {
            match fast(&text) {
                Some(tokens) => proptest::prop_assert_eq!(tokens, pipeline(&text)),
                None => proptest::prop_assert!(text.chars().any(|c| !c.is_ascii() && fast_char(c).is_none())),
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_path_agrees_with_the_pipeline_on_random_text(
            text in "[ -~\t\n\u{a0}‘’“”–—£€©®°•·«»§¶†‡′¡¿]{0,60}"
        ) {
            proptest::prop_assert_eq!(fast(&text).expect("fast path applies"), pipeline(&text));
        }
    }

    proptest::proptest! {
        #[test]
        fn the_split_agrees_with_the_pipeline_on_random_unicode(text in "\\PC{0,40}") {
            proptest::prop_assert_eq!(slow(&text), pipeline(&text));
        }

        #[test]
        fn the_split_agrees_with_the_pipeline_on_random_marks_and_spaces(
            text in "[a-z _\u{300}-\u{36f}\u{200b}-\u{200f}\u{2000}-\u{206f}\u{3000}-\u{303f}\u{fe00}-\u{fe0f}\u{1f300}-\u{1f3ff}]{0,40}"
        ) {
            proptest::prop_assert_eq!(slow(&text), pipeline(&text));
        }
    }

    #[test]
    fn empty_text_has_no_tokens() {
        assert!(Tokenizer::default().tokens("  ").is_empty());
    }
}
