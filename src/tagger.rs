//! The one front door for tagging: a [`Tagger`] runs a model's whole pipeline (text stage,
//! repetition counts across articles, context stage, optional pieces of glued paragraphs)
//! over articles held in memory. The command line's streaming, evaluation,
//! cross-validation and the Python package all tag through it, so the stages are put
//! together in this file only.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use crate::article::Article;
use crate::error::Result;
use crate::label::Label;
use crate::model::explain::Explanation;
use crate::model::repetition::{Repeats, RepetitionIndex};
use crate::model::{Model, Tag, TextStageScores};

/// Bounds of one batch of articles tagged together: repetition is counted over a batch
/// before its articles are looked up, and a batch is what is held in memory at once. A
/// batch closes at whichever limit is reached first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchLimits {
    /// Most articles in a batch.
    pub articles: usize,
    /// Most paragraphs in a batch (an article is never cut).
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

/// The model a tagger uses: borrowed from the caller, or shared with it (the Python
/// package keeps one model per object and tags from many calls).
#[derive(Clone)]
enum ModelRef<'m> {
    Borrowed(&'m Model),
    Shared(Arc<Model>),
}

impl std::ops::Deref for ModelRef<'_> {
    type Target = Model;
    fn deref(&self) -> &Model {
        match self {
            ModelRef::Borrowed(m) => m,
            ModelRef::Shared(m) => m,
        }
    }
}

/// Tags articles with a model's whole pipeline.
///
/// Repetition counts (how many other articles hold the same paragraph: boilerplate repeats,
/// reporting rarely does) carry across calls, in bounded memory, so tagging a feed in many
/// small calls gives the same evidence as tagging it in one. Make a new tagger for an
/// unrelated feed.
///
/// ```
/// use chaff::{Article, Model, Tagger};
///
/// let model = Model::builtin()?;
/// let mut tagger = Tagger::new(&model);
/// let articles = [Article::from_text(
///     "a1",
///     "Your support keeps our newsroom going. Donate today from $5 a month.\n\n\
///      The county council voted on Monday to close two libraries, citing a budget gap.",
/// )];
/// let tagged = tagger.tag(&articles)?;
/// assert_eq!(tagged[0].paragraphs[0].label, "donation_appeal");
/// assert_eq!(tagged[0].paragraphs[1].label, "reporting");
/// assert!(tagged[0].clean(&["reporting"]).starts_with("The county council"));
/// # Ok::<(), chaff::Error>(())
/// ```
#[derive(Clone)]
pub struct Tagger<'m> {
    model: ModelRef<'m>,
    repetition: Option<RepetitionIndex>,
    pieces: bool,
    explain: bool,
    limits: BatchLimits,
}

impl<'m> Tagger<'m> {
    /// A tagger over `model`, with an empty repetition count.
    pub fn new(model: &'m Model) -> Self {
        Tagger::with(ModelRef::Borrowed(model))
    }

    fn with(model: ModelRef<'m>) -> Self {
        let repetition = model.uses_repetition().then(RepetitionIndex::default);
        Tagger {
            model,
            repetition,
            pieces: false,
            explain: false,
            limits: BatchLimits::default(),
        }
    }

    /// Also cut paragraphs that a scraper glued together from parts with different labels
    /// into pieces, each with its own label (off by default; see the README's `--split`).
    pub fn pieces(mut self, on: bool) -> Self {
        self.pieces = on;
        self
    }

    /// Also explain each paragraph's label (off by default): every
    /// [`TaggedParagraph::explanation`] then says which features weighed most in each
    /// stage. Explanations come from the same scoring as the labels; they cost time and
    /// memory, so leave this off when only the labels are wanted.
    pub fn explanations(mut self, on: bool) -> Self {
        self.explain = on;
        self
    }

    /// Tags one article and returns each paragraph's [`Explanation`], in order: which
    /// features weighed most in its label (see [`Tagger::explanations`] for the same
    /// while tagging many). Like [`Tagger::tag`], it adds the article to the repetition
    /// count, so explaining an article of a feed gives the explanation of its tags.
    ///
    /// ```
    /// use chaff::{Article, Model, Tagger};
    ///
    /// let model = Model::builtin()?;
    /// let article = Article::from_text(
    ///     "a1",
    ///     "Your support keeps our newsroom going. Donate today from $5 a month.\n\n\
    ///      The county council voted on Monday to close two libraries, citing a budget gap.",
    /// );
    /// let explanations = Tagger::new(&model).explain(&article)?;
    /// let appeal = &explanations[0].text_stage;
    /// assert!(appeal.top(5).iter().any(|c| c.feature.starts_with("cue:appeal")));
    /// // Short articles are read by the text stage alone.
    /// assert!(!explanations[0].context_stage.used);
    /// # Ok::<(), chaff::Error>(())
    /// ```
    pub fn explain(&mut self, article: &Article) -> Result<Vec<Explanation>> {
        let explain = std::mem::replace(&mut self.explain, true);
        let tags = self.tag_texts(&[article.texts()]);
        self.explain = explain;
        Ok(tags
            .into_iter()
            .flatten()
            .map(|tag| *tag.explanation.expect("explanations were asked for"))
            .collect())
    }

