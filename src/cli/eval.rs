//! `chaff eval`: score a model on labelled CSV files, render the report and check gates.

use chaff::io::{write_atomically, OutputFile};
use chaff::report::{check_gates, mistakes, to_html, write_errors_csv, Gates, ReportFormat};
use chaff::{evaluate_with_pieces, Error, LabelledSet, Report, Result};

use super::args::EvalArgs;
use super::output::print;
use super::{load_model, model_name, warn_all, Status};

/// Runs `chaff eval`.
pub fn run(args: EvalArgs) -> Result<Status> {
    let model = load_model(args.model.as_deref(), args.prior_shift)?;
    let data = LabelledSet::read(&args.data)?;
    warn_all(&data.warnings);
    if data.rows() == 0 {
        return Err(Error::Data(format!(
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
    let evaluation = evaluate_with_pieces(&model, &data, args.pieces)?;
    let report = Report::new(&evaluation, &data, &model_name(args.model.as_deref()));
    let results = check_gates(&report, &gates)?;
    for path in &args.output {
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
    print(&report.render(args.format.into(), &results))?;
    let failures: Vec<String> = results.iter().filter_map(|g| g.failure()).collect();
    if failures.is_empty() {
        return Ok(Status::Success);
    }
    for failure in &failures {
        eprintln!("chaff: gate failed: {failure}");
    }
    Ok(Status::GateFailed)
}
