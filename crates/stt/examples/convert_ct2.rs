//! Converts a CTranslate2 Whisper folder to ggml and prints the summary.
//! `cargo run --release -p rehearse-stt --example convert_ct2 -- SRC_DIR DEST_FILE`

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [src, dest] = args.as_slice() else {
        eprintln!("usage: convert_ct2 SRC_DIR DEST_FILE");
        return ExitCode::from(2);
    };
    let started = std::time::Instant::now();
    match rehearse_stt::convert_ct2_to_ggml(src, dest) {
        Ok(s) => {
            println!("{s:#?}\ntook {:.2} s", started.elapsed().as_secs_f64());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