    /// Changes the batch bounds (see [`BatchLimits`]); the defaults suit feeds of any size.
    pub fn batch_limits(mut self, limits: BatchLimits) -> Self {
        self.limits = BatchLimits {
            articles: limits.articles.max(1),
            paragraphs: limits.paragraphs.max(1),
        };
        self
    }

    /// The batch bounds in force.
    pub fn limits(&self) -> BatchLimits {
        self.limits
    }

    /// The model this tagger uses.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Tags `articles` and returns one result per article, in order. Articles are tagged
    /// in batches on every thread of rayon's pool; each paragraph's result borrows its text
    /// from `articles`.
    ///
    /// The `Result` is for errors of the pipeline; tagging text in memory has none today,
    /// but callers already handle the one kind of failure the API may grow.
    pub fn tag<'a>(&mut self, articles: &'a [Article]) -> Result<Vec<TaggedArticle<'a>>> {
        let mut out = Vec::with_capacity(articles.len());
        let mut start = 0;
        while start < articles.len() {
            let end = start + batch_len(&articles[start..], self.limits);
            let batch = &articles[start..end];
            let texts: Vec<Vec<&str>> = batch.iter().map(Article::texts).collect();
            let tags = self.tag_texts(&texts);
            out.extend(
                batch
                    .iter()
                    .zip(tags)
                    .map(|(article, tags)| self.tagged(article, tags)),
            );
            start = end;
        }
        Ok(out)
    }

    /// Tags one batch of articles given as paragraph texts: the pipeline itself. Every
    /// article of the batch is added to the repetition count before any is looked up, so
    /// even the first batch sees the repeats within itself.
    pub(crate) fn tag_texts(&mut self, texts: &[Vec<&str>]) -> Vec<Vec<Tag>> {
        let scores = self.scorer().score(texts);
        self.finish(texts, scores)
    }

    /// The text stage of this tagger, detached from it: it needs only the model, so a feed
    /// can score its next batch on rayon's pool while the tagger counts repetition in and
    /// finishes the batch before (see [`crate::io::tag_feeds`]).
    pub(crate) fn scorer(&self) -> Scorer<'m> {
        Scorer {
            model: self.model.clone(),
            explain: self.explain,
        }
    }

    /// The rest of the pipeline for a batch that [`Scorer::score`] scored: repetition
    /// counts, then the context stage (and pieces).
    pub(crate) fn finish(
        &mut self,
        texts: &[Vec<&str>],
        scores: Vec<TextStageScores>,
    ) -> Vec<Vec<Tag>> {
        let repeats = self.count_repeats(texts, &scores);
        let tagger: &Tagger = self;
        texts
            .par_iter()
            .zip(scores)
            .zip(&repeats)
            .map(|((texts, scores), repeats)| tagger.finish_article(texts, scores, repeats))
            .collect()
    }

    /// Counts a scored batch into the repetition index, every article before any is looked
    /// up, and returns each paragraph's counts: the one step whose order matters, so a
    /// feed runs it on one thread, batch after batch, and the rest in parallel.
    pub(crate) fn count_repeats(
        &mut self,
        texts: &[Vec<&str>],
        scores: &[TextStageScores],
    ) -> Vec<Vec<Repeats>> {
        match self.repetition.as_mut() {
            Some(index) => {
                scores
                    .iter()
                    .for_each(|s| index.add_article(s.fingerprints()));
                scores
                    .iter()
                    .map(|s| index.repeats_in_article(s.fingerprints()))
                    .collect()
            }
            None => texts
                .iter()
                .map(|t| vec![Repeats::default(); t.len()])
                .collect(),
        }
    }

    /// Finishes one article of a batch counted by [`Tagger::count_repeats`]: the context
    /// stage (and pieces).
    pub(crate) fn finish_article(
        &self,
        texts: &[&str],
        scores: TextStageScores,
        repeats: &[Repeats],
    ) -> Vec<Tag> {
        self.model.finish_tags(texts, scores, repeats, self.pieces)
    }

    /// The public view of one article's tags.
    pub(crate) fn tagged<'a>(&self, article: &'a Article, tags: Vec<Tag>) -> TaggedArticle<'a> {
        let labels = self.model.label_list();
        TaggedArticle {
            id: &article.id,
            paragraphs: article
                .paragraphs
                .iter()
                .zip(tags)
                .map(|(paragraph, tag)| {
                    let text = paragraph.text.as_str();
                    TaggedParagraph {
                        position: paragraph.position,
                        text,
                        label: labels[tag.label].clone(),
                        confidence: tag.probabilities[tag.label],
                        pieces: tag
                            .pieces
                            .into_iter()
                            .map(|piece| TaggedPiece {
                                text: &text[piece.range.clone()],
                                label: labels[piece.label].clone(),
                                confidence: piece.probabilities[piece.label],
                                range: piece.range,
                                probabilities: piece.probabilities,
                            })
                            .collect(),
                        probabilities: tag.probabilities,
                        explanation: tag.explanation.map(|e| *e),
                    }
                })
                .collect(),
        }
    }
}

