//! The shape of a paragraph: length, capitals, digits, punctuation, sentences and stopword
//! density. Shape carries across publishers where words do not: furniture is short and
//! capitalised like a headline, reporting is long, full of function words and ends with a
//! full stop (stopword density is jusText's strongest cue).

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

fn is_stopword(word: &str) -> bool {
    word.len() <= 6
        && STOPWORDS
            .binary_search_by(|s| cmp_ascii_lower(s, word))
            .is_ok()
}

fn cmp_ascii_lower(stop: &str, word: &str) -> std::cmp::Ordering {
    let a = stop.bytes();
    let b = word.bytes().map(|c| c.to_ascii_lowercase());
    a.cmp(b)
}

impl Shape {
    /// Measures `text` in one pass over its characters.
    pub fn of(text: &str) -> Shape {
        let text = text.trim();
        let mut shape = Shape {
            first: text.chars().next(),
            last: text.chars().next_back(),
            ..Shape::default()
        };
        let (mut letters, mut upper, mut digits, mut titled, mut stop) = (0usize, 0, 0, 0, 0);
        let mut word_start: Option<usize> = None;
        let mut prev_terminal = false;
        let mut finish_word = |start: usize, end: usize, shape: &mut Shape| {
            let word = &text[start..end];
            shape.words += 1;
            if word.chars().next().is_some_and(char::is_uppercase) {
                titled += 1;
            }
            if is_stopword(word) {
                stop += 1;
            }
        };
        for (i, c) in text.char_indices() {
            shape.chars += 1;
            if c.is_alphabetic() {
                letters += 1;
                if c.is_uppercase() {
                    upper += 1;
                }
            } else if c.is_ascii_digit() {
                digits += 1;
            }
            if c.is_alphanumeric() || c == '\'' || c == '’' {
                word_start.get_or_insert(i);
            } else if let Some(start) = word_start.take() {
                finish_word(start, i, &mut shape);
            }
            if c.is_whitespace() && prev_terminal {
                shape.sentences += 1;
            }
            prev_terminal = matches!(c, '.' | '!' | '?' | '…')
                || (prev_terminal && matches!(c, '"' | '”' | '’' | '\'' | ')'));
        }
        if let Some(start) = word_start {
            finish_word(start, text.len(), &mut shape);
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

    /// The shape as a few discrete tokens ("words:4-5", "last:period"...), which a linear
    /// model can weigh separately (shape effects are not monotone: both one-word buttons
    /// and 200-word appeals are suspicious).
    pub fn for_each_token(&self, mut each: impl FnMut(&'static str)) {
        each(match self.words {
            0 => "words:0",
            1 => "words:1",
            2 => "words:2",
            3 => "words:3",
            4..=5 => "words:4-5",
            6..=8 => "words:6-8",
            9..=12 => "words:9-12",
            13..=20 => "words:13-20",
            21..=35 => "words:21-35",
            36..=60 => "words:36-60",
            61..=100 => "words:61-100",
            _ => "words:100+",
        });
        each(bucket(
            self.upper_ratio,
            &[0.02, 0.08, 0.2, 0.5, 0.9],
            &[
                "upper:0",
                "upper:low",
                "upper:normal",
                "upper:high",
                "upper:most",
                "upper:all",
            ],
        ));
        each(bucket(
            self.digit_ratio,
            &[0.001, 0.03, 0.1, 0.3],
            &[
                "digits:0",
                "digits:few",
                "digits:some",
                "digits:many",
                "digits:most",
            ],
        ));
        if self.words >= 3 {
            each(bucket(
                self.title_ratio,
                &[0.15, 0.35, 0.6, 0.85],
                &[
                    "title:low",
                    "title:some",
                    "title:half",
                    "title:most",
                    "title:all",
                ],
            ));
            each(bucket(
                self.stopword_ratio,
                &[0.1, 0.2, 0.3, 0.4, 0.5],
                &[
                    "stop:0", "stop:10", "stop:20", "stop:30", "stop:40", "stop:50",
                ],
            ));
        }
        each(match self.sentences {
            0 | 1 => "sentences:1",
            2 => "sentences:2",
            3..=4 => "sentences:3-4",
            _ => "sentences:5+",
        });
        each(match self.last {
            Some('.') => "last:period",
            Some('?') => "last:question",
            Some('!') => "last:exclamation",
            Some('"' | '”' | '’' | '\'') => "last:quote",
            Some(')') => "last:paren",
            Some(']') => "last:bracket",
            Some(':') => "last:colon",
            Some('…') => "last:ellipsis",
            Some(c) if c.is_alphanumeric() => "last:word",
            Some(_) => "last:other",
            None => "last:none",
        });
        each(match self.first {
            Some(c) if c.is_uppercase() => "first:upper",
            Some(c) if c.is_lowercase() => "first:lower",
            Some(c) if c.is_ascii_digit() => "first:digit",
            Some('"' | '“' | '‘' | '\'' | '«') => "first:quote",
            Some(_) => "first:other",
            None => "first:none",
        });
    }
}

fn bucket(value: f32, edges: &[f32], names: &[&'static str]) -> &'static str {
    let index = edges.iter().take_while(|e| value >= **e).count();
    names[index]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopword_list_is_sorted_for_binary_search() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stopword("The"));
        assert!(!is_stopword("minister"));
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
        s.for_each_token(|t| tokens.push(t));
        assert!(tokens.contains(&"upper:all"), "{tokens:?}");
        assert!(tokens.contains(&"last:word"), "{tokens:?}");
    }

    #[test]
    fn empty_text_is_all_zero() {
        let s = Shape::of("   ");
        assert_eq!(s.words, 0);
        assert_eq!(s.sentences, 0);
        assert_eq!(s.last, None);
    }
}
