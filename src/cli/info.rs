//! `chaff info`: a model's labels, format, stages, training data, settings and scores.

use chaff::report::{info_json, info_text};
use chaff::Result;

use super::args::{InfoArgs, InfoFormatArg};
use super::output::print;
use super::{load_model, model_name, Status};

/// Runs `chaff info`.
pub fn run(args: InfoArgs) -> Result<Status> {
    let model = load_model(args.model.as_deref(), None)?;
    let name = model_name(args.model.as_deref());
    print(&if args.json || args.format == InfoFormatArg::Json {
        info_json(&model, &name)
    } else {
        info_text(&model, &name)
    })?;
    Ok(Status::Success)
}
