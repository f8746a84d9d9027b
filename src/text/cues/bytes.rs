//! Byte classes and small scanning helpers the cue matcher shares: the regexes' ASCII
//! `\w`, `\s`, `\b` and case folding, over bytes.

// Byte classes, looked up.
pub(super) const WORD: u8 = 1;
pub(super) const SPACE: u8 = 2;
pub(super) const DIGIT: u8 = 4;
pub(super) const UPPER: u8 = 8;
/// Non-word bytes some cue starts at: `$ / @ . : ( <` and the lead bytes of £ ¥ © € ₹.
pub(super) const SPECIAL: u8 = 16;

pub(super) const CLASS: [u8; 256] = {
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

pub(super) const LOWER: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = (i as u8).to_ascii_lowercase();
        i += 1;
    }
    table
};

#[inline]
pub(super) fn is_word(c: u8) -> bool {
    CLASS[c as usize] & WORD != 0
}

#[inline]
pub(super) fn is_space(c: u8) -> bool {
    CLASS[c as usize] & SPACE != 0
}

#[inline]
pub(super) fn is_digit(c: u8) -> bool {
    c.is_ascii_digit()
}

/// `\b` at `i`: a word byte on exactly one side (the ends count as non-word).
#[inline]
pub(super) fn boundary(b: &[u8], i: usize) -> bool {
    let before = i > 0 && is_word(b[i - 1]);
    let after = i < b.len() && is_word(b[i]);
    before != after
}

pub(super) fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

/// `b[i..]` starts with `lit` (lowercase), ASCII case folded.
pub(super) fn starts_ci(b: &[u8], i: usize, lit: &[u8]) -> bool {
    b.len() >= i + lit.len() && b[i..i + lit.len()].eq_ignore_ascii_case(lit)
}

/// `b[..end]` ends with `lit` (lowercase), ASCII case folded.
pub(super) fn ends_ci(b: &[u8], end: usize, lit: &[u8]) -> bool {
    end >= lit.len() && b[end - lit.len()..end].eq_ignore_ascii_case(lit)
}

/// Number of digits from `i`.
pub(super) fn digits(b: &[u8], i: usize) -> usize {
    b[i.min(b.len())..]
        .iter()
        .take_while(|c| is_digit(**c))
        .count()
}

/// Where the run of word bytes from `i` ends.
pub(super) fn word_end(b: &[u8], i: usize) -> usize {
    i + b[i.min(b.len())..]
        .iter()
        .take_while(|c| is_word(**c))
        .count()
}

pub(super) fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    i
}

pub(super) fn trim_spaces_end(b: &[u8], mut end: usize) -> usize {
    while end > 0 && is_space(b[end - 1]) {
        end -= 1;
    }
    end
}
