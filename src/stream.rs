//! Tagging a stream of articles: read a bounded batch, tag it on every core, hand the
//! results on in input order, repeat. Memory stays flat however long the input is.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::feed::{self, FeedSettings, InputFormat, Item};
use crate::model::{FirstStage, Model, Tag};
use crate::repetition::{Repeats, RepetitionIndex};

/// Bounds of one batch: it closes at whichever limit is reached first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchLimits {
    pub articles: usize,
    pub paragraphs: usize,
}

impl Default for BatchLimits {
    fn default() -> Self {
        BatchLimits {
            articles: 2048,
            paragraphs: 16_384,
        }
    }
}

/// How to read and batch a stream.
#[derive(Debug, Clone, Default)]
pub struct StreamSettings {
    pub feed: FeedSettings,
    pub limits: BatchLimits,
    /// Report bad records and go on instead of stopping at the first.
    pub skip_bad: bool,
    /// Cut glued paragraphs into pieces (see [`crate::split`]).
    pub split: bool,
}

/// Counts of a finished stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StreamSummary {
    /// Articles read and tagged.
    pub articles: usize,
    /// Paragraphs tagged.
    pub paragraphs: usize,
    /// Bad records reported and skipped (only with `skip_bad`).
    pub skipped: usize,
    /// Articles read that had no paragraph (nothing to tag; `clean` still writes them).
    pub empty: usize,
}

/// Reads `inputs` in order and calls `sink` with each article and its tags, in input order.
///
/// A bad record stops the stream with its error, unless `skip_bad` is set: then it is
/// passed to `on_skip` and counted, and reading goes on. Errors of the input as a whole (a
/// missing file) always stop the stream.
pub fn tag_stream(
    model: &Model,
    inputs: &[PathBuf],
    settings: &StreamSettings,
    mut on_open: impl FnMut(&PathBuf, InputFormat) -> Result<()>,
    mut on_skip: impl FnMut(&Error),
    mut sink: impl FnMut(&Item, &[Tag]) -> Result<()>,
) -> Result<StreamSummary> {
    let mut summary = StreamSummary::default();
    let mut batch: Vec<Item> = Vec::with_capacity(settings.limits.articles);
    let mut batch_paragraphs = 0usize;
    // Repetition is counted over a window of the stream with bounded memory: each batch's
    // articles are added before they are looked up, so even the first batch sees the
    // repeats within itself.
    let mut index = model.uses_repetition().then(RepetitionIndex::default);
    let mut flush = |batch: &mut Vec<Item>, summary: &mut StreamSummary| -> Result<()> {
        let texts: Vec<Vec<&str>> = batch.iter().map(|item| item.article.texts()).collect();
        let first: Vec<FirstStage> = texts.par_iter().map(|t| model.first_stage(t)).collect();
        let repeats: Vec<Vec<Repeats>> = match index.as_mut() {
            Some(index) => {
                first
                    .iter()
                    .for_each(|f| index.add_article(f.fingerprints()));
                first
                    .iter()
                    .map(|f| f.fingerprints().iter().map(|p| index.repeats(p)).collect())
                    .collect()
            }
            None => batch
                .iter()
                .map(|item| vec![Repeats::default(); item.article.paragraphs.len()])
                .collect(),
        };
        let tags: Vec<Vec<Tag>> = texts
            .par_iter()
            .zip(first)
            .zip(&repeats)
            .map(|((texts, first), repeats)| model.finish(texts, first, repeats, settings.split))
            .collect();
        for (item, tags) in batch.iter().zip(&tags) {
            sink(item, tags)?;
            summary.articles += 1;
            summary.paragraphs += tags.len();
            summary.empty += usize::from(tags.is_empty());
        }
        batch.clear();
        Ok(())
    };
    for path in inputs {
        let (format, feed) = feed::open(path, &settings.feed)?;
        on_open(path, format)?;
        for item in feed {
            match item {
                Ok(item) => {
                    batch_paragraphs += item.article.paragraphs.len();
                    batch.push(item);
                    if batch.len() >= settings.limits.articles
                        || batch_paragraphs >= settings.limits.paragraphs
                    {
                        flush(&mut batch, &mut summary)?;
                        batch_paragraphs = 0;
                    }
                }
                Err(e @ Error::Input { .. }) if settings.skip_bad => {
                    on_skip(&e);
                    summary.skipped += 1;
                }
                Err(e) => {
                    // Results before the bad record are written first, so the output
                    // shows exactly how far the input was good.
                    flush(&mut batch, &mut summary)?;
                    return Err(e);
                }
            }
        }
    }
    flush(&mut batch, &mut summary)?;
    Ok(summary)
}
