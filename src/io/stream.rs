//! Tagging feeds of files: read a bounded batch of articles, tag it with a [`Tagger`],
//! hand the results on in input order, repeat. Memory stays flat however long the input.
//!
//! With more than one thread, the stages overlap: a reading thread parses the inputs a
//! quarter of a batch ahead and hands them over in chunks; each chunk's text stage is
//! scored by a task of its own on rayon's pool as soon as it arrives; the calling thread
//! gathers scored chunks into batches, counts each batch's repetition, has the pool
//! finish and render it, and writes the rendered bytes in order, while the pool scores
//! the chunks after it (docs/decisions.md, "Reading and rendering beside tagging", "No
//! tagging thread waits at the end of a batch").

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TryRecvError};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::io::feed::{self, FeedSettings, InputFormat, Item};
use crate::io::writers::Render;
use crate::model::TextStageScores;
use crate::tagger::{BatchLimits, Scorer, TaggedArticle, Tagger};

/// Most articles the reading thread hands over at a time: enough that handing over costs
/// nothing next to parsing them.
const CHUNK_ARTICLES: usize = 64;

/// Most paragraphs the reading thread hands over at a time (a chunk closes at whichever
/// bound it reaches first, as a batch does): in the same proportion to
/// [`CHUNK_ARTICLES`] as the default batch's bounds, so a batch is 32 chunks by either.
const CHUNK_PARAGRAPHS: usize = 512;

/// How many chunks a batch holds at most (32 for the default batch, by either bound).
fn chunks_per_batch(limits: BatchLimits) -> usize {
    limits
        .articles
        .div_ceil(CHUNK_ARTICLES)
        .max(limits.paragraphs.div_ceil(CHUNK_PARAGRAPHS))
}

/// How many chunks may be read ahead: a quarter of a batch. The reading thread cuts
/// paragraphs more than ten times as fast as a tagging thread scores them, so a short
/// queue keeps the pool fed; a whole batch's worth only held more for the same time (1M
/// feeds, 2 threads: peak 40 MB against 29 MB for JSONL, 46 against 33 MB for CSV;
/// docs/decisions.md, "Two threads against the machine's own ceiling").
fn chunks_ahead(limits: BatchLimits) -> usize {
    (chunks_per_batch(limits) / 4).max(1)
}

/// How many chunks may be scored ahead of the batch being gathered: half of those read
/// ahead, an eighth of a batch. Memory then holds about a batch and a half: the one being
/// gathered and finished, the chunks scored ahead of it and those read ahead.
fn chunks_scored_ahead(limits: BatchLimits) -> usize {
    (chunks_ahead(limits) / 2).max(1)
}

/// What reading the inputs yields, in input order.
enum Read {
    /// An input was opened and will be read as this format.
    Opened(usize, InputFormat),
    /// A record: an article, or a bad record's error.
    Record(Result<Item>),
    /// The input that was open has been read to its end.
    Ended,
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
        inputs,
        skip_bad,
        limits,
        summary: FeedSummary::default(),
        batch: Vec::with_capacity(limits.articles),
        scores: Vec::new(),
        batch_paragraphs: 0,
    };
    if rayon::current_num_threads() > 1 {
        run.overlapped(settings)?;
    } else {
        run.in_turn(settings)?;
    }
    Ok(run.summary)
}

/// A run over feeds: the batch being gathered (with its articles' text-stage scores when
/// they were scored as read) and what is needed to finish and hand it on.
struct Run<'r, 'm, H> {
    tagger: &'r mut Tagger<'m>,
    handler: &'r mut H,
    inputs: &'r [PathBuf],
    skip_bad: bool,
    limits: BatchLimits,
    summary: FeedSummary,
    batch: Vec<Item>,
    /// The text-stage scores of `batch`'s articles, in order, when they were scored chunk
    /// by chunk as read; empty when the batch is scored whole once gathered.
    scores: Vec<TextStageScores>,
    batch_paragraphs: usize,
}

/// A chunk of reads and the text-stage scores of its articles, in order.
type ScoredChunk = (Vec<Read>, Vec<TextStageScores>);

impl<H: FeedHandler> Run<'_, '_, H> {
    /// One thread: reads in line, and each batch is scored and finished whole in turn, on
    /// one core (as a pipeline running one process per core expects).
    fn in_turn(&mut self, settings: &FeedSettings) -> Result<()> {
        for read in Reading::new(self.inputs, settings) {
            self.take(read, None)?;
        }
        self.flush()
    }

