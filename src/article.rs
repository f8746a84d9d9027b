//! Articles and their paragraphs, as they come in to be tagged.

use crate::text::paragraphs::split_paragraphs;

/// One paragraph of an article: its text and its 0-based place in the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Its 0-based place in the article.
    pub position: usize,
    /// Its text.
    pub text: String,
}

/// An article: an id and its paragraphs in page order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Article {
    /// The article's id (a file name, a JSONL id field, a CSV doc_id or `file:line`).
    pub id: String,
    /// Its paragraphs, in page order.
    pub paragraphs: Vec<Paragraph>,
}

impl Article {
    /// An article whose paragraphs are numbered 0, 1, 2... in the order given.
    pub fn new(id: impl Into<String>, texts: impl IntoIterator<Item = String>) -> Self {
        Article {
            id: id.into(),
            paragraphs: texts
                .into_iter()
                .enumerate()
                .map(|(position, text)| Paragraph { position, text })
                .collect(),
        }
    }

    /// An article from plain text, cut with [`split_paragraphs`].
    pub fn from_text(id: impl Into<String>, text: &str) -> Self {
        Article::new(id, split_paragraphs(text))
    }

    /// The paragraph texts, in order.
    pub fn texts(&self) -> Vec<&str> {
        self.paragraphs.iter().map(|p| p.text.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_numbers_paragraphs_in_order() {
        let a = Article::from_text("doc", "x\n\ny");
        assert_eq!(a.paragraphs[1].position, 1);
        assert_eq!(a.texts(), ["x", "y"]);
    }
}
