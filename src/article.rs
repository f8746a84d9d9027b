//! Articles and their paragraphs, and how plain text is cut into paragraphs.

/// One paragraph of an article: its text and its 0-based place in the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub position: usize,
    pub text: String,
}

/// An article: an id and its paragraphs in page order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Article {
    pub id: String,
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

/// Cuts plain text into paragraphs: blocks separated by blank lines, or, when the text has
/// no blank line at all, one paragraph per line (the two shapes scrapers write).
///
/// The lines of one block are joined with a single space (scrapers hard-wrap), surrounding
/// white space is trimmed, a leading byte-order mark is dropped and empty blocks vanish.
///
/// ```
/// let paragraphs = chaff::split_paragraphs("First line\nstill first.\n\nSecond.\n");
/// assert_eq!(paragraphs, ["First line still first.", "Second."]);
/// let paragraphs = chaff::split_paragraphs("One\nTwo\n");
/// assert_eq!(paragraphs, ["One", "Two"]);
/// ```
pub fn split_paragraphs(text: &str) -> Vec<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let has_blank_line = {
        // A blank line only separates when there is text on both sides of it.
        let first = lines.iter().position(|l| !l.is_empty());
        let last = lines.iter().rposition(|l| !l.is_empty());
        match (first, last) {
            (Some(a), Some(b)) => lines[a..=b].iter().any(|l| l.is_empty()),
            _ => false,
        }
    };
    if !has_blank_line {
        return lines
            .into_iter()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
    }
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in lines {
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_separate_paragraphs() {
        let text = "A first\nparagraph.\n\n\n  Second one.  \r\n\r\nThird.";
        assert_eq!(
            split_paragraphs(text),
            ["A first paragraph.", "Second one.", "Third."]
        );
    }

    #[test]
    fn no_blank_line_means_one_paragraph_per_line() {
        assert_eq!(split_paragraphs("a\r\nb\nc"), ["a", "b", "c"]);
        // Blank lines only at the ends do not count as separators.
        assert_eq!(split_paragraphs("\n\na\nb\n\n"), ["a", "b"]);
    }

    #[test]
    fn empty_and_whitespace_text_has_no_paragraphs() {
        assert!(split_paragraphs("").is_empty());
        assert!(split_paragraphs(" \n\t\n").is_empty());
        assert!(split_paragraphs("\u{feff}").is_empty());
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        assert_eq!(split_paragraphs("\u{feff}Hello"), ["Hello"]);
    }

    proptest::proptest! {
        #[test]
        fn any_text_splits_into_trimmed_paragraphs_that_keep_every_visible_character(
            text in "(\\PC|[\n\r\t \u{a0}\u{feff}]){0,200}"
        ) {
            let paragraphs = split_paragraphs(&text);
            for p in &paragraphs {
                proptest::prop_assert!(!p.is_empty());
                proptest::prop_assert_eq!(p.trim(), p.as_str());
                proptest::prop_assert!(!p.contains('\n'));
            }
            let visible = |s: &str| -> String {
                s.chars().filter(|c| !c.is_whitespace()).collect()
            };
            let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
            proptest::prop_assert_eq!(visible(&paragraphs.concat()), visible(body));
        }
    }

    #[test]
    fn article_numbers_paragraphs_in_order() {
        let a = Article::from_text("doc", "x\n\ny");
        assert_eq!(a.paragraphs[1].position, 1);
        assert_eq!(a.texts(), ["x", "y"]);
    }
}
