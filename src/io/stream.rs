//! Tagging feeds of files: read a bounded batch of articles, tag it with a [`Tagger`],
//! hand the results on in input order, repeat. Memory stays flat however long the input.
//!
//! With more than one thread, three stages overlap: a reading thread parses the inputs
//! up to a batch ahead; rayon's threads score batch n+1's text
//! stage while the calling thread counts batch n's repetition, has rayon's threads finish
//! and render it, and writes the rendered bytes in order. Run one after the other,
//! reading and writing left every tagging thread idle for a seventh of the time
//! (docs/decisions.md, "Reading and rendering beside tagging", "Scoring the next batch
//! while writing the last").

use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::io::feed::{self, FeedSettings, InputFormat, Item};
use crate::io::writers::Render;
use crate::model::TextStageScores;
use crate::tagger::{BatchLimits, TaggedArticle, Tagger};

/// Most articles the reading thread hands over at a time: enough that handing over costs
/// nothing next to parsing them.
const CHUNK_ARTICLES: usize = 64;

/// Most paragraphs the reading thread hands over at a time (a chunk closes at whichever
/// bound it reaches first, as a batch does): in the same proportion to
/// [`CHUNK_ARTICLES`] as the default batch's bounds, so a batch is 32 chunks by either.
const CHUNK_PARAGRAPHS: usize = 512;

/// How many chunks the reading thread may be ahead: one batch's worth, so that a whole
/// batch is read while the one before is tagged (with 4 chunks, a quarter of a batch, the
/// tagging threads waited for most of each batch to be parsed). Memory then holds about
/// four batches: the one being finished, the one being scored, the one being gathered and
/// the one read ahead.
fn chunks_ahead(limits: BatchLimits) -> usize {
    limits
        .articles
        .div_ceil(CHUNK_ARTICLES)
        .max(limits.paragraphs.div_ceil(CHUNK_PARAGRAPHS))
}

/// What reading the inputs yields, in input order.
enum Read {
    /// An input was opened and will be read as this format.
    Opened(usize, InputFormat),
    /// A record: an article, or a bad record's error.
    Record(Result<Item>),
    /// An input could not be opened or read as a whole: the run stops.
    Failed(Error),
}

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
    /// How to render each tagged article on the tagging threads, if the handler writes
    /// bytes: [`FeedHandler::article`] then gets them ([`Tagged::Rendered`]), in input
    /// order, and only has to copy them out. `None` (the default) renders nothing, and the
    /// handler gets the tags ([`Tagged::Article`]).
    fn renderer(&self) -> Option<&dyn Render> {
        None
    }
    /// An article and its tags, or what the [`FeedHandler::renderer`] made of them; an
    /// error stops the run.
    fn article(&mut self, item: &Item, tagged: Tagged) -> Result<()>;
}

