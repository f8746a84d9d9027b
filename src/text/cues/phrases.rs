//! The phrase cues of [`crate::text::cues`] as data, shared with build.rs, which expands
//! them into the first-word table `Cues` looks words up in, so nothing is built at start-up:
//! the cue indices (table order), where each phrase must sit, the phrase patterns, and the
//! expansion and hashing both sides must agree on.

#![allow(dead_code)]

pub const CREDIT_SLASH_PAREN_END: u8 = 0;
pub const PAREN_END: u8 = 1;
pub const SQUARE_END: u8 = 2;
pub const CREDIT_LABEL: u8 = 3;
pub const PHOTO_BY: u8 = 4;
pub const AGENCY_NAME: u8 = 5;
pub const CREDIT_TAIL: u8 = 6;
pub const GALLERY_WORDS: u8 = 7;
pub const COUNTER: u8 = 8;
pub const DURATION: u8 = 9;
pub const VIDEO_PLACEHOLDER: u8 = 10;
pub const SLASH_CREDIT: u8 = 11;
pub const COPYRIGHT: u8 = 12;
pub const CURRENCY_AMOUNT: u8 = 13;
pub const PER_PERIOD: u8 = 14;
pub const APPEAL_START: u8 = 15;
pub const APPEAL_WORDS: u8 = 16;
pub const OUR_JOURNALISM: u8 = 17;
pub const BUTTON_END: u8 = 18;
pub const SHORT_BUTTON: u8 = 19;
pub const NEWSLETTER: u8 = 20;
pub const SHARE_FOLLOW: u8 = 21;
pub const TEASER_START: u8 = 22;
pub const TIMESTAMP: u8 = 23;
pub const DATE: u8 = 24;
pub const BYLINE: u8 = 25;
pub const CONTACT: u8 = 26;
pub const LEGAL: u8 = 27;
pub const DISCLAIMER: u8 = 28;
pub const ADVERT: u8 = 29;
pub const COMMENTS: u8 = 30;
pub const REPUBLISH: u8 = 31;
pub const BIO: u8 = 32;
pub const QUOTE_START: u8 = 33;
pub const SPEECH_VERB: u8 = 34;
pub const DATELINE: u8 = 35;
pub const STORY_ACTORS: u8 = 36;

/// Where a phrase must sit and what must follow it. Every phrase starts at the start of a
/// word (the regex's leading `\b`, or `^\W*` for the anchored ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// `\b phrase \b`.
    Word,
    /// `\b phrase`, anything after.
    Open,
    /// `^\W* phrase \b`: the text's first word.
    Start,
    /// `\b phrase \W*$`: ends at the text's last word.
    End,
    /// `^\W* phrase \W*$`: the whole text, bar non-word bytes around it.
    Whole,
    /// `\b phrase \b .{0,24}\d`: a digit within 25 bytes, on the same line.
    DigitAfter,
    /// `\b phrase \d`: a digit right after.
    DigitNext,
}

