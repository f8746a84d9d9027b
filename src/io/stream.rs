//! Tagging feeds of files: read a bounded batch of articles, tag it with a [`Tagger`],
//! hand the results on in input order, repeat. Memory stays flat however long the input.

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::io::feed::{self, FeedSettings, InputFormat, Item};
use crate::tagger::{TaggedArticle, Tagger};

/// Counts of a finished run over feeds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeedSummary {
    /// Articles read and tagged.
    pub articles: usize,
    /// Paragraphs tagged.
    pub paragraphs: usize,
    /// Bad records reported and skipped (only with `skip_bad`).
    pub skipped: usize,
    /// Articles read that had no paragraph (nothing to tag; `clean` still writes them).
    pub empty: usize,
}

/// What a run over feeds calls back: when an input is opened, when a bad record is
/// skipped, and with each tagged article, in input order.
pub trait FeedHandler {
    /// An input was opened and will be read as `format`; an error stops the run.
    fn opened(&mut self, _path: &PathBuf, _format: InputFormat) -> Result<()> {
        Ok(())
    }
    /// A bad record was skipped (only with `skip_bad`).
    fn skipped(&mut self, _error: &Error) {}
    /// An article and its tags; an error stops the run.
    fn article(&mut self, item: &Item, tagged: &TaggedArticle) -> Result<()>;
}

/// Reads `inputs` in order, tags their articles with `tagger` and hands each to `handler`,
/// in input order. Batches follow the tagger's [`crate::BatchLimits`].
///
/// A bad record stops the run with its error, unless `skip_bad` is set: then it is passed
/// to [`FeedHandler::skipped`] and counted, and reading goes on. Errors of the input as a
/// whole (a missing file) always stop the run. Results before a bad record are handed on
/// first, so the output shows exactly how far the input was good.
pub fn tag_feeds(
    tagger: &mut Tagger,
    inputs: &[PathBuf],
    settings: &FeedSettings,
    skip_bad: bool,
    handler: &mut impl FeedHandler,
) -> Result<FeedSummary> {
    let limits = tagger.limits();
    let mut summary = FeedSummary::default();
    let mut batch: Vec<Item> = Vec::with_capacity(limits.articles);
    let mut batch_paragraphs = 0usize;
    for path in inputs {
        let (format, feed) = feed::open(path, settings)?;
        handler.opened(path, format)?;
        for item in feed {
            match item {
                Ok(item) => {
                    batch_paragraphs += item.article.paragraphs.len();
                    batch.push(item);
                    if batch.len() >= limits.articles || batch_paragraphs >= limits.paragraphs {
                        flush(tagger, handler, &mut batch, &mut summary)?;
                        batch_paragraphs = 0;
                    }
                }
                Err(e @ Error::Input { .. }) if skip_bad => {
                    handler.skipped(&e);
                    summary.skipped += 1;
                }
                Err(e) => {
                    flush(tagger, handler, &mut batch, &mut summary)?;
                    return Err(e);
                }
            }
        }
    }
    flush(tagger, handler, &mut batch, &mut summary)?;
    Ok(summary)
}

/// Tags the articles of `batch`, hands them on in order and empties the batch.
fn flush(
    tagger: &mut Tagger,
    handler: &mut impl FeedHandler,
    batch: &mut Vec<Item>,
    summary: &mut FeedSummary,
) -> Result<()> {
    let texts: Vec<Vec<&str>> = batch.iter().map(|item| item.article.texts()).collect();
    let tags = tagger.tag_texts(&texts);
    for (item, tags) in batch.iter().zip(tags) {
        let tagged = tagger.tagged(&item.article, tags);
        handler.article(item, &tagged)?;
        summary.articles += 1;
        summary.paragraphs += tagged.paragraphs.len();
        summary.empty += usize::from(tagged.paragraphs.is_empty());
    }
    batch.clear();
    Ok(())
}
