//! The `chaff` command: a thin layer over the library. Arguments are parsed in `cli::args`,
//! each command runs in its own file under `cli/`; this file sets up threads and maps
//! outcomes to exit statuses (0 success, 1 a failed gate, 2 bad usage or bad input).

mod cli;

use clap::Parser;

fn main() {
    let cli = cli::args::Cli::parse();
    cli::signals::remove_temp_files_on_signal();
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
    let code = match cli::run(cli) {
        Ok(cli::Status::Success) => 0,
        Ok(cli::Status::GateFailed) => 1,
        // The reader went away (`chaff tag big.jsonl | head`): stop quietly, like ripgrep.
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            eprintln!("chaff: error: {e}");
            2
        }
    };
    std::process::exit(code);
}
