//! Command-line arguments, parsed in one place and turned into plain settings.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use chaff::io::{FeedSettings, InputFormat, TagFormat, TextEncoding};
use chaff::report::ReportFormat;
use chaff::{ClassWeight, GroupBy, TrainParams};

/// Separate reporting from the chaff (donation appeals, gallery captions, boilerplate) in
/// scraped news, paragraph by paragraph.
#[derive(Debug, Parser)]
#[command(name = "chaff", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Worker threads (default: all cores).
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<usize>,
    /// No progress or notes on stderr (errors and warnings still show).
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Learn a model from labelled CSV files and write it to one file.
    Train(TrainArgs),
    /// Print a label and confidence for each paragraph of articles.
    Tag(TagArgs),
    /// Write articles back with only the paragraphs whose label is kept.
    Clean(CleanArgs),
    /// Score a model on labelled CSV files.
    Eval(EvalArgs),
    /// Grouped k-fold cross-validation of training on labelled CSV files.
    Cv(CvArgs),
    /// Show a model's labels, format, training data and recorded scores.
    Info(InfoArgs),
    /// Count rows, documents and publishers per label in labelled CSV files.
    Stats(StatsArgs),
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Labelled CSV files (columns text, label; optional doc_id, position, publisher).
    #[arg(required = true, value_name = "DATA.csv")]
    pub data: Vec<PathBuf>,
    /// Where to write the model.
    #[arg(short, long, value_name = "MODEL")]
    pub output: PathBuf,
    /// Labelled CSV files to score the new model on; the scores are recorded in the model.
    #[arg(long = "test", value_name = "TEST.csv")]
    pub test: Vec<PathBuf>,
    #[command(flatten)]
    pub settings: TrainSettings,
}

#[derive(Debug, Args)]
pub struct CvArgs {
    /// Labelled CSV files.
    #[arg(required = true, value_name = "DATA.csv")]
    pub data: Vec<PathBuf>,
    /// Number of folds.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// What a fold groups by: every document of a group is in the same fold.
    #[arg(long = "group-by", value_enum, default_value_t = GroupByArg::Publisher)]
    pub fold_group_by: GroupByArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CvFormatArg::Text)]
    pub format: CvFormatArg,
    /// Write each document's fold as CSV (doc_id, fold), so other tools can be scored on
    /// the same folds.
    #[arg(long, value_name = "FILE.csv")]
    pub folds_out: Option<PathBuf>,
    /// Write every paragraph's out-of-fold tag as CSV (doc_id, position, line, fold,
    /// label, predicted, confidence, text), to read the errors.
    #[arg(long, value_name = "FILE.csv")]
    pub predictions_out: Option<PathBuf>,
    /// Labelled CSV added to every fold's training data and never scored: measures
    /// training on a few labelled pages of your own together with a corpus such as
    /// data/train.csv. It must share no document or group with DATA.csv. Repeatable.
    #[arg(long = "with", value_name = "EXTRA.csv")]
    pub extra: Vec<PathBuf>,
    #[command(flatten)]
    pub settings: TrainSettings,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CvFormatArg {
    Text,
    Markdown,
    Json,
}

