//! `chaff tag`: a label and confidence for each paragraph of the input articles, or Dolma
//! attributes (each paragraph's span in the document's text) with `--format dolma`.

use std::io;
use std::path::PathBuf;

use chaff::io::{DolmaWriter, InputFormat, Item, Render, TagWriter};
use chaff::{Error, Result, TaggedArticle};

use super::args::{TagArgs, TagFormatArg};
use super::feeds::{tag_inputs, ArticleWriter};
use super::output::Output;
use super::{load_model, Status};

impl<W: io::Write> ArticleWriter for TagWriter<W> {
    fn renderer(&self) -> Option<&dyn Render> {
        Some(self.records())
    }

    fn write(&mut self, _item: &Item, tagged: &TaggedArticle) -> io::Result<()> {
        let mut rendered = Vec::new();
        self.records().render(tagged, &mut rendered);
        TagWriter::write_rendered(self, &rendered)
    }

    fn write_rendered(&mut self, rendered: &[u8]) -> io::Result<()> {
        TagWriter::write_rendered(self, rendered)
    }
}

impl<W: io::Write> ArticleWriter for DolmaWriter<W> {
    fn opened(&mut self, path: &PathBuf, format: InputFormat) -> Result<()> {
        if format == InputFormat::Jsonl {
            return Ok(());
        }
        Err(Error::Usage(format!(
            "--format dolma needs JSONL input (documents with their text in a string field), \
             but {} is read as {}; use --format jsonl, or --input jsonl if it is JSONL",
            if path.as_os_str() == "-" {
                "<stdin>".to_string()
            } else {
                path.display().to_string()
            },
            match format {
                InputFormat::Csv => "CSV",
                InputFormat::Parquet => "Parquet",
                _ => "plain text",
            }
        )))
    }

    fn check(&mut self, item: &Item) -> Result<()> {
        DolmaWriter::<W>::check(item).map(drop)
    }

    fn write(&mut self, item: &Item, tagged: &TaggedArticle) -> io::Result<()> {
        DolmaWriter::write(self, item, tagged)
    }
}

/// Runs `chaff tag`.
pub fn run(args: TagArgs, quiet: bool) -> Result<Status> {
    args.input.check_output()?;
    let records = args.format.records();
    if records.is_none() && args.input.pieces {
        return Err(Error::Usage(
            "--format dolma gives one span per paragraph; --pieces is not supported with it".into(),
        ));
    }
    if args.explain.is_some() {
        check_explain(&args)?;
    }
    if let Some(path) = args.input.output.as_deref() {
        if InputFormat::from_extension(path) == Some(InputFormat::Parquet) {
            return Err(Error::Usage(format!(
                "tag writes JSONL, CSV, text or Dolma records, not Parquet ({}); `chaff \
                 clean` writes Parquet input back as Parquet",
                path.display()
            )));
        }
    }
    let model = load_model(args.input.model.as_deref(), args.input.prior_shift)?;
    let mut output = Output::open(args.input.output.as_deref())?;
    let name = output.name();
    match records {
        Some(format) => {
            let mut writer = TagWriter::new(
                &mut output,
                format,
                args.scores,
                args.input.pieces,
                model.labels(),
            );
            if let Some(top) = args.explain {
                writer = writer.explain(top);
            }
            let explain = args.explain.is_some();
            tag_inputs(&args.input, &model, quiet, &mut writer, &name, explain)?;
            writer.finish().map_err(|e| Error::io(&name, e))?;
        }
        None => {
            let mut writer = DolmaWriter::new(&mut output, model.labels(), &args.input.id_field);
            tag_inputs(&args.input, &model, quiet, &mut writer, &name, false)?;
            writer.finish().map_err(|e| Error::io(&name, e))?;
        }
    }
    output.finish()?;
    Ok(Status::Success)
}

/// `--explain` writes an `explain` object per JSONL record or a line per paragraph in
/// text; the other outputs have no place for it.
fn check_explain(args: &TagArgs) -> Result<()> {
    let refused = match args.format {
        TagFormatArg::Csv => Some(
            "CSV has no place for explanations; use --format jsonl (an `explain` object per \
             record) or --format text (a line per paragraph)",
        ),
        TagFormatArg::Dolma => Some(
            "Dolma attributes have no place for explanations; use --format jsonl or --format \
             text",
        ),
        TagFormatArg::Jsonl | TagFormatArg::Text if args.input.pieces => {
            Some("explanations are of whole paragraphs; --pieces is not supported with it")
        }
        TagFormatArg::Jsonl | TagFormatArg::Text => None,
    };
    match refused {
        Some(message) => Err(Error::Usage(format!("--explain: {message}"))),
        None => Ok(()),
    }
}
