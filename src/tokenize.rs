//! Word tokens for the text stage, from the Hugging Face `tokenizers` pipeline:
//! NFKC normalisation, lowercasing, and the `Whitespace` pre-tokenizer (`\w+|[^\w\s]+`),
//! so words and runs of punctuation such as `(`, `/` or `)` become separate tokens.

use tokenizers::normalizers::{Lowercase, Sequence, NFKC};
use tokenizers::pre_tokenizers::whitespace::Whitespace;
use tokenizers::{
    NormalizedString, Normalizer, OffsetReferential, OffsetType, PreTokenizedString, PreTokenizer,
};

/// Turns a paragraph into lowercase word and punctuation tokens.
pub struct Tokenizer {
    normalizer: Sequence,
    pre_tokenizer: Whitespace,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Tokenizer {
            normalizer: Sequence::new(vec![NFKC.into(), Lowercase.into()]),
            pre_tokenizer: Whitespace,
        }
    }
}

impl Tokenizer {
    /// Calls `each` with every token of `text`, in order.
    pub fn for_each_token(&self, text: &str, mut each: impl FnMut(&str)) {
        let mut normalized = NormalizedString::from(text);
        // Neither step can fail on valid UTF-8; on an internal error fall back to the raw
        // text rather than losing the paragraph's evidence.
        if self.normalizer.normalize(&mut normalized).is_err() {
            normalized = NormalizedString::from(text.to_lowercase().as_str());
        }
        let mut pretokenized = PreTokenizedString::from(normalized);
        if self.pre_tokenizer.pre_tokenize(&mut pretokenized).is_err() {
            text.split_whitespace().for_each(each);
            return;
        }
        for (token, _, _) in
            pretokenized.get_splits(OffsetReferential::Normalized, OffsetType::None)
        {
            each(token);
        }
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

    #[test]
    fn empty_text_has_no_tokens() {
        assert!(Tokenizer::default().tokens("  ").is_empty());
    }
}
