//! How plain text is cut into paragraphs.

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
    // Sized by counting line breaks first (a vectorised scan): grown from empty, the line
    // and paragraph lists were reallocated several times for every article.
    let mut lines: Vec<&str> =
        Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    lines.extend(text.lines().map(str::trim));
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
    let mut paragraphs = Vec::with_capacity(lines.len() / 2 + 1);
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

/// Where each paragraph of [`split_paragraphs`] lies in `text`: one byte range per
/// paragraph, in order, from its first to its last non-white-space character (for a block
/// of several lines, the whole block with its inner line breaks). The lines of
/// `&text[range]`, trimmed and joined with a space, are the paragraph.
///
/// ```
/// let text = "\u{feff} First line\n still first. \n\nSecond.\n";
/// let spans = chaff::paragraph_spans(text);
/// assert_eq!(&text[spans[0].clone()], "First line\n still first.");
/// assert_eq!(&text[spans[1].clone()], "Second.");
/// ```
pub fn paragraph_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    // Each line's trimmed byte range (empty for a blank line), as `str::lines` cuts them:
    // a trailing line break ends the last line rather than starting an empty one.
    let mut lines: Vec<std::ops::Range<usize>> = Vec::new();
    let mut at = start;
    for line in text[start..].split_inclusive('\n') {
        let trimmed = line.trim();
        let from = at + (line.len() - line.trim_start().len());
        lines.push(from..from + trimmed.len());
        at += line.len();
    }
    let blank = |r: &std::ops::Range<usize>| r.is_empty();
    let has_blank_line = match (
        lines.iter().position(|l| !blank(l)),
        lines.iter().rposition(|l| !blank(l)),
    ) {
        (Some(a), Some(b)) => lines[a..=b].iter().any(blank),
        _ => false,
    };
    if !has_blank_line {
        return lines.into_iter().filter(|l| !blank(l)).collect();
    }
    let mut spans = Vec::new();
    let mut current: Option<std::ops::Range<usize>> = None;
    for line in lines {
        if blank(&line) {
            spans.extend(current.take());
        } else {
            current = Some(match current {
                Some(block) => block.start..line.end,
                None => line,
            });
        }
    }
    spans.extend(current);
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The paragraph a span gives: its lines trimmed and joined with a space.
    fn joined(text: &str) -> String {
        text.lines().map(str::trim).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn spans_cover_each_paragraph_in_the_original_text() {
        let text = "\u{feff}  A first\r\n  paragraph. \n\n\n  Second one.  \r\n\r\nThird.";
        let spans = paragraph_spans(text);
        let pieces: Vec<&str> = spans.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(pieces, ["A first\r\n  paragraph.", "Second one.", "Third."]);
        let text = " a \r\nb\n";
        let pieces: Vec<&str> = paragraph_spans(text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(pieces, ["a", "b"]);
        assert!(paragraph_spans("\u{feff}\n \n").is_empty());
    }

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

        #[test]
        fn spans_give_back_exactly_the_split_paragraphs(
            text in "(\\PC|[\n\r\t \u{a0}\u{feff}\u{2028}\u{85}]){0,200}"
        ) {
            let from_spans: Vec<String> = paragraph_spans(&text)
                .into_iter()
                .map(|r| joined(&text[r]))
                .collect();
            proptest::prop_assert_eq!(from_spans, split_paragraphs(&text));
        }
    }
}
