//! What `tag` and `clean` share: tag every input file through a [`Tagger`], hand each
//! article to the command's writer, show progress, and report the run's counts.

use std::io;
use std::path::PathBuf;

use chaff::io::stream::FeedHandler;
use chaff::io::{tag_feeds, FeedSummary, InputFormat, Item, Render, Tagged};
use chaff::{Error, Model, Result, TaggedArticle, Tagger};

use super::args::InputArgs;
use super::progress::Progress;
use super::{note, warn};

/// A command's way of writing tagged articles.
pub trait ArticleWriter {
    /// An input was opened; an error stops the run (clean refuses mixed formats).
    fn opened(&mut self, _path: &PathBuf, _format: InputFormat) -> Result<()> {
        Ok(())
    }
    /// Refuses an article the writer cannot write (a bad record); checked before
    /// [`ArticleWriter::write`].
    fn check(&mut self, _item: &Item) -> Result<()> {
        Ok(())
    }
    /// How to render each article on the tagging threads (see
    /// [`FeedHandler::renderer`]); `None` (the default) renders nothing.
    fn renderer(&self) -> Option<&dyn Render> {
        None
    }
    /// Writes one article from its tags (a writer without a renderer).
    fn write(&mut self, item: &Item, tagged: &TaggedArticle) -> io::Result<()>;
    /// Writes what the [`ArticleWriter::renderer`] made of one article. Called only for
    /// writers with a renderer, which must provide it.
    fn write_rendered(&mut self, _rendered: &[u8]) -> io::Result<()> {
        unreachable!("a writer without a renderer is handed tags, never rendered bytes")
    }
}

/// Adapts a writer to the library's feed handler: progress, skipped records, and the
/// output's name on write errors.
struct Handler<'a, W> {
    writer: &'a mut W,
    progress: &'a Progress,
    output: &'a str,
    articles: usize,
    paragraphs: usize,
}

impl<W: ArticleWriter> FeedHandler for Handler<'_, W> {
    fn opened(&mut self, path: &PathBuf, format: InputFormat) -> Result<()> {
        self.writer.opened(path, format)
    }

    fn skipped(&mut self, error: &Error) {
        self.progress.suspend(|| warn(format!("skipped: {error}")));
    }

    fn renderer(&self) -> Option<&dyn Render> {
        self.writer.renderer()
    }

    fn article(&mut self, item: &Item, tagged: Tagged) -> Result<()> {
        self.writer.check(item)?;
        match tagged {
            Tagged::Rendered(bytes) => self.writer.write_rendered(bytes),
            Tagged::Article(tagged) => self.writer.write(item, tagged),
        }
        .map_err(|e| Error::io(self.output, e))?;
        self.articles += 1;
        self.paragraphs += item.article.paragraphs.len();
        if self.articles % 256 == 0 {
            self.progress.show(self.articles, self.paragraphs);
        }
        Ok(())
    }
}

/// Tags the inputs of `input` with `model` and writes each article with `writer`;
/// `output` names the output in messages; `explain` asks the tagger for explanations.
pub fn tag_inputs(
    input: &InputArgs,
    model: &Model,
    quiet: bool,
    writer: &mut impl ArticleWriter,
    output: &str,
    explain: bool,
) -> Result<FeedSummary> {
    let inputs = input.files();
    let progress = Progress::new(quiet, &inputs);
    let mut settings = input.feed();
    settings.bytes_read = (!progress.is_hidden()).then(|| progress.bytes.clone());
    let mut tagger = Tagger::new(model)
        .pieces(input.pieces)
        .explanations(explain);
    let mut handler = Handler {
        writer,
        progress: &progress,
        output,
        articles: 0,
        paragraphs: 0,
    };
    let summary = tag_feeds(
        &mut tagger,
        &inputs,
        &settings,
        input.skip_bad,
        &mut handler,
    );
    progress.finish();
    let summary = summary?;
    if summary.empty > 0 {
        // Reported whatever the terminal: `tag` writes no record for these, and a user
        // counting records must be able to see why.
        warn(format!(
            "{} of {} articles had no paragraphs (nothing to tag)",
            summary.empty, summary.articles
        ));
    }
    if looks_like_one_paragraph_per_record(&summary) {
        warn(format!(
            "all {} articles had a single paragraph: if they are paragraphs of longer \
             articles, give each row its article's doc_id (CSV) or one record per article \
             (JSONL), since chaff reads a paragraph in its page; read alone, paragraphs are \
             tagged less well (newsroom-dev: macro-F1 0.80 against 0.86)",
            summary.articles
        ));
    }
    if summary.skipped > 0 {
        warn(format!(
            "{} bad record{} skipped; {} articles tagged",
            summary.skipped,
            if summary.skipped == 1 { "" } else { "s" },
            summary.articles
        ));
    }
    note(
        quiet || progress.is_hidden(),
        format!(
            "{} articles, {} paragraphs in {:.2} s",
            summary.articles,
            summary.paragraphs,
            progress.elapsed()
        ),
    );
    Ok(summary)
}

/// A feed of many articles that all have one paragraph is most likely paragraphs whose
/// article id was lost (a CSV without doc_id, one JSONL record per paragraph).
fn looks_like_one_paragraph_per_record(summary: &FeedSummary) -> bool {
    summary.articles >= 20 && summary.paragraphs == summary.articles
}
