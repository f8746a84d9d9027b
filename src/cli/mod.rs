//! The `chaff` command line over the library: arguments in [`args`], one file per command,
//! and what the commands share (where output goes, progress on a terminal, tagging the
//! input files).

pub mod args;
mod clean;
mod cv;
mod eval;
mod feeds;
mod info;
mod output;
mod progress;
pub mod signals;
mod stats;
mod tag;
mod train;

use std::path::Path;

use chaff::{Model, Result, Warning};

use args::{Cli, Command};

/// How a command ended, when it did not fail.
pub enum Status {
    /// It did what was asked.
    Success,
    /// An evaluation gate failed (exit status 1).
    GateFailed,
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> Result<Status> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Train(args) => train::run(args, quiet),
        Command::Tag(args) => tag::run(args, quiet),
        Command::Clean(args) => clean::run(args, quiet),
        Command::Eval(args) => eval::run(args),
        Command::Cv(args) => cv::run(args, quiet),
        Command::Info(args) => info::run(args),
        Command::Stats(args) => stats::run(args),
    }
}

/// A note for people on stderr, unless `quiet`.
fn note(quiet: bool, message: impl AsRef<str>) {
    if !quiet {
        eprintln!("chaff: {}", message.as_ref());
    }
}

/// A warning on stderr, whatever `--quiet` says.
fn warn(warning: impl std::fmt::Display) {
    eprintln!("chaff: warning: {warning}");
}

/// Prints the warnings of a library call.
fn warn_all<'a>(warnings: impl IntoIterator<Item = &'a Warning>) {
    warnings.into_iter().for_each(warn);
}

/// How a model is named in messages and reports.
fn model_name(path: Option<&Path>) -> String {
    path.map_or_else(
        || "<built-in default model>".to_string(),
        |p| p.display().to_string(),
    )
}

/// The model at `path`, or the built-in one.
fn load_model(path: Option<&Path>, prior_shift: Option<f32>) -> Result<Model> {
    let mut model = match path {
        Some(p) => Model::load(p)?,
        None => Model::builtin()?,
    };
    if let Some(shift) = prior_shift {
        model.set_prior_shift(shift)?;
    }
    Ok(model)
}