/// Training settings shared by train and cv.
#[derive(Debug, Args)]
pub struct TrainSettings {
    /// Passes over the training data.
    #[arg(long, default_value_t = 12)]
    pub epochs: usize,
    /// Initial learning rate of the text stage.
    #[arg(long, default_value_t = 0.5)]
    pub learning_rate: f32,
    /// L2 shrinkage of the text stage per update (0 to 1): higher generalises better from
    /// few sites, lower fits large corpora closer.
    #[arg(long, default_value_t = 0.001)]
    pub l2: f32,
    /// log2 of the hashed feature space.
    #[arg(long, default_value_t = 18)]
    pub hash_bits: u8,
    /// How labels are weighed in training.
    #[arg(long, value_enum, default_value_t = ClassWeightArg::Sqrt)]
    pub class_weight: ClassWeightArg,
    /// Seed of the shuffling order (same seed and data, same model).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Train the text stage only, without the context stage.
    #[arg(long)]
    pub no_context: bool,
    /// Let the text stage read each paragraph alone, without its neighbours' cues and
    /// length.
    #[arg(long)]
    pub no_neighbours: bool,
    /// Train the context stage without cross-article repetition counts.
    #[arg(long)]
    pub no_repetition: bool,
    /// Folds of out-of-fold scores the context stage learns from.
    #[arg(long, default_value_t = 5)]
    pub context_folds: usize,
    /// What the context stage's inner folds group by (publisher falls back to site, then
    /// doc_id).
    #[arg(long, value_enum, default_value_t = GroupByArg::Publisher)]
    pub context_group_by: GroupByArg,
    /// How far tagging moves from the training data's label frequencies towards equal ones
    /// (0: keep them; 1: every label equally likely; up to 2), stored in the model.
    #[arg(long, value_name = "S", default_value_t = chaff::DEFAULT_PRIOR_SHIFT)]
    pub prior_shift: f32,
}

