//! `chaff cv`: grouped k-fold cross-validation with the training settings.

use std::time::Instant;

use chaff::{cross_validate, LabelledSet, Result};

use super::args::{CvArgs, CvFormatArg};
use super::output::{print, write_csv};
use super::{note, warn_all, Status};

/// Runs `chaff cv`.
pub fn run(args: CvArgs, quiet: bool) -> Result<Status> {
    let params = args.settings.params()?;
    let data = LabelledSet::read(&args.data)?;
    warn_all(&data.warnings);
    // One set per file, so an overlap with DATA.csv is reported against the right file.
    let extra = args
        .extra
        .iter()
        .map(|path| LabelledSet::read(&[path]))
        .collect::<Result<Vec<_>>>()?;
    warn_all(extra.iter().flat_map(|e| &e.warnings));
    let started = Instant::now();
    let cv = cross_validate(
        &data,
        &extra,
        &params,
        args.folds,
        args.fold_group_by.into(),
    )?;
    warn_all(&cv.warnings);
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
    print(&match args.format {
        CvFormatArg::Json => serde_json::to_string_pretty(&cv).expect("json") + "\n",
        CvFormatArg::Markdown => cv.to_markdown(),
        CvFormatArg::Text => cv.to_text(),
    })?;
    Ok(Status::Success)
}
