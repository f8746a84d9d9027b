//! `chaff clean`: the input articles back, in their own format, with only the paragraphs
//! whose label is kept.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use chaff::io::sniff::Compression;
use chaff::io::{CleanSummary, CleanWriter, InputFormat, Item};
use chaff::{Error, LabelSet, Result, TaggedArticle};

use super::args::CleanArgs;
use super::feeds::{tag_inputs, ArticleWriter};
use super::load_model;
use super::note;
use super::output::Output;
use super::Status;

/// A clean writer that refuses inputs of different formats: it writes its input's own
/// format, which must then be one.
struct Cleaner<W: io::Write, R: io::Write> {
    writer: CleanWriter<W, R>,
    format: Option<(InputFormat, PathBuf)>,
    /// The output file, `None` for standard output.
    output: Option<PathBuf>,
}

impl<W: io::Write, R: io::Write> ArticleWriter for Cleaner<W, R> {
    fn opened(&mut self, path: &PathBuf, format: InputFormat) -> Result<()> {
        match &self.format {
            Some((first, first_path)) if *first != format => Err(Error::Usage(format!(
                "clean writes its input's own format, but {} is {format:?} and {} is \
                 {first:?}; clean them separately",
                path.display(),
                first_path.display()
            ))),
            _ => {
                if format == InputFormat::Parquet {
                    check_parquet_output(self.output.as_deref())?;
                }
                self.format = Some((format, path.clone()));
                Ok(())
            }
        }
    }

    fn write(&mut self, item: &Item, tagged: &TaggedArticle) -> io::Result<()> {
        self.writer.write(item, tagged).map(|_| ())
    }
}

/// Runs `chaff clean`.
pub fn run(args: CleanArgs, quiet: bool) -> Result<Status> {
    args.input.check_output()?;
    let model = load_model(args.input.model.as_deref(), args.input.prior_shift)?;
    let labels = model.labels();
    let unknown: Vec<&str> = args
        .keep
        .iter()
        .filter(|l| labels.index(l).is_none())
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() || args.keep.is_empty() {
        return Err(Error::Usage(format!(
            "--keep names labels the model does not have: {} (the model's labels: {})",
            unknown.join(", "),
            labels.names().join(", ")
        )));
    }
    let keep: Vec<bool> = labels
        .names()
        .iter()
        .map(|l| args.keep.contains(l))
        .collect();
    let mut output = Output::open(args.input.output.as_deref())?;
    let mut rejects = match &args.rejects {
        Some(path) => Some(Output::open(Some(path))?),
        None => None,
    };
    let name = output.name();
    let summary = {
        // Both outputs are named in write errors: the rejects file is small and rarely
        // fails alone, so the main output's name is the better guess.
        let writer = CleanWriter::new(&mut output, keep)
            .min_confidence(args.min_confidence.unwrap_or(0.0))
            .rejects(rejects.as_mut());
        let mut cleaner = Cleaner {
            writer,
            format: None,
            output: args.input.output.clone(),
        };
        tag_inputs(&args.input, &model, quiet, &mut cleaner, &name, false)?;
        let summary = cleaner.writer.summary().clone();
        cleaner.writer.finish().map_err(|e| Error::io(&name, e))?;
        summary
    };
    if let Some(rejects) = rejects {
        rejects.finish()?;
    }
    output.finish()?;
    note(quiet, summary_line(&summary, labels));
    Ok(Status::Success)
}

/// Clean writes Parquet for Parquet input: to a file named `.parquet` (or `.pq`), not
/// compressed again (Parquet compresses its own pages), or to a pipe, never a terminal.
fn check_parquet_output(output: Option<&Path>) -> Result<()> {
    let Some(path) = output else {
        if io::stdout().is_terminal() {
            return Err(Error::Usage(
                "clean writes Parquet for Parquet input, which a terminal can't show; name \
                 the output with -o out.parquet"
                    .into(),
            ));
        }
        return Ok(());
    };
    if InputFormat::from_extension(path) == Some(InputFormat::Parquet) {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "clean writes its input's own format, here Parquet, but the output {} is not named \
         .parquet{}; name it out.parquet",
        path.display(),
        if Compression::from_extension(path).is_some() {
            " (Parquet compresses its own pages: no .gz or .zst)"
        } else {
            ""
        }
    )))
}

/// `clean: 3 articles, 12 of 17 paragraphs kept; removed 3 donation_appeal, 2 boilerplate`.
fn summary_line(summary: &CleanSummary, labels: &LabelSet) -> String {
    let removed: Vec<String> = labels
        .names()
        .iter()
        .zip(&summary.removed)
        .filter(|(_, n)| **n > 0)
        .map(|(label, n)| format!("{n} {label}"))
        .collect();
    format!(
        "clean: {} article{}, {} of {} paragraphs kept; removed {}",
        summary.articles,
        if summary.articles == 1 { "" } else { "s" },
        summary.kept,
        summary.paragraphs,
        if removed.is_empty() {
            "none".to_string()
        } else {
            removed.join(", ")
        }
    )
}
