use std::process::ExitCode;

use pamctl::cli::{self, Cli};

fn main() -> ExitCode {
    // `COMPLETE=bash pamctl` prints the shell's hook; the hook calls back with COMPLETE set
    // to get candidates. Either way it answers and exits here; otherwise it does nothing.
    clap_complete::CompleteEnv::with_factory(cli::command).complete();
    let cli = match Cli::parse_from_env() {
        Ok(cli) => cli,
        Err(error) => return cli::error::usage_exit(&error),
    };
    let output = cli.output_settings();
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            output.report_error(&error);
            ExitCode::from(error.exit_code())
        }
    }
}