impl<'m> Tagger<'m> {
    /// A tagger for a set held whole in memory (evaluation): its repetition count is wide
    /// enough, and never decays, so every document is counted against all the others
    /// exactly as long as the set is tagged in one call of [`Tagger::tag_texts`].
    pub(crate) fn for_whole_set(model: &'m Model) -> Self {
        let mut tagger = Tagger::new(model);
        if tagger.repetition.is_some() {
            tagger.repetition = Some(RepetitionIndex::new(18, usize::MAX));
        }
        tagger
    }
}

impl Tagger<'static> {
    /// A tagger that shares ownership of `model`, for callers that keep the model and the
    /// tagger together (as the Python package does).
    pub fn shared(model: Arc<Model>) -> Self {
        Tagger::with(ModelRef::Shared(model))
    }
}

/// A tagger's text stage on its own (see [`Tagger::scorer`]).
pub(crate) struct Scorer<'m> {
    model: ModelRef<'m>,
    explain: bool,
}

impl Scorer<'_> {
    /// Runs the text stage over a batch of articles given as paragraph texts, on every
    /// thread of rayon's pool.
    pub(crate) fn score(&self, texts: &[Vec<&str>]) -> Vec<TextStageScores> {
        texts.par_iter().map(|t| self.score_article(t)).collect()
    }

    /// Runs the text stage over one article's paragraph texts.
    pub(crate) fn score_article(&self, texts: &[&str]) -> TextStageScores {
        if self.explain {
            self.model.explained_text_stage_scores(texts)
        } else {
            self.model.text_stage_scores(texts)
        }
    }
}

/// How many of `articles`, from the first, make one batch within `limits`.
pub(crate) fn batch_len(articles: &[Article], limits: BatchLimits) -> usize {
    let mut paragraphs = 0;
    for (i, article) in articles.iter().enumerate() {
        paragraphs += article.paragraphs.len();
        if i + 1 >= limits.articles || paragraphs >= limits.paragraphs {
            return i + 1;
        }
    }
    articles.len()
}

/// One article's tags: every paragraph with its label and confidence, in page order.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedArticle<'a> {
    /// The article's id.
    pub id: &'a str,
    /// Its paragraphs, in page order.
    pub paragraphs: Vec<TaggedParagraph<'a>>,
}

impl TaggedArticle<'_> {
    /// The text of the paragraphs whose label is one of `keep`, separated by blank lines:
    /// the article cleaned of its chaff. A paragraph cut into pieces keeps the text of its
    /// kept pieces, joined by a space.
    pub fn clean(&self, keep: &[&str]) -> String {
        self.kept(|label| keep.contains(&label.name()))
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// The kept text of each paragraph kept by `keep`, in order.
    pub(crate) fn kept<'s>(
        &'s self,
        keep: impl Fn(&Label) -> bool + 's,
    ) -> impl Iterator<Item = Cow<'s, str>> + 's {
        self.paragraphs
            .iter()
            .filter_map(move |p| p.kept_text(|label, _| keep(label)))
    }
}

/// A paragraph with its label.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedParagraph<'a> {
    /// Its place in the article, as the input gave it.
    pub position: usize,
    /// Its text.
    pub text: &'a str,
    /// The label chosen: the most probable one.
    pub label: Label,
    /// The probability of `label`.
    pub confidence: f32,
    /// Every label's probability, in the model's label order (they sum to 1).
    pub probabilities: Vec<f32>,
    /// When pieces were asked for and the paragraph is glued from parts with different
    /// labels: the parts, in order. Empty otherwise.
    pub pieces: Vec<TaggedPiece<'a>>,
    /// When explanations were asked for ([`Tagger::explanations`]): which features weighed
    /// most in `label`. `None` otherwise.
    pub explanation: Option<Explanation>,
}

