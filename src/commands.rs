//! What each subcommand does, over the library.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, UNIX_EPOCH};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use chaff::context::ContextParams;
use chaff::error::display_path;
use chaff::evaluate::evaluate_with;
use chaff::feed::InputFormat;
use chaff::linear::SoftmaxParams;
use chaff::model::BUILTIN_NAME;
use chaff::model_file::FORMAT_VERSION;
use chaff::output::{CleanWriter, TagWriter};
use chaff::output_file::{write_atomically, OutputFile};
use chaff::report::{check_gates, mistakes, to_html, write_errors_csv, Gates};
use chaff::stats::Stats;
use chaff::stream::{tag_stream, BatchLimits, StreamSettings};
use chaff::train::record_score;
use chaff::{train, Error, LabelledSet, Model, Report, ReportFormat, Result, TrainParams};

use crate::cli::{
    CleanArgs, Cli, Command, CvArgs, CvFormatArg, EvalArgs, InfoArgs, InputArgs, StatsArgs,
    TagArgs, TrainArgs, TrainSettings,
};

/// How a command ended, when it did not fail.
pub enum Status {
    Success,
    GateFailed,
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> Result<Status> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Train(args) => train_command(args, quiet),
        Command::Tag(args) => tag_command(args, quiet),
        Command::Clean(args) => clean_command(args, quiet),
        Command::Eval(args) => eval_command(args),
        Command::Cv(args) => cv_command(args, quiet),
        Command::Info(args) => info_command(args),
        Command::Stats(args) => stats_command(args),
    }
}

fn note(quiet: bool, message: impl AsRef<str>) {
    if !quiet {
        eprintln!("chaff: {}", message.as_ref());
    }
}

fn warn(message: impl AsRef<str>) {
    eprintln!("chaff: warning: {}", message.as_ref());
}

fn model_name(path: Option<&Path>) -> String {
    path.map_or_else(|| BUILTIN_NAME.to_string(), display_path)
}

fn train_params(args: &TrainSettings) -> Result<TrainParams> {
    let params = TrainParams::default()
        .hash_bits(args.hash_bits)
        .neighbours(!args.no_neighbours)
        .learner(
            SoftmaxParams::default()
                .epochs(args.epochs)
                .learning_rate(args.learning_rate)
                .l2(args.l2)
                .class_weight(args.class_weight.into())
                .seed(args.seed),
        )
        .context((!args.no_context).then(|| {
            ContextParams::default()
                .folds(args.context_folds)
                .repetition(!args.no_repetition)
        }))
        .group_by(args.context_group_by.into());
    params.check()?;
    Ok(params)
}

fn train_command(args: TrainArgs, quiet: bool) -> Result<Status> {
    let params = train_params(&args.settings)?;
    let started = Instant::now();
    let data = LabelledSet::read(&args.data)?;
    note(
        quiet,
        format!(
            "read {} paragraphs in {} documents from {}",
            data.rows(),
            data.documents.len(),
            data.describe_files()
        ),
    );
    let tests = args
        .test
        .iter()
        .map(|p| LabelledSet::read(std::slice::from_ref(p)).map(|s| (display_path(p), s)))
        .collect::<Result<Vec<_>>>()?;
    let training = train(&data, &params)?;
    training.warnings.iter().for_each(warn);
    let mut model = training.model;
    for (name, set) in &tests {
        let score = record_score(&mut model, set, name)?;
        note(
            quiet,
            format!(
                "{name}: macro-F1 {:.3}, accuracy {:.3} on {} paragraphs",
                score.macro_f1, score.accuracy, score.rows
            ),
        );
    }
    model.save(&args.output)?;
    note(
        quiet,
        format!(
            "trained on {} labels in {:.1} s; wrote {}",
            model.labels().len(),
            started.elapsed().as_secs_f64(),
            display_path(&args.output)
        ),
    );
    Ok(Status::Success)
}

/// Where results go: standard output or an atomically written file.
enum Sink {
    Stdout(io::BufWriter<io::Stdout>),
    File(OutputFile),
}

impl Sink {
    fn open(path: Option<&Path>) -> Result<Sink> {
        Ok(match path {
            Some(p) => Sink::File(OutputFile::create(p)?),
            None => Sink::Stdout(io::BufWriter::with_capacity(1 << 16, io::stdout())),
        })
    }

    fn name(&self) -> String {
        match self {
            Sink::Stdout(_) => "<stdout>".into(),
            Sink::File(f) => display_path(f.path()),
        }
    }

    fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(mut w) => w.flush().map_err(|e| Error::io("<stdout>", e)),
            Sink::File(f) => f.commit(),
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File(f) => f.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File(f) => f.flush(),
        }
    }
}

/// Progress on stderr, only on a terminal and without --quiet: a bar with bytes and ETA
/// when every input is a regular file (its size is known), else a spinner; both show
/// articles, paragraphs and paragraphs per second.
fn progress(quiet: bool, inputs: &[PathBuf]) -> ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let total: Option<u64> = inputs
        .iter()
        .map(|p| {
            (p.as_os_str() != "-")
                .then(|| std::fs::metadata(p).ok())
                .flatten()
                .filter(|m| m.is_file())
                .map(|m| m.len())
        })
        .sum();
    let target = ProgressDrawTarget::stderr_with_hz(4);
    let bar = match total {
        Some(total) => {
            let bar = ProgressBar::with_draw_target(Some(total), target);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {elapsed_precise} [{wide_bar}] {bytes}/{total_bytes} ETA {eta} {msg}",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            bar
        }
        None => {
            let bar = ProgressBar::with_draw_target(None, target);
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed_precise} {bytes} {msg}")
                    .expect("valid template"),
            );
            bar
        }
    };
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

fn show_progress(
    bar: &ProgressBar,
    bytes: &AtomicU64,
    started: Instant,
    articles: usize,
    paragraphs: usize,
) {
    if bar.is_hidden() {
        return;
    }
    bar.set_position(bytes.load(Ordering::Relaxed));
    let secs = started.elapsed().as_secs_f64().max(1e-3);
    bar.set_message(format!(
        "{articles} articles, {paragraphs} paragraphs, {:.0}/s",
        paragraphs as f64 / secs
    ));
}

