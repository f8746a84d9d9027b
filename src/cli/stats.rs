//! `chaff stats`: rows, distinct texts, documents and publishers per label.

use chaff::io::generated;
use chaff::{LabelledSet, Result, Stats};

use super::args::{StatsArgs, StatsFormatArg};
use super::output::print;
use super::{warn_all, Status};

/// Runs `chaff stats`.
pub fn run(args: StatsArgs) -> Result<Status> {
    let data = LabelledSet::read(&args.data)?;
    warn_all(&data.warnings);
    let stats = Stats::of(&data);
    if let Some(path) = &args.into {
        generated::update(path, "stats", &stats.to_markdown())?;
        return Ok(Status::Success);
    }
    print(
        &if args.markdown || args.format == StatsFormatArg::Markdown {
            stats.to_markdown()
        } else {
            stats.to_text()
        },
    )?;
    Ok(Status::Success)
}