impl TrainSettings {
    /// The checked training settings these arguments give.
    pub fn params(&self) -> chaff::Result<TrainParams> {
        let params = TrainParams::default()
            .hash_bits(self.hash_bits)
            .neighbours(!self.no_neighbours)
            .epochs(self.epochs)
            .learning_rate(self.learning_rate)
            .l2(self.l2)
            .class_weight(self.class_weight.into())
            .seed(self.seed)
            .context_stage(!self.no_context)
            .context_folds(self.context_folds)
            .repetition(!self.no_repetition)
            .group_by(self.context_group_by.into())
            .prior_shift(self.prior_shift);
        params.check()?;
        Ok(params)
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GroupByArg {
    #[value(name = "doc_id")]
    DocId,
    Publisher,
    Site,
}

impl From<GroupByArg> for GroupBy {
    fn from(arg: GroupByArg) -> Self {
        match arg {
            GroupByArg::DocId => GroupBy::Document,
            GroupByArg::Publisher => GroupBy::Publisher,
            GroupByArg::Site => GroupBy::Site,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ClassWeightArg {
    /// Every paragraph counts once.
    None,
    /// Labels weigh 1/sqrt(frequency).
    Sqrt,
    /// Labels weigh 1/frequency.
    Balanced,
}

impl From<ClassWeightArg> for ClassWeight {
    fn from(arg: ClassWeightArg) -> Self {
        match arg {
            ClassWeightArg::None => ClassWeight::Uniform,
            ClassWeightArg::Sqrt => ClassWeight::SqrtBalanced,
            ClassWeightArg::Balanced => ClassWeight::Balanced,
        }
    }
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// Input files; `-` or none reads standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Model file (default: the built-in model).
    #[arg(short, long, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Tag with this prior shift instead of the model's (see `chaff train --prior-shift`).
    #[arg(long, value_name = "S")]
    pub prior_shift: Option<f32>,
    /// Input format; auto chooses by extension (.jsonl, .csv, .parquet, else text; the one
    /// before .gz or .zst for compressed files), by Parquet's magic bytes, and, for standard
    /// input, by its first line (a JSON object: jsonl; a header with a text column: csv).
    /// gzip and zstd input is decompressed whatever its name. Parquet (one article per row)
    /// is read from a file by path.
    #[arg(long, value_enum, default_value_t = InputArg::Auto)]
    pub input: InputArg,
    /// How the input's bytes encode text; latin1 is read as windows-1252, its superset.
    #[arg(long, value_enum, default_value_t = EncodingArg::Utf8)]
    pub encoding: EncodingArg,
    /// JSONL field (or Parquet column) with the article text; a JSONL field may also hold
    /// an array of paragraphs.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// JSONL field (or Parquet column) with the article id.
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// Write here (atomically) instead of standard output; compressed when the name ends
    /// in .gz (gzip) or .zst (zstd).
    #[arg(
        short = 'o',
        long = "output",
        alias = "output-file",
        value_name = "FILE"
    )]
    pub output: Option<PathBuf>,
    /// Report bad records on stderr and go on, instead of stopping at the first.
    #[arg(long)]
    pub skip_bad: bool,
    /// Cut paragraphs glued from parts with different labels into pieces: tag prints each
    /// piece (with a piece number), clean keeps the kept pieces.
    #[arg(long = "pieces", alias = "split")]
    pub pieces: bool,
}

impl InputArgs {
    /// The inputs, with standard input when none is named.
    pub fn files(&self) -> Vec<PathBuf> {
        if self.files.is_empty() {
            vec![PathBuf::from("-")]
        } else {
            self.files.clone()
        }
    }

    /// Refuses `-o jsonl`, `-o csv` and `-o text`: before `-o/--output` named the output
    /// file in every command, `tag --output csv` chose the format, and writing a file
    /// named `csv` instead would surprise whoever still types it.
    pub fn check_output(&self) -> chaff::Result<()> {
        match self.output.as_deref().and_then(|p| p.to_str()) {
            Some(name @ ("jsonl" | "csv" | "text")) => Err(chaff::Error::Usage(format!(
                "-o/--output names the output file; to choose the format use --format {name} \
                 (or -o ./{name} for a file of that name)"
            ))),
            _ => Ok(()),
        }
    }

    /// Feed settings.
    pub fn feed(&self) -> FeedSettings {
        FeedSettings {
            format: match self.input {
                InputArg::Auto => None,
                InputArg::Text => Some(InputFormat::Text),
                InputArg::Jsonl => Some(InputFormat::Jsonl),
                InputArg::Csv => Some(InputFormat::Csv),
                InputArg::Parquet => Some(InputFormat::Parquet),
            },
            encoding: match self.encoding {
                EncodingArg::Utf8 => TextEncoding::Utf8,
                EncodingArg::Latin1 | EncodingArg::Windows1252 => TextEncoding::Windows1252,
            },
            text_field: self.text_field.clone(),
            id_field: self.id_field.clone(),
            bytes_read: None,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EncodingArg {
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    #[value(alias = "iso-8859-1")]
    Latin1,
    #[value(name = "windows-1252", alias = "cp1252")]
    Windows1252,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum InputArg {
    Auto,
    Text,
    Jsonl,
    Csv,
    Parquet,
}

#[derive(Debug, Args)]
pub struct TagArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TagFormatArg::Jsonl)]
    pub format: TagFormatArg,
    /// Add every label's probability to each record.
    #[arg(long)]
    pub scores: bool,
    /// Explain each paragraph's label: the N features (default 5) that raised its score
    /// most in the text stage, and whether the context stage was used and what weighed
    /// there. An `explain` object in JSONL, an indented line in text; not with CSV,
    /// Dolma or --pieces.
    #[arg(
        long,
        value_name = "N",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "5"
    )]
    pub explain: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TagFormatArg {
    /// One JSON record per paragraph.
    Jsonl,
    /// One CSV row per paragraph.
    Csv,
    /// label, confidence and text per paragraph, for people.
    Text,
    /// Dolma attributes, one line per document: each paragraph's character span in the
    /// text field under its label, with its probability (JSONL input with string text).
    Dolma,
}

impl TagFormatArg {
    /// The per-paragraph record format, or `None` for Dolma attributes.
    pub fn records(self) -> Option<TagFormat> {
        match self {
            TagFormatArg::Jsonl => Some(TagFormat::Jsonl),
            TagFormatArg::Csv => Some(TagFormat::Csv),
            TagFormatArg::Text => Some(TagFormat::Text),
            TagFormatArg::Dolma => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct CleanArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Labels to keep, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "reporting")]
    pub keep: Vec<String>,
    /// Write the removed paragraphs here (atomically) as JSONL: doc_id, position, label,
    /// confidence, text.
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Keep a paragraph whose removed label's confidence is below P: when chaff is
    /// unsure, the text stays.
    #[arg(long, value_name = "P", value_parser = parse_probability)]
    pub min_confidence: Option<f32>,
}

fn parse_probability(text: &str) -> Result<f32, String> {
    match text.trim().parse::<f32>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("expected a probability from 0 to 1, got {text:?}")),
    }
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Labelled CSV files to score on (scored together as one set).
    #[arg(required = true, value_name = "TEST.csv")]
    pub data: Vec<PathBuf>,
    /// Model file (default: the built-in model).
    #[arg(short, long, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Tag with this prior shift instead of the model's (see `chaff train --prior-shift`).
    #[arg(long, value_name = "S")]
    pub prior_shift: Option<f32>,
    /// Format of the report on standard output.
    #[arg(long, value_enum, default_value_t = ReportFormatArg::Text)]
    pub format: ReportFormatArg,
    /// Also write the report to FILE (atomically), in the format its extension names:
    /// .json, .md, .xml (JUnit), anything else text. Repeatable.
    #[arg(short = 'o', long = "output", alias = "out", value_name = "FILE")]
    pub output: Vec<PathBuf>,
    /// Write a self-contained HTML report (tables, charts, worst mistakes).
    #[arg(long, value_name = "FILE.html")]
    pub html: Option<PathBuf>,
    /// Write the misclassified paragraphs as CSV, most confident first.
    #[arg(long, value_name = "FILE.csv")]
    pub errors: Option<PathBuf>,
    /// Gate: exit with status 1 when macro-F1 is below X.
    #[arg(long, value_name = "X")]
    pub min_macro_f1: Option<f64>,
    /// Gate: exit with status 1 when LABEL's F1 is below X. Repeatable.
    #[arg(long, value_name = "LABEL=X", value_parser = parse_label_threshold)]
    pub min_f1: Vec<(String, f64)>,
    /// Gate: compare with a saved JSON report; exit 1 when macro-F1 or a label's F1 falls
    /// more than --max-drop below it.
    #[arg(long, value_name = "OLD.json")]
    pub baseline: Option<PathBuf>,
    /// Cut glued paragraphs into pieces and score each by the label most of its words
    /// carry.
    #[arg(long = "pieces", alias = "split")]
    pub pieces: bool,
    /// Largest drop allowed against --baseline.
    #[arg(long, value_name = "D", default_value_t = 0.0, requires = "baseline")]
    pub max_drop: f64,
}

fn parse_label_threshold(text: &str) -> Result<(String, f64), String> {
    let (label, value) = text
        .split_once('=')
        .ok_or_else(|| format!("expected LABEL=X, got {text:?}"))?;
    let value: f64 = value
        .trim()
        .parse()
        .map_err(|_| format!("{value:?} is not a number"))?;
    if label.trim().is_empty() {
        return Err("the label is empty".into());
    }
    Ok((label.trim().to_string(), value))
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormatArg {
    Text,
    Markdown,
    Json,
    Junit,
}

impl From<ReportFormatArg> for ReportFormat {
    fn from(arg: ReportFormatArg) -> Self {
        match arg {
            ReportFormatArg::Text => ReportFormat::Text,
            ReportFormatArg::Markdown => ReportFormat::Markdown,
            ReportFormatArg::Json => ReportFormat::Json,
            ReportFormatArg::Junit => ReportFormat::Junit,
        }
    }
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Model file (default: the built-in model).
    #[arg(short, long, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = InfoFormatArg::Text)]
    pub format: InfoFormatArg,
    /// The same as --format json (kept for older scripts).
    #[arg(long, hide = true)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InfoFormatArg {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Labelled CSV files.
    #[arg(required = true, value_name = "DATA.csv")]
    pub data: Vec<PathBuf>,
    /// Output format (Markdown is what data/README.md holds).
    #[arg(long, value_enum, default_value_t = StatsFormatArg::Text)]
    pub format: StatsFormatArg,
    /// The same as --format markdown (kept for older scripts).
    #[arg(long, hide = true)]
    pub markdown: bool,
    /// Write the Markdown tables into this file's generated "stats" block instead.
    #[arg(long, value_name = "FILE.md")]
    pub into: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormatArg {
    Text,
    Markdown,
}