/// The phrase cues, in a small pattern language close to the regexes they replace:
/// `(a|b)` alternatives, `?` makes the character or group before it optional, `~` is `\s?`,
/// `*` is `\s*`, `+` is `\s+`, `\` quotes the next character, a space is one space
/// (0x20), everything else is itself, matched with ASCII case folding. Each expands to a
/// list of literal phrases (about 740) when build.rs lays out the first-word table.
pub const PHRASES: &[(u8, Anchor, &str)] = &[
    (
        CREDIT_LABEL,
        Anchor::Open,
        r"(photograph|photo|photos|image|images|picture|pictures|pic|credit|illustration|graphic|video|footage|screenshot|source|styling|photography)*(by*)?(:|\|)",
    ),
    (
        PHOTO_BY,
        Anchor::Word,
        "(photo(graph)?s?|pictures?|images?|illustration|video|footage)+(by|courtesy|credit|via)",
    ),
    (
        AGENCY_NAME,
        Anchor::Word,
        "(ap photo|associated press|getty images|getty|reuters|afp|epa|efe|shutterstock|alamy|pa wire|pa media|aap|bloomberg|istock|nurphoto|xinhua|sipa|zuma|rex features|canadian press|gallo images|anadolu|imago|handout|supplied)",
    ),
    (
        GALLERY_WORDS,
        Anchor::Word,
        "(open image in gallery|view gallery|view photos|enlarge this image|enlarge image|toggle caption|slideshow|image caption|image copyright|caption|pictured|above:|gallery|photo of the day|click to enlarge|view larger|expand image|hide caption|show caption)",
    ),
    // No boundary after: scrapers glue the label to the caption ("Media captionDrone...").
    (GALLERY_WORDS, Anchor::Open, "media caption"),
    (
        VIDEO_PLACEHOLDER,
        Anchor::Open,
        "(video|media playback|playback|clip)( is)? (unsupported|not supported|unavailable|not available)",
    ),
    (VIDEO_PLACEHOLDER, Anchor::Open, "(can'?t|cannot) be played"),
    // Differs: the regex has no `\b` before "not" and "browser" ("webbrowser does not
    // support"); here they start a word.
    (
        VIDEO_PLACEHOLDER,
        Anchor::Open,
        "not supported (on|in) (your|this) (device|browser)",
    ),
    (
        VIDEO_PLACEHOLDER,
        Anchor::Open,
        "browser (does not|doesn't) support",
    ),
    (COPYRIGHT, Anchor::Word, "copyright"),
    // Differs: no `\b` before "all" in the regex.
    (COPYRIGHT, Anchor::Open, "all rights reserved"),
    (
        CURRENCY_AMOUNT,
        Anchor::DigitNext,
        "(rs.?|inr|usd|aud|cad|nzd|eur|gbp)~",
    ),
    (
        PER_PERIOD,
        Anchor::Word,
        "(per|a|each|every)~(month|year|week|mo|yr|day)",
    ),
    (
        PER_PERIOD,
        Anchor::Word,
        "(monthly|annually|annual|yearly|weekly)",
    ),
    (
        APPEAL_START,
        Anchor::Start,
        "(support|donate|give|contribute|subscribe|join|become|help|chip in|make a|back|keep|fund|upgrade|start your|try|unlock|get unlimited|get full|continue reading|keep reading|already a|please|will you|can you|if you|before you go|while you'?re here|since you'?re here)",
    ),
    (
        APPEAL_WORDS,
        Anchor::Word,
        "(your support|support (us|our|independent|local|quality|the work|journalism)|membership|become a (member|supporter|subscriber|patron|friend)|subscri(be|ption|ber)s?|paywall|free (articles?|stories|story)|articles? left|unlimited (digital )?access|tax(-| )deductible|reader(-| )funded|reader(-| )supported|contribut(e|ion|ions)|gifts?|recurring|one(-| )time|chip in|sustaining|patron|fund(s|ed|ing)? (our|us|independent)|cancel any ?time|trial)",
    ),
    (
        OUR_JOURNALISM,
        Anchor::Word,
        "(our (journalism|reporting|newsroom|reporters|journalists|work|mission|independence)|independent journalism|quality journalism|local journalism|we (rely|depend|need|can'?t|cannot|ask|believe)|readers like you|people like you)",
    ),
    (
        BUTTON_END,
        Anchor::End,
        "(support now|donate now|donate today|give now|give today|subscribe now|subscribe today|join now|join today|join us|learn more|read more|sign up|continue|renew|upgrade|log ?in|sign ?in|maybe later|other|support us)",
    ),
    (
        SHORT_BUTTON,
        Anchor::Whole,
        "(donate|subscribe|support|join|give|contribute|sign in|log in|register|other|monthly|annual|one-time|once)",
    ),
    (
        NEWSLETTER,
        Anchor::Word,
        "(newsletters?|sign up|inbox|unsubscribe|email address|e-mail address|delivered to your|opt out)",
    ),
    (
        SHARE_FOLLOW,
        Anchor::Word,
        "(share (this|on|via|the)|follow us|follow @|facebook|twitter|whatsapp|linkedin|instagram|pinterest|reddit|telegram|tiktok|youtube|email this|copy link|tweet|opens in (a )?new window)",
    ),
    (
        TEASER_START,
        Anchor::Start,
        "(read more|read next|related|more from|more on|also read|read also|see also|recommended|most (read|popular|viewed)|you may (also )?like|trending|up next|more:|watch:|listen:|latest|top stories|editor'?s picks?)",
    ),
    (
        TIMESTAMP,
        Anchor::DigitAfter,
        "(updated|published|posted|last modified)",
    ),
    (
        LEGAL,
        Anchor::Word,
        "(cookies?|privacy (policy|notice|settings)|terms (of|and) (use|service|conditions)|consent|reserved|affiliate|commission)",
    ),
    (
        DISCLAIMER,
        Anchor::Word,
        "(disclaimer|advertising disclosure|(views|opinions) (and opinions )?expressed|do not necessarily reflect|may (receive|earn|get) (a )?(small )?(share|commission|compensation)|comments are moderated)",
    ),
    (
        ADVERT,
        Anchor::Whole,
        "(advertisement|advert|sponsored( content)?|supported by|ad|promoted|paid post|partner content)",
    ),
    (
        COMMENTS,
        Anchor::Word,
        "(comments?|join the (conversation|discussion|debate)|community (guidelines|standards)|log in to comment)",
    ),
    (
        REPUBLISH,
        Anchor::Word,
        "(originally (appeared|published|ran)|first (appeared|published)|this (story|article) (was|is) (produced|published|written))",
    ),
    (
        SPEECH_VERB,
        Anchor::Word,
        "(said|says|told|according to|added|explained|stated|argued|recalled|wrote|asked)",
    ),
    (
        STORY_ACTORS,
        Anchor::Word,
        "(he|she|they|his|her|their|police|officials?|court|government|minister|company|council)",
    ),
];

// Markers in expanded phrases (never in a pattern): one white-space byte, one or more.
pub const ONE_SPACE: u8 = 0x01;
pub const SPACES: u8 = 0x02;

pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
pub const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// A word's key in the first-word table: FNV-1a over its ASCII-lowercased bytes, never 0.
pub fn hash_word(word: &[u8]) -> u64 {
    word.iter().fold(FNV_OFFSET, |h, &c| {
        (h ^ c.to_ascii_lowercase() as u64).wrapping_mul(FNV_PRIME)
    }) | 1
}

/// A hash's home slot: its top bits, after a multiply that mixes FNV's weak low bits up.
#[inline]
pub fn slot_of(hash: u64, shift: u32) -> usize {
    (hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> shift) as usize
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Expands a pattern of [`PHRASES`] into its literal phrases.
pub fn expand(pattern: &str) -> Vec<Vec<u8>> {
    fn alternatives(mut p: &[u8]) -> (Vec<Vec<u8>>, &[u8]) {
        let mut out = Vec::new();
        loop {
            let (seq, rest) = sequence(p);
            out.extend(seq);
            match rest.first() {
                Some(b'|') => p = &rest[1..],
                _ => return (out, rest),
            }
        }
    }
    fn sequence(mut p: &[u8]) -> (Vec<Vec<u8>>, &[u8]) {
        let mut acc: Vec<Vec<u8>> = vec![Vec::new()];
        while let Some(&c) = p.first() {
            let (mut atom, rest): (Vec<Vec<u8>>, &[u8]) = match c {
                b'|' | b')' => break,
                b'(' => {
                    let (a, r) = alternatives(&p[1..]);
                    assert_eq!(r.first(), Some(&b')'), "unclosed group");
                    (a, &r[1..])
                }
                b'\\' => (vec![vec![p[1]]], &p[2..]),
                b'~' => (vec![vec![], vec![ONE_SPACE]], &p[1..]),
                b'*' => (vec![vec![], vec![SPACES]], &p[1..]),
                b'+' => (vec![vec![SPACES]], &p[1..]),
                _ => (vec![vec![c.to_ascii_lowercase()]], &p[1..]),
            };
            p = rest;
            if p.first() == Some(&b'?') {
                atom.push(Vec::new());
                p = &p[1..];
            }
            if atom.len() == 1 {
                acc.iter_mut().for_each(|a| a.extend_from_slice(&atom[0]));
            } else {
                acc = acc
                    .iter()
                    .flat_map(|a| atom.iter().map(move |b| [a.as_slice(), b].concat()))
                    .collect();
            }
        }
        (acc, p)
    }
    let (out, rest) = alternatives(pattern.as_bytes());
    assert!(rest.is_empty(), "unbalanced pattern {pattern}");
    out
}

/// The first-word table: slot keys (0 for empty), per slot the word's range in `words`
/// and the phrases' range in `phrases`; each phrase is (cue, anchor, bytes after its first
/// word).
pub struct Built {
    pub keys: Vec<u64>,
    pub slots: Vec<(u32, u32, u32, u32)>,
    pub words: Vec<u8>,
    pub phrases: Vec<(u8, Anchor, Vec<u8>)>,
    pub shift: u32,
    pub longest_word: usize,
}

/// An expanded phrase under its first word: (word, (cue, anchor, rest)).
type Keyed = (Vec<u8>, (u8, Anchor, Vec<u8>));

/// Expands [`PHRASES`] and lays out the first-word table.
pub fn build() -> Built {
    let mut by_word: Vec<Keyed> = Vec::new();
    for &(cue, anchor, pattern) in PHRASES {
        for literal in expand(pattern) {
            let first = literal.iter().take_while(|c| is_word_byte(**c)).count();
            assert!(first > 0, "{pattern}: a phrase must start with a word");
            by_word.push((
                literal[..first].to_vec(),
                (cue, anchor, literal[first..].to_vec()),
            ));
        }
    }
    by_word.sort_by(|a, b| a.0.cmp(&b.0).then(a.1 .0.cmp(&b.1 .0)));
    let count = by_word.chunk_by(|a, b| a.0 == b.0).count();
    let size = (count * 4).next_power_of_two();
    let mut keys = vec![0u64; size];
    let mut slots = vec![(0, 0, 0, 0); size];
    let mut words = Vec::new();
    let mut phrases = Vec::new();
    let shift = 64 - size.trailing_zeros();
    let mut longest_word = 0;
    for group in by_word.chunk_by(|a, b| a.0 == b.0) {
        let word = &group[0].0;
        longest_word = longest_word.max(word.len());
        let hash = hash_word(word);
        let start = phrases.len() as u32;
        phrases.extend(group.iter().map(|(_, p)| p.clone()));
        let mut i = slot_of(hash, shift);
        while keys[i] != 0 {
            i = (i + 1) & (size - 1);
        }
        keys[i] = hash;
        slots[i] = (
            words.len() as u32,
            (words.len() + word.len()) as u32,
            start,
            phrases.len() as u32,
        );
        words.extend_from_slice(word);
    }
    Built {
        keys,
        slots,
        words,
        phrases,
        shift,
        longest_word,
    }
}
