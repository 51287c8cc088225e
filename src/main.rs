use std::process::ExitCode;

use clap::Parser;
use pamctl::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let output = cli.output_settings();
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            output.report_error(&error);
            ExitCode::from(error.exit_code())
        }
    }
}
