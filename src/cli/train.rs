//! `chaff train`: learn a model from labelled CSV files and write it to one file.

use std::time::Instant;

use chaff::{train, LabelledSet, Result};

use super::args::TrainArgs;
use super::{note, warn_all, Status};

/// Runs `chaff train`.
pub fn run(args: TrainArgs, quiet: bool) -> Result<Status> {
    let params = args.settings.params()?;
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
        .map(|p| LabelledSet::read(std::slice::from_ref(p)).map(|s| (p.display().to_string(), s)))
        .collect::<Result<Vec<_>>>()?;
    let training = train(&data, &params)?;
    warn_all(&training.warnings);
    let mut model = training.model;
    for (name, set) in &tests {
        let score = model.record_score(set, name)?;
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
            args.output.display()
        ),
    );
    Ok(Status::Success)
}