    /// More than one thread: a reading thread parses the inputs ahead, and each chunk it
    /// reads is scored by a task of its own on rayon's pool as soon as it arrives, up to
    /// an eighth of a batch ahead. This thread takes the scored chunks in order into
    /// batches, counts each batch's repetition, has the pool finish and render it, and
    /// hands it on, while the pool goes on scoring the chunks after it. Scoring whole
    /// batches, the pool waited at every batch for the batch to be gathered, for its
    /// slowest article and for the writing (docs/decisions.md, "No tagging thread waits at
    /// the end of a batch").
    fn overlapped(&mut self, settings: &FeedSettings) -> Result<()> {
        let ahead = chunks_scored_ahead(self.limits);
        let mut reads = read_ahead(
            Reading::new(self.inputs, settings),
            chunks_ahead(self.limits),
        );
        let scorer = self.tagger.scorer();
        let scorer = &scorer;
        rayon::in_place_scope(|scope| {
            let mut scoring: VecDeque<Receiver<ScoredChunk>> = VecDeque::with_capacity(ahead);
            loop {
                // While anything is being scored, only what has already been read is
                // taken: an input that blocks (a pipe with nothing more to say) must not
                // hold back the articles before it, or an error among them.
                while scoring.len() < ahead {
                    let chunk = if scoring.is_empty() {
                        reads.next_chunk()
                    } else {
                        reads.ready_chunk()
                    };
                    let Some(chunk) = chunk else { break };
                    let (sender, receiver) = sync_channel(1);
                    scope.spawn(move |_| {
                        // The receiver is gone only when the run has stopped.
                        let _ = sender.send(score_chunk(scorer, chunk));
                    });
                    scoring.push_back(receiver);
                }
                let Some(oldest) = scoring.pop_front() else {
                    break;
                };
                // A task that panicked sends nothing; the scope raises its panic.
                let Ok((chunk, scores)) = oldest.recv() else {
                    break;
                };
                let mut scores = scores.into_iter();
                for read in chunk {
                    let score = match &read {
                        Read::Record(Ok(_)) => scores.next(),
                        _ => None,
                    };
                    self.take(read, score)?;
                }
            }
            self.flush()
        })
    }

    /// Takes the next read, in input order: an article joins the batch (with its scores,
    /// when scored as read), which is finished and handed on once full.
    fn take(&mut self, read: Read, scores: Option<TextStageScores>) -> Result<()> {
        match read {
            Read::Opened(input, format) => self.handler.opened(&self.inputs[input], format)?,
            Read::Ended => {}
            Read::Record(Ok(item)) => {
                self.batch_paragraphs += item.article.paragraphs.len();
                self.batch.push(item);
                self.scores.extend(scores);
                if self.batch.len() >= self.limits.articles
                    || self.batch_paragraphs >= self.limits.paragraphs
                {
                    self.flush()?;
                }
            }
            Read::Record(Err(e @ Error::Input { .. })) if self.skip_bad => {
                self.handler.skipped(&e);
                self.summary.skipped += 1;
            }
            Read::Record(Err(e)) | Read::Failed(e) => {
                self.flush()?;
                return Err(e);
            }
        }
        Ok(())
    }

    /// Finishes and hands on the batch gathered so far, scoring it first if its articles
    /// were not scored as read.
    fn flush(&mut self) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(self.limits.articles));
        let mut scores = std::mem::take(&mut self.scores);
        if scores.is_empty() {
            scores = self.tagger.scorer().score(&texts_of(&batch));
        }
        debug_assert_eq!(scores.len(), batch.len());
        self.batch_paragraphs = 0;
        self.finish(batch, scores)
    }

    /// Finishes a scored batch and hands it on in order: its repetition counted on the
    /// calling thread, then each article finished and rendered in one pass on the tagging
    /// threads (two passes, each ending in a wait for its slowest article, were one wait
    /// too many).
    fn finish(&mut self, batch: Vec<Item>, scores: Vec<TextStageScores>) -> Result<()> {
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
        // With a pool of its own to spare, the batch's articles (some thousands of strings)
        // are freed there: freed here, the gathering of the next batch waited for it, and
        // the pool with it once the chunks scored ahead ran out (1M JSONL, 2 threads,
        // alternating runs: 2.63 -> 2.45 s best of 5, 2.79 -> 2.68 s median). One thread
        // frees them itself, as everything else, in turn.
        if rayon::current_num_threads() > 1 {
            drop((texts, done));
            rayon::spawn(move || drop(batch));
        }
        Ok(())
    }
}

/// Scores the articles of a chunk of reads (a task on rayon's pool).
fn score_chunk(scorer: &Scorer, chunk: Vec<Read>) -> ScoredChunk {
    let scores = chunk
        .iter()
        .filter_map(|read| match read {
            Read::Record(Ok(item)) => Some(scorer.score_article(&item.article.texts())),
            _ => None,
        })
        .collect();
    (chunk, scores)
}