/// A tagged article as a [`FeedHandler`] gets it.
#[derive(Clone, Copy)]
pub enum Tagged<'t, 'a> {
    /// The bytes the handler's renderer made of it. Its tags were dropped on the tagging
    /// thread that rendered them: dropped by the thread that hands articles on, they kept
    /// the tagging threads waiting at the end of every batch (docs/decisions.md, "No
    /// tagging thread waits at the end of a batch").
    Rendered(&'t [u8]),
    /// Its tags, for a handler without a renderer.
    Article(&'t TaggedArticle<'a>),
}

/// What a tagging thread made of one article: the rendered bytes, or the tags when the
/// handler has no renderer.
enum Done<'a> {
    Rendered(Vec<u8>),
    Article(TaggedArticle<'a>),
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
    let mut run = Run {
        tagger,
        handler,
        summary: FeedSummary::default(),
        scored: None,
        spent: None,
        overlap: rayon::current_num_threads() > 1,
    };
    let mut batch: Vec<Item> = Vec::with_capacity(limits.articles);
    let mut batch_paragraphs = 0usize;
    for read in reads(inputs, settings, limits) {
        match read {
            Read::Opened(input, format) => run.handler.opened(&inputs[input], format)?,
            Read::Record(Ok(item)) => {
                batch_paragraphs += item.article.paragraphs.len();
                batch.push(item);
                if batch.len() >= limits.articles || batch_paragraphs >= limits.paragraphs {
                    run.advance(std::mem::take(&mut batch))?;
                    batch_paragraphs = 0;
                }
            }
            Read::Record(Err(e @ Error::Input { .. })) if skip_bad => {
                run.handler.skipped(&e);
                run.summary.skipped += 1;
            }
            Read::Record(Err(e)) | Read::Failed(e) => {
                run.advance(batch)?;
                run.drain()?;
                return Err(e);
            }
        }
    }
    run.advance(batch)?;
    run.drain()?;
    Ok(run.summary)
}

/// A run over feeds between batches: the batch whose text stage is done and that waits to
/// be finished and handed on, and what is needed to do so.
struct Run<'r, 'm, H> {
    tagger: &'r mut Tagger<'m>,
    handler: &'r mut H,
    summary: FeedSummary,
    scored: Option<Scored>,
    /// The last batch handed on, dropped while the next is scored: its thousands of
    /// strings took a millisecond or two to free, with the tagging threads idle.
    spent: Option<Vec<Item>>,
    /// Whether the text stage of each batch runs beside the finishing of the one before
    /// (more than one thread); with one thread each batch is tagged whole in turn, on one
    /// core.
    overlap: bool,
}

/// A batch of articles and their text-stage scores.
struct Scored {
    batch: Vec<Item>,
    scores: Vec<TextStageScores>,
}

impl<H: FeedHandler> Run<'_, '_, H> {
    /// Takes the next batch: scores it, and finishes and hands on the batch scored before,
    /// at the same time when overlapping. The text stage needs only the model, and the
    /// rest (the repetition count, whose order matters, and writing) runs on the calling
    /// thread, so rayon's threads score batch n+1 while batch n is counted, finished and
    /// written; run one after the other, they waited for the calling thread at every
    /// batch (docs/decisions.md, "Scoring the next batch while writing the last").
    fn advance(&mut self, batch: Vec<Item>) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let scorer = self.tagger.scorer();
        if !self.overlap {
            let scores = scorer.score(&texts_of(&batch));
            return self.finish(Scored { batch, scores });
        }
        let previous = self.scored.take();
        let (scores, finished) = std::thread::scope(|scope| {
            let scoring = scope.spawn(|| scorer.score(&texts_of(&batch)));
            drop(self.spent.take());
            let finished = previous.map_or(Ok(()), |p| self.finish(p));
            (scoring.join(), finished)
        });
        let scores = scores.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        finished?;
        self.scored = Some(Scored { batch, scores });
        Ok(())
    }

    /// Finishes and hands on the batch still waiting, if any.
    fn drain(&mut self) -> Result<()> {
        match self.scored.take() {
            Some(scored) => self.finish(scored),
            None => Ok(()),
        }
    }

    /// Finishes a scored batch and hands it on in order: its repetition counted on the
    /// calling thread, then each article finished and rendered in one pass on the tagging
    /// threads (two passes, each ending in a wait for its slowest article, were one wait
    /// too many).
    fn finish(&mut self, Scored { batch, scores }: Scored) -> Result<()> {
        let texts = texts_of(&batch);
        let repeats = self.tagger.count_repeats(&texts, &scores);
        let tagger: &Tagger = self.tagger;
        let renderer = self.handler.renderer();
        let done: Vec<Done> = batch
            .par_iter()
            .zip(&texts)
            .zip(scores)
            .zip(&repeats)
            .map(|(((item, texts), scores), repeats)| {
                let tagged =
                    tagger.tagged(&item.article, tagger.finish_article(texts, scores, repeats));
                match renderer {
                    Some(renderer) => {
                        let mut rendered = Vec::new();
                        renderer.render(item, &tagged, &mut rendered);
                        Done::Rendered(rendered)
                    }
                    None => Done::Article(tagged),
                }
            })
            .collect();
        for (item, done) in batch.iter().zip(&done) {
            let tagged = match done {
                Done::Rendered(bytes) => Tagged::Rendered(bytes),
                Done::Article(tagged) => Tagged::Article(tagged),
            };
            self.handler.article(item, tagged)?;
            let paragraphs = item.article.paragraphs.len();
            self.summary.articles += 1;
            self.summary.paragraphs += paragraphs;
            self.summary.empty += usize::from(paragraphs == 0);
        }
        drop(done);
        if self.overlap {
            self.spent = Some(batch);
        }
        Ok(())
    }
}