/// Runs the model over the inputs and hands each article to `write`.
fn stream_inputs(
    input: &InputArgs,
    model: &Model,
    quiet: bool,
    mut on_open: impl FnMut(&PathBuf, InputFormat) -> Result<()>,
    mut write: impl FnMut(&chaff::feed::Item, &[chaff::Tag]) -> io::Result<()>,
    sink_name: &str,
) -> Result<()> {
    let inputs = input.files();
    let bar = progress(quiet, &inputs);
    let bytes = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let (mut articles, mut paragraphs) = (0usize, 0usize);
    let mut feed = input.feed();
    feed.bytes_read = (!bar.is_hidden()).then(|| bytes.clone());
    let summary = tag_stream(
        model,
        &inputs,
        &StreamSettings {
            feed,
            limits: BatchLimits::default(),
            skip_bad: input.skip_bad,
            split: input.split,
        },
        &mut on_open,
        |e| bar.suspend(|| warn(format!("skipped: {e}"))),
        |item, tags| {
            write(item, tags).map_err(|e| Error::io(sink_name, e))?;
            articles += 1;
            paragraphs += tags.len();
            if articles % 256 == 0 {
                show_progress(&bar, &bytes, started, articles, paragraphs);
            }
            Ok(())
        },
    );
    bar.finish_and_clear();
    let summary = summary?;
    if summary.empty > 0 {
        // Reported whatever the terminal: `tag` writes no record for these, and a user
        // counting records must be able to see why.
        warn(format!(
            "{} of {} articles had no paragraphs (nothing to tag)",
            summary.empty, summary.articles
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
        quiet || !io::stderr().is_terminal(),
        format!(
            "{} articles, {} paragraphs in {:.2} s",
            summary.articles,
            summary.paragraphs,
            started.elapsed().as_secs_f64()
        ),
    );
    Ok(())
}

fn tag_command(args: TagArgs, quiet: bool) -> Result<Status> {
    let model = Model::load_or_builtin(args.input.model.as_deref())?;
    let mut sink = Sink::open(args.input.output_file.as_deref())?;
    let name = sink.name();
    {
        let mut writer = TagWriter::new(
            &mut sink,
            args.format.into(),
            args.scores,
            args.input.split,
            model.labels(),
        );
        stream_inputs(
            &args.input,
            &model,
            quiet,
            |_, _| Ok(()),
            |item, tags| writer.write(item, tags),
            &name,
        )?;
        writer.finish().map_err(|e| Error::io(&name, e))?;
    }
    sink.finish()?;
    Ok(Status::Success)
}

fn clean_command(args: CleanArgs, quiet: bool) -> Result<Status> {
    let model = Model::load_or_builtin(args.input.model.as_deref())?;
    let labels = model.labels();
    let unknown: Vec<&String> = args
        .keep
        .iter()
        .filter(|l| labels.index(l).is_none())
        .collect();
    if !unknown.is_empty() || args.keep.is_empty() {
        return Err(Error::Usage(format!(
            "--keep names labels the model does not have: {} (the model's labels: {})",
            unknown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            labels.names().join(", ")
        )));
    }
    let keep: Vec<bool> = labels
        .names()
        .iter()
        .map(|l| args.keep.contains(l))
        .collect();
    let mut sink = Sink::open(args.input.output_file.as_deref())?;
    let name = sink.name();
    let mut format: Option<(InputFormat, PathBuf)> = None;
    {
        let mut writer = CleanWriter::new(&mut sink, keep);
        stream_inputs(
            &args.input,
            &model,
            quiet,
            |path, f| match &format {
                Some((first, first_path)) if *first != f => Err(Error::Usage(format!(
                    "clean writes its input's own format, but {} is {f:?} and {} is {first:?}; \
                     clean them separately",
                    display_path(path),
                    display_path(first_path)
                ))),
                _ => {
                    format = Some((f, path.clone()));
                    Ok(())
                }
            },
            |item, tags| writer.write(item, tags).map(|_| ()),
            &name,
        )?;
        writer.finish().map_err(|e| Error::io(&name, e))?;
    }
    sink.finish()?;
    Ok(Status::Success)
}

fn eval_command(args: EvalArgs) -> Result<Status> {
    let model = Model::load_or_builtin(args.model.as_deref())?;
    let data = LabelledSet::read(&args.data)?;
    data.warnings.iter().for_each(warn);
    if data.rows() == 0 {
        return Err(Error::Usage(format!(
            "{}: no labelled paragraphs to evaluate",
            data.describe_files()
        )));
    }
    let gates = Gates {
        min_macro_f1: args.min_macro_f1,
        min_f1: args.min_f1.clone(),
        baseline: args
            .baseline
            .as_deref()
            .map(Gates::read_baseline)
            .transpose()?,
        max_drop: args.max_drop,
    };
    let evaluation = evaluate_with(&model, &data, args.split)?;
    let report = Report::new(&evaluation, &data, &model_name(args.model.as_deref()));
    let results = check_gates(&report, &gates)?;
    for path in &args.out {
        let rendered = report.render(ReportFormat::from_path(path), &results);
        write_atomically(path, rendered.as_bytes())?;
    }
    let wrong = if args.html.is_some() || args.errors.is_some() {
        mistakes(&evaluation, &data)
    } else {
        Vec::new()
    };
    if let Some(path) = &args.html {
        write_atomically(path, to_html(&report, &results, &wrong).as_bytes())?;
    }
    if let Some(path) = &args.errors {
        let mut out = OutputFile::create(path)?;
        write_errors_csv(&wrong, &mut out).map_err(|e| Error::io(path, e))?;
        out.commit()?;
    }
    let rendered = report.render(args.format.into(), &results);
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(rendered.as_bytes())
        .and_then(|_| stdout.flush())
        .map_err(|e| Error::io("<stdout>", e))?;
    let failures: Vec<String> = results.iter().filter_map(|g| g.failure()).collect();
    if failures.is_empty() {
        return Ok(Status::Success);
    }
    for failure in &failures {
        eprintln!("chaff: gate failed: {failure}");
    }
    Ok(Status::GateFailed)
}

/// Writes a CSV file atomically: `rows` writes the records, and the file appears only
/// when all of them were written.
fn write_csv(
    path: &Path,
    rows: impl FnOnce(&mut csv::Writer<&mut OutputFile>) -> csv::Result<()>,
) -> Result<()> {
    let mut out = OutputFile::create(path)?;
    let mut w = csv::Writer::from_writer(&mut out);
    rows(&mut w)
        .and_then(|()| w.flush().map_err(csv::Error::from))
        .map_err(|e| Error::io(path, e.into()))?;
    drop(w);
    out.commit()
}

fn cv_command(args: CvArgs, quiet: bool) -> Result<Status> {
    let params = train_params(&args.settings)?;
    let data = LabelledSet::read(&args.data)?;
    data.warnings.iter().for_each(warn);
    // One set per file, so an overlap with DATA.csv is reported against the right file.
    let extra = args
        .extra
        .iter()
        .map(|path| LabelledSet::read(&[path]))
        .collect::<Result<Vec<_>>>()?;
    extra.iter().flat_map(|e| &e.warnings).for_each(warn);
    let started = Instant::now();
    let cv = chaff::cv::cross_validate(
        &data,
        &extra,
        &params,
        args.folds,
        args.fold_group_by.into(),
    )?;
    note(
        quiet,
        format!(
            "cross-validated in {:.1} s",
            started.elapsed().as_secs_f64()
        ),
    );
    if let Some(path) = &args.folds_out {
        write_csv(path, |w| {
            w.write_record(["doc_id", "fold"])?;
            for (doc, fold) in &cv.assignment {
                w.write_record([doc.as_str(), &fold.to_string()])?;
            }
            Ok(())
        })?;
    }
    if let Some(path) = &args.predictions_out {
        write_csv(path, |w| {
            w.write_record([
                "doc_id",
                "position",
                "line",
                "fold",
                "label",
                "predicted",
                "confidence",
                "text",
            ])?;
            for p in &cv.predictions {
                let document = &data.documents[p.document];
                let paragraph = &document.paragraphs[p.paragraph];
                w.write_record([
                    document.id.as_str(),
                    &paragraph.position.to_string(),
                    &paragraph.line.to_string(),
                    &p.fold.to_string(),
                    &cv.labels[p.truth],
                    &cv.labels[p.predicted],
                    &format!("{:.3}", p.confidence),
                    &paragraph.text,
                ])?;
            }
            Ok(())
        })?;
    }
    let out = match args.format {
        CvFormatArg::Json => serde_json::to_string_pretty(&cv).expect("json") + "\n",
        CvFormatArg::Markdown => cv.to_markdown(),
        CvFormatArg::Text => cv.to_text(),
    };
    io::stdout()
        .write_all(out.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))?;
    Ok(Status::Success)
}

fn info_command(args: InfoArgs) -> Result<Status> {
    let model = Model::load_or_builtin(args.model.as_deref())?;
    let info = model.info();
    let name = model_name(args.model.as_deref());
    let trained_at =
        humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs(info.trained_at));
    let out = if args.json {
        let value = serde_json::json!({
            "model": name,
            "format_version": FORMAT_VERSION,
            "labels": model.labels().names(),
            "stages": stages(&model),
            "features": model.feature_settings(),
            "training": info,
            "trained_at_utc": trained_at.to_string(),
        });
        serde_json::to_string_pretty(&value).expect("json") + "\n"
    } else {
        let mut s = String::new();
        use std::fmt::Write as _;
        let _ = writeln!(s, "model:          {name}");
        let _ = writeln!(s, "format version: {FORMAT_VERSION}");
        let _ = writeln!(s, "labels:         {}", model.labels().names().join(", "));
        let _ = writeln!(s, "stages:         {}", stages(&model));
        let _ = writeln!(
            s,
            "trained with:   chaff {} at {trained_at}",
            info.chaff_version
        );
        let _ = writeln!(s, "training data:  {}", info.files.join(", "));
        let _ = writeln!(
            s,
            "                {} paragraphs in {} documents",
            info.rows, info.documents
        );
        let counts: Vec<String> = model
            .labels()
            .names()
            .iter()
            .zip(&info.label_counts)
            .map(|(l, c)| format!("{l} {c}"))
            .collect();
        let _ = writeln!(s, "                {}", counts.join(", "));
        let _ = writeln!(s, "data sha256:    {}", info.data_sha256);
        let settings: Vec<String> = info
            .settings
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let _ = writeln!(s, "settings:       {}", settings.join(" "));
        let _ = writeln!(s, "scores at training time:");
        for score in &info.scores {
            let _ = writeln!(
                s,
                "  {}: macro-F1 {:.3}, accuracy {:.3} ({} paragraphs)",
                score.set, score.macro_f1, score.accuracy, score.rows
            );
        }
        s
    };
    io::stdout()
        .write_all(out.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))?;
    Ok(Status::Success)
}

/// The model's stages in words, for `info`.
fn stages(model: &Model) -> &'static str {
    match (model.has_context_stage(), model.uses_repetition()) {
        (false, _) => "text",
        (true, false) => "text + context",
        (true, true) => "text + context with repetition",
    }
}

fn stats_command(args: StatsArgs) -> Result<Status> {
    let data = LabelledSet::read(&args.data)?;
    data.warnings.iter().for_each(warn);
    let stats = Stats::of(&data);
    if let Some(path) = &args.into {
        chaff::generated::update(path, "stats", &stats.to_markdown())?;
        return Ok(Status::Success);
    }
    let out = if args.markdown {
        stats.to_markdown()
    } else {
        stats.to_text()
    };
    io::stdout()
        .write_all(out.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))?;
    Ok(Status::Success)
}
