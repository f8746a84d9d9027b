//! Glued paragraphs: scrapers run things together ("date 2025-07-13 Your support helps us
//! … Support Now From reproductive rights to …", a caption run into the next paragraph, a
//! pop-up's headlines pasted into a body paragraph). This module cuts a paragraph into
//! sentences, scores each with the text stage, and finds the labelling of the sentences
//! that best explains them with as few label changes as possible (a small dynamic
//! programme). When that labelling has more than one run of labels, the paragraph is
//! split into those runs.

use std::ops::Range;

/// A piece of a paragraph with its own label.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// Byte range of the piece in the paragraph.
    pub range: Range<usize>,
    /// Label index.
    pub label: usize,
    /// Mean probability of each label over the piece's sentences.
    pub probabilities: Vec<f32>,
}

impl Piece {
    /// Mean probability of the piece's label.
    pub fn confidence(&self) -> f32 {
        self.probabilities[self.label]
    }
}

/// Settings of the splitter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SplitSettings {
    /// Cost, in nats, of a change of label between sentences: the larger, the more
    /// evidence a split needs.
    pub switch_cost: f32,
    /// A piece must have at least this many words.
    pub min_piece_words: usize,
    /// Each piece's label must have at least this mean probability.
    pub min_confidence: f32,
}

impl Default for SplitSettings {
    fn default() -> Self {
        SplitSettings {
            switch_cost: 4.0,
            min_piece_words: 4,
            min_confidence: 0.95,
        }
    }
}

/// Byte ranges of the sentences of `text`: a sentence ends at `.`, `!`, `?` or `…` (with
/// any closing quotes or brackets) followed by white space and a capital, digit or opening
/// quote. White space between sentences belongs to neither.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        if matches!(c, '.' | '!' | '?' | '…') {
            let mut j = i + 1;
            while j < chars.len()
                && matches!(
                    chars[j].1,
                    '"' | '”' | '’' | '\'' | ')' | ']' | '.' | '!' | '?'
                )
            {
                j += 1;
            }
            let mut k = j;
            while k < chars.len() && chars[k].1.is_whitespace() {
                k += 1;
            }
            let starts_sentence = k < chars.len()
                && k > j
                && (chars[k].1.is_uppercase()
                    || chars[k].1.is_ascii_digit()
                    || matches!(chars[k].1, '"' | '“' | '‘' | '\''));
            if starts_sentence {
                let end = chars.get(j).map_or(text.len(), |c| c.0);
                out.push(start..end);
                start = chars[k].0;
                i = k;
                continue;
            }
        }
        i += 1;
    }
    if start < text.len() && !text[start..].trim().is_empty() {
        out.push(start..text.trim_end().len().max(start));
    }
    out
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Splits `text` given each sentence's label probabilities (`probabilities[i]` for
/// `sentence_ranges[i]`). Returns `None` when the paragraph reads as one piece.
pub fn split_pieces(
    text: &str,
    sentence_ranges: &[Range<usize>],
    probabilities: &[Vec<f32>],
    settings: SplitSettings,
) -> Option<Vec<Piece>> {
    let n = sentence_ranges.len();
    if n < 2 {
        return None;
    }
    let k = probabilities[0].len();
    let cost = |i: usize, l: usize| -probabilities[i][l].max(1e-6).ln();
    // best[i][l]: least cost of sentences 0..=i with sentence i labelled l.
    let mut best = vec![vec![0f32; k]; n];
    let mut from = vec![vec![0usize; k]; n];
    for (l, b) in best[0].iter_mut().enumerate() {
        *b = cost(0, l);
    }
    for i in 1..n {
        for l in 0..k {
            let (prev, value) = (0..k)
                .map(|p| {
                    let switch = if p == l { 0.0 } else { settings.switch_cost };
                    (p, best[i - 1][p] + switch)
                })
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .expect("at least one label");
            best[i][l] = value + cost(i, l);
            from[i][l] = prev;
        }
    }
    let mut labels = vec![0usize; n];
    labels[n - 1] = (0..k)
        .min_by(|a, b| best[n - 1][*a].total_cmp(&best[n - 1][*b]))
        .expect("at least one label");
    for i in (1..n).rev() {
        labels[i - 1] = from[i][labels[i]];
    }
    if labels.iter().all(|l| *l == labels[0]) {
        return None;
    }
    let mut pieces: Vec<Piece> = Vec::new();
    let mut run_start = 0;
    for i in 1..=n {
        if i == n || labels[i] != labels[run_start] {
            let label = labels[run_start];
            let mut mean = vec![0f32; k];
            for sentence in &probabilities[run_start..i] {
                for (m, p) in mean.iter_mut().zip(sentence) {
                    *m += p / (i - run_start) as f32;
                }
            }
            let range = sentence_ranges[run_start].start..sentence_ranges[i - 1].end;
            pieces.push(Piece {
                range,
                label,
                probabilities: mean,
            });
            run_start = i;
        }
    }
    let convincing = pieces.iter().all(|p| {
        words(&text[p.range.clone()]) >= settings.min_piece_words
            && p.confidence() >= settings.min_confidence
    });
    convincing.then_some(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_terminal_punctuation_before_a_capital() {
        let text = "He said \"no.\" Then he left! 3 people saw it. e.g. this stays. Fine";
        let parts: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            parts,
            [
                "He said \"no.\"",
                "Then he left!",
                "3 people saw it. e.g. this stays.",
                "Fine"
            ]
        );
        assert!(sentences("").is_empty());
        let whole = sentences("One sentence.");
        assert_eq!((whole.len(), whole[0].clone()), (1, 0..13));
    }

    fn p(a: f32) -> Vec<f32> {
        vec![a, 1.0 - a]
    }

    #[test]
    fn confident_disagreeing_runs_are_split() {
        let text =
            "Donate to our newsroom today please. The council voted on Monday to close the pool.";
        let ranges = sentences(text);
        let pieces = split_pieces(
            text,
            &ranges,
            &[p(0.005), p(0.99)],
            SplitSettings::default(),
        )
        .expect("split");
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0].label, 1);
        assert_eq!(
            &text[pieces[1].range.clone()],
            "The council voted on Monday to close the pool."
        );
    }

    #[test]
    fn weak_or_agreeing_evidence_does_not_split() {
        let text = "The council met on Monday night. It voted to close the pool.";
        let ranges = sentences(text);
        assert!(
            split_pieces(text, &ranges, &[p(0.9), p(0.95)], SplitSettings::default()).is_none()
        );
        // One doubtful sentence is not worth a switch.
        assert!(split_pieces(text, &ranges, &[p(0.9), p(0.4)], SplitSettings::default()).is_none());
        let one = sentences("One.");
        assert!(split_pieces("One.", &one, &[p(0.1)], SplitSettings::default()).is_none());
    }
}
