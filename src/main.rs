//! The `osce-api` command: parse the command line and run it (`cli`).

use std::process::ExitCode;

use clap::Parser;
use osce_api::cli::{self, Cli};

/// glibc's malloc took about a quarter of a request's CPU in profiles, and
/// gave each thread an arena it rarely handed back (doubling the import's
/// resident size); mimalloc does better on both.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(cli::run(cli));
    // Everything the command does is done; what is left are requests that
    // `serve` abandoned after its grace period: do not wait for them.
    runtime.shutdown_background();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