/// Each article's paragraph texts.
fn texts_of(batch: &[Item]) -> Vec<Vec<&str>> {
    batch.iter().map(|item| item.article.texts()).collect()
}

/// The inputs' reads, in order: on a thread of their own when tagging has more than one
/// thread, so reading overlaps tagging; in line with one, so that a run asked for one
/// thread uses one core (as a pipeline running one process per core expects).
fn reads(
    inputs: &[PathBuf],
    settings: &FeedSettings,
    limits: BatchLimits,
) -> Box<dyn Iterator<Item = Read>> {
    let reading = Reading::new(inputs, settings);
    if rayon::current_num_threads() > 1 {
        Box::new(read_ahead(reading, chunks_ahead(limits)))
    } else {
        Box::new(reading)
    }
}

/// Starts a thread that goes through `reads` and hands over what it read in chunks. It
/// stops after the first failure, at the end of the inputs, or when the receiver is
/// dropped (the run stopped): it is not joined then, so a run that stops early never waits
/// for an input that blocks (a pipe with nothing more to say).
fn read_ahead(reads: impl Iterator<Item = Read> + Send + 'static, ahead: usize) -> ReadAhead {
    let (sender, receiver) = sync_channel(ahead);
    let thread = std::thread::Builder::new()
        .name("chaff-read".into())
        .spawn(move || hand_over_chunks(reads, &sender))
        .expect("a thread to read the inputs can be started");
    ReadAhead {
        receiver,
        thread: Some(thread),
        chunk: Vec::new().into_iter(),
    }
}

/// The reads the reading thread hands over, in order.
struct ReadAhead {
    receiver: Receiver<Vec<Read>>,
    /// Joined when the reads end, so that a panic while reading reaches the caller
    /// instead of passing for the end of the input.
    thread: Option<std::thread::JoinHandle<()>>,
    chunk: std::vec::IntoIter<Read>,
}

impl Iterator for ReadAhead {
    type Item = Read;

    fn next(&mut self) -> Option<Read> {
        loop {
            if let Some(read) = self.chunk.next() {
                return Some(read);
            }
            match self.receiver.recv() {
                Ok(chunk) => self.chunk = chunk.into_iter(),
                Err(_) => {
                    if let Some(Err(panic)) = self.thread.take().map(|t| t.join()) {
                        std::panic::resume_unwind(panic);
                    }
                    return None;
                }
            }
        }
    }
}

/// The reading thread's work (see [`read_ahead`]); returns when the run is over.
fn hand_over_chunks(reads: impl Iterator<Item = Read>, sender: &SyncSender<Vec<Read>>) {
    let mut chunk = Vec::with_capacity(CHUNK_ARTICLES);
    let mut paragraphs = 0;
    for read in reads {
        // An input's opening is handed over at once: the handler may refuse the input
        // before a record of it arrives (a pipe may be slow to send one).
        let now = match &read {
            Read::Record(Ok(item)) => {
                paragraphs += item.article.paragraphs.len();
                chunk.len() + 1 >= CHUNK_ARTICLES || paragraphs >= CHUNK_PARAGRAPHS
            }
            Read::Record(Err(_)) => chunk.len() + 1 >= CHUNK_ARTICLES,
            Read::Opened(..) | Read::Failed(_) => true,
        };
        chunk.push(read);
        if now {
            paragraphs = 0;
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_ARTICLES));
            if sender.send(full).is_err() {
                return;
            }
        }
    }
    if !chunk.is_empty() {
        let _ = sender.send(chunk);
    }
}

