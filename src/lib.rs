//! chaff separates the wheat from the chaff in scraped news: it tags each paragraph of an
//! article as reporting or as one of the kinds of junk scrapers bring along (donation and
//! paywall appeals, gallery captions, boilerplate), so the junk can be dropped.
//!
//! The front door is [`Tagger`]: it runs a [`Model`]'s whole pipeline over [`Article`]s
//! held in memory and keeps repetition counts across calls.
//!
//! ```
//! use chaff::{Article, Model, Tagger};
//!
//! let model = Model::builtin()?; // the default model, trained on the project's data/
//! let mut tagger = Tagger::new(&model);
//! let articles = vec![Article::from_text(
//!     "a1",
//!     "Donate now to keep our journalism free.\n\n\
//!      The council voted on Monday to raise bus fares.",
//! )];
//! for article in &tagger.tag(&articles)? {
//!     for p in &article.paragraphs {
//!         println!("{}\t{}\t{:.3}\t{}", article.id, p.label, p.confidence, p.text);
//!     }
//!     assert_eq!(article.clean(&["reporting"]), "The council voted on Monday to raise bus fares.");
//! }
//! # Ok::<(), chaff::Error>(())
//! ```
//!
//! Training a model on labelled paragraphs, saving and loading it:
//!
//! ```
//! use chaff::{train, LabelledSet, Model, TrainParams};
//!
//! let data = LabelledSet::parse(
//!     "inline.csv".as_ref(),
//!     b"doc_id,position,text,label\n\
//!       d1,0,Subscribe for $1 a week to keep reading.,donation_appeal\n\
//!       d1,1,The mayor opened the new bridge on Friday morning.,reporting\n\
//!       d2,0,Become a member today: plans from $5 a month.,donation_appeal\n\
//!       d2,1,Rail workers walked out for 24 hours over pay.,reporting\n",
//! )?;
//! let training = train(&data, &TrainParams::default().epochs(30))?;
//! let path = std::env::temp_dir().join("chaff-doc-example.chaff");
//! training.model.save(&path)?;
//! let model = Model::load(&path)?;
//! assert_eq!(model.labels().names(), ["reporting", "donation_appeal"]);
//! # std::fs::remove_file(&path).ok();
//! # Ok::<(), chaff::Error>(())
//! ```
//!
//! Evaluating a model on labelled data and rendering the report:
//!
//! ```
//! use chaff::{evaluate, LabelledSet, Model, Report, ReportFormat};
//!
//! let model = Model::builtin()?;
//! let test = LabelledSet::parse(
//!     "inline.csv".as_ref(),
//!     b"doc_id,position,text,label\n\
//!       d1,0,Support our journalism: donate today.,donation_appeal\n\
//!       d1,1,The harbour reopened to fishing boats on Thursday after a week of storms.,reporting\n",
//! )?;
//! let evaluation = evaluate(&model, &test)?;
//! let report = Report::new(&evaluation, &test, "built-in");
//! assert_eq!(report.rows, 2);
//! assert!(report.render(ReportFormat::Markdown, &[]).contains("| label | precision |"));
//! # Ok::<(), chaff::Error>(())
//! ```
//!
//! Files of articles (plain text, JSONL, CSV) are read and written by [`io`]; reports are
//! rendered by [`report`]. Everything else is internal.

#![deny(missing_docs)]

mod article;
mod dataset;
mod error;
mod eval;
mod label;
mod learn;
mod model;
mod tagger;
mod text;

pub mod io;
pub mod report;

pub use article::{Article, Paragraph};
pub use dataset::{Document, GroupBy, LabelledParagraph, LabelledSet};
pub use error::{Error, Location, Result, Warning};
pub use eval::evaluate::{evaluate, evaluate_with_pieces, Evaluation, Outcome};
pub use eval::stats::Stats;
pub use label::{Label, LabelSet, DEFAULT_LABELS, REPORTING};
pub use learn::cv::{cross_validate, CrossValidation, FoldScores, Prediction, Spread};
pub use learn::train::{train, ClassWeight, TrainParams, Training, DEFAULT_PRIOR_SHIFT};
pub use model::explain::{
    ContextStageExplanation, Contribution, Explanation, TextStageExplanation,
};
pub use model::{Model, RecordedScore, TrainingInfo};
pub use report::{Report, ReportFormat};
pub use tagger::{BatchLimits, TaggedArticle, TaggedParagraph, TaggedPiece, Tagger};
pub use text::paragraphs::{paragraph_spans, split_paragraphs};

/// Parts of the engine exposed for the project's own benchmarks and fuzz targets only:
/// not part of the API, and free to change in any release.
#[doc(hidden)]
pub mod internals {
    pub use crate::model::file::seal;
    pub use crate::text::cues::Cues;
    pub use crate::text::features::{fingerprint, FeatureSettings, Features, Featurizer};
    pub use crate::text::shape::Shape;
    pub use crate::text::tokenize::Tokenizer;
}