impl<'a> TaggedParagraph<'a> {
    /// The text to keep under `keep`: the whole paragraph when its label is kept, or for a
    /// paragraph cut into pieces, its kept pieces joined by a space; `None` when nothing is.
    /// `keep` is asked with each label and its confidence.
    pub(crate) fn kept_text(&self, keep: impl Fn(&Label, f32) -> bool) -> Option<Cow<'a, str>> {
        if self.pieces.is_empty() {
            return keep(&self.label, self.confidence).then_some(Cow::Borrowed(self.text));
        }
        let parts: Vec<&str> = self
            .pieces
            .iter()
            .filter(|piece| keep(&piece.label, piece.confidence))
            .map(|piece| piece.text)
            .collect();
        match parts.len() {
            0 => None,
            1 => Some(Cow::Borrowed(parts[0])),
            _ => Some(Cow::Owned(parts.join(" "))),
        }
    }
}

/// A piece of a glued paragraph with its own label.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedPiece<'a> {
    /// The piece's text.
    pub text: &'a str,
    /// Its byte range in the paragraph's text.
    pub range: Range<usize>,
    /// The piece's label.
    pub label: Label,
    /// The mean probability of `label` over the piece's sentences.
    pub confidence: f32,
    /// Every label's mean probability over the piece's sentences.
    pub probabilities: Vec<f32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, texts: &[&str]) -> Article {
        Article::new(id, texts.iter().map(|t| t.to_string()))
    }

    #[test]
    fn batches_close_at_either_limit_and_never_cut_an_article() {
        let a = article("a", &["x"; 3]);
        let articles = vec![a.clone(), a.clone(), a.clone(), a];
        let limits = BatchLimits {
            articles: 3,
            paragraphs: 100,
        };
        assert_eq!(batch_len(&articles, limits), 3);
        let limits = BatchLimits {
            articles: 100,
            paragraphs: 5,
        };
        assert_eq!(batch_len(&articles, limits), 2);
        assert_eq!(batch_len(&articles[..1], limits), 1);
        assert_eq!(batch_len(&[], limits), 0);
    }

    #[test]
    fn repetition_carries_across_calls_and_batches() {
        use crate::text::features::fingerprint;
        let model = Model::builtin().unwrap();
        assert!(model.uses_repetition());
        let newsletter = "Sign up for the Morning Brief, our free daily newsletter.";
        let articles: Vec<Article> = (0..6)
            .map(|i| {
                let body =
                    format!("The harbour authority approved ferry berth number {i} on Tuesday.");
                article(&format!("a{i}"), &[newsletter, &body])
            })
            .collect();
        let repeats = |tagger: &Tagger| {
            let index = tagger.repetition.as_ref().unwrap();
            index.repeats(&fingerprint(newsletter)).exact
        };
        // All at once, one article per call, one article per batch: the counts and the
        // tags of the last article agree, since each way has seen the same articles.
        let mut all = Tagger::new(&model);
        let all_tags = all.tag(&articles).unwrap();
        let mut per_call = Tagger::new(&model);
        let mut per_call_tags = Vec::new();
        for a in articles.chunks(1) {
            per_call_tags.extend(per_call.tag(a).unwrap());
        }
        let tiny = BatchLimits {
            articles: 1,
            paragraphs: 1,
        };
        let mut batched = Tagger::new(&model).batch_limits(tiny);
        let batched_tags = batched.tag(&articles).unwrap();
        for tagger in [&all, &per_call, &batched] {
            assert_eq!(
                repeats(tagger),
                5,
                "six articles hold the line: five others"
            );
        }
        assert_eq!(all_tags[5], per_call_tags[5]);
        assert_eq!(per_call_tags[5], batched_tags[5]);
        // A fresh tagger has counted nothing.
        let mut fresh = Tagger::new(&model);
        fresh.tag(&articles[..1]).unwrap();
        assert_eq!(repeats(&fresh), 0);
    }

    #[test]
    fn clean_keeps_the_named_labels_in_order() {
        let model = Model::builtin().unwrap();
        let articles = [article(
            "a",
            &[
                "Donate now to keep our journalism free. Every gift counts.",
                "The council voted on Monday to raise bus fares by ten cents from March, \
                 the first rise in four years.",
                "Council members said the extra revenue would pay for longer evening \
                 service on six routes.",
            ],
        )];
        let tagged = Tagger::new(&model).tag(&articles).unwrap();
        let labels: Vec<&str> = tagged[0]
            .paragraphs
            .iter()
            .map(|p| p.label.name())
            .collect();
        let cleaned = tagged[0].clean(&["reporting"]);
        let expected: Vec<&str> = tagged[0]
            .paragraphs
            .iter()
            .filter(|p| p.label == "reporting")
            .map(|p| p.text)
            .collect();
        assert_eq!(cleaned, expected.join("\n\n"), "labels {labels:?}");
        assert_eq!(tagged[0].clean(&[]), "");
        let all: Vec<&str> = model.labels().names().iter().map(String::as_str).collect();
        assert_eq!(
            tagged[0].clean(&all).matches("\n\n").count(),
            articles[0].paragraphs.len() - 1
        );
    }
}
