//! The `chaff` command: a thin layer over the library. Arguments are parsed in `cli`, the
//! commands run in `commands`; this file maps outcomes to exit statuses (0 success, 1 a
//! failed gate, 2 bad usage or bad input).

mod cli;
mod commands;

use clap::Parser;

fn main() {
    let cli = cli::Cli::parse();
    if let Some(threads) = cli.threads {
        if threads == 0 {
            eprintln!("chaff: error: --threads must be at least 1");
            std::process::exit(2);
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .expect("the thread pool is built once, first");
    }
    let code = match commands::run(cli) {
        Ok(commands::Status::Success) => 0,
        Ok(commands::Status::GateFailed) => 1,
        // The reader went away (`chaff tag big.jsonl | head`): stop quietly, like ripgrep.
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            eprintln!("chaff: error: {e}");
            2
        }
    };
    std::process::exit(code);
}
