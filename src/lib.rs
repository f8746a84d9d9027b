//! chaff separates the wheat from the chaff in scraped news: it tags each paragraph of an
//! article as reporting or as one of the kinds of junk scrapers bring along (donation and
//! paywall appeals, gallery captions, boilerplate), so the junk can be dropped.
//!
//! The binary is a thin layer over this library; everything it does is available here.
//!
//! ```no_run
//! use chaff::{Article, Model};
//!
//! let model = Model::builtin()?; // the default model, trained on the project's data/
//! let article = Article::from_text("example", "Donate now!\n\nThe council met on Monday.");
//! for (paragraph, tag) in article.paragraphs.iter().zip(model.tag(&article.texts())) {
//!     println!("{} {:.2} {}", model.labels().name(tag.label), tag.confidence(), paragraph.text);
//! }
//! # Ok::<(), chaff::Error>(())
//! ```
//!
//! Training and evaluating:
//!
//! ```no_run
//! use chaff::{evaluate, train, LabelledSet, Report, ReportFormat, TrainParams};
//!
//! let data = LabelledSet::read(&["data/train.csv"])?;
//! let model = train(&data, &TrainParams::default())?.model;
//! let test = LabelledSet::read(&["data/test.csv"])?;
//! let report = Report::new(&evaluate(&model, &test)?, &test, "my model");
//! print!("{}", report.render(ReportFormat::Text, &[]));
//! # Ok::<(), chaff::Error>(())
//! ```

pub mod article;
pub mod context;
pub mod cues;
pub mod cv;
pub mod dataset;
pub mod error;
pub mod evaluate;
pub mod features;
pub mod feed;
pub mod generated;
pub mod label;
pub mod line_endings;
pub mod linear;
pub mod metrics;
pub mod model;
pub mod model_file;
pub mod output;
pub mod output_file;
pub mod repetition;
pub mod report;
pub mod shape;
pub mod split;
pub mod stats;
pub mod stream;
pub mod tokenize;
pub mod train;

pub use article::{split_paragraphs, Article, Paragraph};
pub use dataset::{Document, GroupBy, LabelledParagraph, LabelledSet};
pub use error::{Error, Location, Result};
pub use evaluate::{evaluate, Evaluation, Outcome};
pub use label::{LabelSet, DEFAULT_LABELS, REPORTING};
pub use model::{Model, Tag, TrainingInfo};
pub use report::{Report, ReportFormat};
pub use train::{train, TrainParams, Training};
