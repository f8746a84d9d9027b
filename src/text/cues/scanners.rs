//! The structural cues, scanned by hand: dates and months, numbers and currency amounts,
//! the start-of-paragraph shapes (bylines, biographies, quotes, datelines) and the
//! end-of-paragraph credits (bracketed credits, `credit_tail`, durations, `slash_credit`).

use super::*;

pub(super) const MONTHS: [&[u8; 3]; 12] = [
    b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec",
];

/// The months' first three letters as little-endian numbers, compared at once.
pub(super) const MONTH_KEYS: [u32; 12] = {
    let mut keys = [0u32; 12];
    let mut i = 0;
    while i < 12 {
        keys[i] = u32::from_le_bytes([MONTHS[i][0], MONTHS[i][1], MONTHS[i][2], 0]);
        i += 1;
    }
    keys
};

/// `(jan|...|sept|...)[a-z]{0,6}` as a whole word.
pub(super) fn month_word(word: &[u8]) -> bool {
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
pub(super) fn date_after_month(b: &[u8], mut i: usize) -> bool {
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

pub(super) const ORDINALS: [&[u8]; 4] = [b"st", b"nd", b"rd", b"th"];

/// `\d{4}\b` at `i`.
pub(super) fn four_digits_word_end(b: &[u8], i: usize) -> bool {
    digits(b, i) >= 4 && !is_word(at(b, i + 4))
}

/// The cues a word starting with a digit starts (`b[p..q]`, `p` at a word start):
/// clock times, "3 hours ago", dates and amounts.
pub(super) fn digit_word(b: &[u8], p: usize, q: usize) -> u64 {
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
        let unit_end = word_end(b, i);
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
        let end = word_end(b, i);
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
    let end = word_end(b, i);
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
pub(super) fn space_then_digit(b: &[u8], i: usize) -> bool {
    is_digit(at(b, i)) || (is_space(at(b, i)) && is_digit(at(b, i + 1)))
}

/// `\d\s?` ending at `i`.
pub(super) fn digit_then_space_before(b: &[u8], i: usize) -> bool {
    (i >= 1 && is_digit(b[i - 1])) || (i >= 2 && is_space(b[i - 1]) && is_digit(b[i - 2]))
}

/// The cues that start at a non-word byte: currency signs, ©, `(c) 2024`, `@` of an
/// e-mail address, `.com`, `/month`, `<iframe`.
#[cold]
pub(super) fn special(b: &[u8], i: usize) -> u64 {
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
            let end = word_end(b, j);
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
pub(super) fn whole_text(b: &[u8]) -> u64 {
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
pub(super) fn at_first_word(b: &[u8], p: usize) -> u64 {
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
pub(super) fn capitalised_word_space(b: &[u8], i: usize) -> Option<usize> {
    if !at(b, i).is_ascii_uppercase() {
        return None;
    }
    let n = b[i..].iter().take_while(|c| is_word(**c)).count();
    (n >= 2 && at(b, i + n) == b' ').then_some(i + n + 1)
}

/// bio: `^\W*[A-Z]\w+ ([A-Z]\w+ )?(is|was) (a|an|the) ([\w-]+ ){0,4}(reporter|...)\b`,
/// case-sensitive, with the first word at `p`.
pub(super) fn bio(b: &[u8], p: usize) -> bool {
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
pub(super) fn quote_start(b: &[u8]) -> bool {
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
pub(super) fn dateline(b: &[u8]) -> bool {
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
pub(super) fn bracket_end(b: &[u8]) -> u64 {
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
pub(super) fn credit_tail(b: &[u8]) -> bool {
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
            let a = word_end(b, i);
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
pub(super) fn duration(b: &[u8]) -> bool {
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
pub(super) fn credit_word(word: &[u8], left: bool, first: bool) -> bool {
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
pub(super) fn slash_credit(b: &[u8]) -> bool {
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