/// Opens and reads inputs in order: an [`Read::Opened`] for each, then its records; a
/// [`Read::Failed`] ends it.
struct Reading {
    inputs: Vec<PathBuf>,
    settings: FeedSettings,
    /// Index of the next input to open.
    next: usize,
    feed: Option<feed::Feed>,
    failed: bool,
}

impl Reading {
    fn new(inputs: &[PathBuf], settings: &FeedSettings) -> Self {
        Reading {
            inputs: inputs.to_vec(),
            settings: settings.clone(),
            next: 0,
            feed: None,
            failed: false,
        }
    }
}

impl Iterator for Reading {
    type Item = Read;

    fn next(&mut self) -> Option<Read> {
        if self.failed {
            return None;
        }
        if let Some(record) = self.feed.as_mut().and_then(Iterator::next) {
            return Some(Read::Record(record));
        }
        let input = self.next;
        let path = self.inputs.get(input)?;
        self.next += 1;
        match feed::open(path, &self.settings) {
            Ok((format, feed)) => {
                self.feed = Some(feed);
                Some(Read::Opened(input, format))
            }
            Err(e) => {
                self.feed = None;
                self.failed = true;
                Some(Read::Failed(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: usize) -> Read {
        let text = format!("Paragraph of article {id}.");
        Read::Record(Ok(Item {
            article: crate::Article::new(id.to_string(), [text]),
            origin: crate::io::feed::Origin::Text,
            location: crate::error::Location::file(std::path::Path::new("t.txt")),
        }))
    }

    fn ids(reads: impl Iterator<Item = Read>) -> Vec<String> {
        reads
            .map(|read| match read {
                Read::Record(Ok(item)) => item.article.paragraphs[0].text.clone(),
                Read::Opened(..) => "opened".into(),
                Read::Record(Err(e)) | Read::Failed(e) => format!("error: {e}"),
            })
            .collect()
    }

    /// Collects what a run hands on.
    #[derive(Default)]
    struct Collect {
        ids: Vec<String>,
        labels: Vec<String>,
    }

    impl FeedHandler for Collect {
        fn article(&mut self, item: &Item, tagged: Tagged) -> Result<()> {
            let Tagged::Article(tagged) = tagged else {
                panic!("no renderer, so the tags are handed on");
            };
            self.ids.push(item.article.id.clone());
            self.labels
                .extend(tagged.paragraphs.iter().map(|p| p.label.to_string()));
            Ok(())
        }
    }

    /// Renders what a run hands on as JSONL records with every label's score.
    struct Rendering(crate::io::TagWriter<Vec<u8>>);

    impl Rendering {
        fn new() -> Self {
            let labels = crate::Model::builtin().unwrap().labels().clone();
            Rendering(crate::io::TagWriter::new(
                Vec::new(),
                crate::io::TagFormat::Jsonl,
                true,
                false,
                &labels,
            ))
        }
    }

    impl FeedHandler for Rendering {
        fn renderer(&self) -> Option<&dyn Render> {
            Some(self.0.records())
        }

        fn article(&mut self, _: &Item, tagged: Tagged) -> Result<()> {
            let Tagged::Rendered(bytes) = tagged else {
                panic!("a handler with a renderer is handed rendered bytes");
            };
            self.0.write_rendered(bytes).unwrap();
            Ok(())
        }
    }

    /// Tags `path` in batches of 3 articles on a pool of `threads`.
    fn run(threads: usize, path: &std::path::Path) -> (Collect, Result<FeedSummary>) {
        run_with(threads, path, Collect::default())
    }

    /// [`run`] with the given handler.
    fn run_with<H: FeedHandler + Send>(
        threads: usize,
        path: &std::path::Path,
        mut handler: H,
    ) -> (H, Result<FeedSummary>) {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let model = crate::Model::builtin().unwrap();
            let mut tagger = Tagger::new(&model).batch_limits(BatchLimits {
                articles: 3,
                paragraphs: 1000,
            });
            let summary = tag_feeds(
                &mut tagger,
                &[path.to_path_buf()],
                &FeedSettings::default(),
                false,
                &mut handler,
            );
            (handler, summary)
        })
    }

    #[test]
    fn batches_scored_ahead_are_handed_on_in_order_and_before_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let good: String = (0..11)
            .map(|i| {
                format!(
                    "{{\"id\": \"a{i}\", \"text\": \"Support our newsroom today.\\n\\n\
                     The council met on day {i} to vote on the budget.\"}}\n"
                )
            })
            .collect();
        let whole = dir.path().join("good.jsonl");
        std::fs::write(&whole, &good).unwrap();
        let broken = dir.path().join("broken.jsonl");
        std::fs::write(&broken, format!("{good}not json\n")).unwrap();
        let want: Vec<String> = (0..11).map(|i| format!("a{i}")).collect();
        let (one, summary) = run(1, &whole);
        assert_eq!(summary.unwrap().articles, 11);
        assert_eq!(one.ids, want);
        for threads in [1, 2] {
            let (got, summary) = run(threads, &whole);
            assert_eq!(summary.unwrap().articles, 11);
            assert_eq!(got.ids, want, "{threads} threads");
            assert_eq!(got.labels, one.labels, "{threads} threads");
            // Four batches, the last scored while the one before is written: every
            // article before the bad record is handed on before its error.
            let (got, summary) = run(threads, &broken);
            assert!(summary.is_err(), "{threads} threads");
            assert_eq!(got.ids, want, "{threads} threads");
        }
    }

    #[test]
    fn a_handler_with_a_renderer_gets_the_records_of_every_article_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let articles: Vec<crate::Article> = (0..10)
            .map(|i| {
                crate::Article::new(
                    format!("a{i}"),
                    [
                        "Support our newsroom today.".to_string(),
                        format!("The council met on day {i} to vote on the budget."),
                        "(Photo: Jane Doe/Agency)".to_string(),
                        format!("Residents said the vote on day {i} came late."),
                    ],
                )
            })
            .collect();
        let feed: String = articles
            .iter()
            .map(|a| {
                let text: Vec<&str> = a.texts();
                format!(
                    "{}\n",
                    serde_json::json!({"id": a.id, "text": text.join("\n\n")})
                )
            })
            .collect();
        let path = dir.path().join("feed.jsonl");
        std::fs::write(&path, feed).unwrap();
        // What rendering the tags of the same articles, tagged in the same batches, gives.
        let model = crate::Model::builtin().unwrap();
        let mut tagger = Tagger::new(&model).batch_limits(BatchLimits {
            articles: 3,
            paragraphs: 1000,
        });
        let mut want = Rendering::new();
        for batch in articles.chunks(3) {
            for tagged in tagger.tag(batch).unwrap() {
                let mut bytes = Vec::new();
                want.0.records().render(&tagged, &mut bytes);
                want.0.write_rendered(&bytes).unwrap();
            }
        }
        let want = String::from_utf8(want.0.finish().unwrap()).unwrap();
        assert_eq!(want.lines().count(), 40);
        for threads in [1, 2] {
            let (got, summary) = run_with(threads, &path, Rendering::new());
            assert_eq!(summary.unwrap().paragraphs, 40);
            let got = String::from_utf8(got.0.finish().unwrap()).unwrap();
            assert_eq!(got, want, "{threads} threads");
        }
    }

    #[test]
    fn reads_ahead_in_order_across_chunks() {
        let reads = (0..CHUNK_ARTICLES * 3 + 5).map(record);
        let got = ids(read_ahead(reads, 4));
        let want: Vec<String> = (0..CHUNK_ARTICLES * 3 + 5)
            .map(|i| format!("Paragraph of article {i}."))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_panic_while_reading_reaches_the_caller_rather_than_ending_the_input() {
        // Without the join, the reads would just stop after article 2 and the run would
        // end as if the input had.
        let reads = (0..5).map(|i| {
            assert!(i < 3, "the reader broke");
            record(i)
        });
        let mut ahead = read_ahead(reads, 4);
        let caught =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ahead.by_ref().count()));
        assert!(caught.is_err(), "the reading thread's panic was lost");
    }
}