/// Each article's paragraph texts.
fn texts_of(batch: &[Item]) -> Vec<Vec<&str>> {
    batch.iter().map(|item| item.article.texts()).collect()
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
    }
}

/// The reads the reading thread hands over, chunk by chunk, in order.
struct ReadAhead {
    receiver: Receiver<Vec<Read>>,
    /// Joined when the reads end, so that a panic while reading reaches the caller
    /// instead of passing for the end of the input.
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ReadAhead {
    /// The next chunk, waiting for the reading thread if need be; `None` at the end.
    fn next_chunk(&mut self) -> Option<Vec<Read>> {
        match self.receiver.recv() {
            Ok(chunk) => Some(chunk),
            Err(_) => {
                self.join();
                None
            }
        }
    }

    /// The next chunk if it has been read already, without waiting.
    fn ready_chunk(&mut self) -> Option<Vec<Read>> {
        match self.receiver.try_recv() {
            Ok(chunk) => Some(chunk),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                self.join();
                None
            }
        }
    }

    /// Joins the reading thread once it has ended, raising its panic if it had one.
    fn join(&mut self) {
        if let Some(Err(panic)) = self.thread.take().map(|t| t.join()) {
            std::panic::resume_unwind(panic);
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
            // What was read so far goes at once at a bad record (which may stop the run)
            // and at the end of an input (opening the next may block: a FIFO no one
            // writes to yet): held back, the run waited there for a whole chunk.
            Read::Opened(..) | Read::Ended | Read::Record(Err(_)) | Read::Failed(_) => true,
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
        if let Some(feed) = self.feed.as_mut() {
            return Some(match feed.next() {
                Some(record) => Read::Record(record),
                None => {
                    self.feed = None;
                    Read::Ended
                }
            });
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

    #[test]
    fn reading_runs_a_quarter_batch_ahead_and_scoring_an_eighth_and_never_none() {
        let default = BatchLimits::default();
        assert_eq!(chunks_per_batch(default), 32);
        assert_eq!(chunks_ahead(default), 8);
        assert_eq!(chunks_scored_ahead(default), 4);
        // A batch smaller than a chunk still reads and scores one chunk ahead: with none
        // scored ahead, the run would end before its first article.
        let tiny = BatchLimits {
            articles: 3,
            paragraphs: 1000,
        };
        assert_eq!((chunks_ahead(tiny), chunks_scored_ahead(tiny)), (1, 1));
    }

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
                Read::Ended => "ended".into(),
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
    fn articles_scored_ahead_are_handed_on_in_order_and_before_an_error() {
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
            // Four batches, scored chunk by chunk ahead of the one being written: every
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

    #[cfg(unix)]
    #[test]
    fn an_error_is_reported_without_waiting_for_an_input_that_blocks() {
        // The second input is a FIFO no one writes to: opening it blocks the reading
        // thread. Scored chunks are taken from what was read before it, so the bad record
        // of the first input stops the run at once.
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.jsonl");
        std::fs::write(
            &bad,
            "{\"id\": \"a\", \"text\": \"The council met.\"}\nnot json\n",
        )
        .unwrap();
        let fifo = dir.path().join("fifo.jsonl");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let inputs = vec![bad, fifo.clone()];
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(2)
                .build()
                .unwrap();
            let result = pool.install(|| {
                let model = crate::Model::builtin().unwrap();
                let mut tagger = Tagger::new(&model);
                let mut handler = Collect::default();
                let summary = tag_feeds(
                    &mut tagger,
                    &inputs,
                    &FeedSettings::default(),
                    false,
                    &mut handler,
                );
                (handler.ids, summary.map_err(|e| e.to_string()))
            });
            let _ = sender.send(result);
        });
        let outcome = receiver.recv_timeout(std::time::Duration::from_secs(30));
        // Let the reading thread's open return, whatever happened.
        drop(std::fs::OpenOptions::new().write(true).open(&fifo));
        let (ids, summary) = outcome.expect("the run waited for the blocked input");
        assert_eq!(ids, ["a"]);
        let error = summary.unwrap_err();
        assert!(error.contains("bad.jsonl:2 (record 2)"), "{error}");
    }

    #[test]
    fn reads_ahead_in_order_across_chunks() {
        let reads = (0..CHUNK_ARTICLES * 3 + 5).map(record);
        let mut ahead = read_ahead(reads, 4);
        let got = ids(std::iter::from_fn(|| ahead.next_chunk()).flatten());
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
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            std::iter::from_fn(|| ahead.next_chunk()).flatten().count()
        }));
        assert!(caught.is_err(), "the reading thread's panic was lost");
    }
}
