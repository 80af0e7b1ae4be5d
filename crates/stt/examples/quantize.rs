//! Quantises a ggml model as whisper.cpp's `quantize` tool does (see `rehearse_stt::quantize`).
//!
//!   cargo run -p rehearse-stt --example quantize -- SRC.bin DST.bin q8_0|q5_1

use rehearse_stt::models::Quantisation;
use rehearse_stt::quantize::quantise_model;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let to = match args.get(2).map(String::as_str) {
        Some("q8_0") => Quantisation::Q8_0,
        Some("q5_1") => Quantisation::Q5_1,
        _ => {
            eprintln!("usage: quantize SRC.bin DST.bin q8_0|q5_1");
            std::process::exit(2);
        }
    };
    let started = std::time::Instant::now();
    match quantise_model(Path::new(&args[0]), Path::new(&args[1]), to) {
        Ok(n) => println!(
            "{}: {n} tensors quantised to {} in {:.1} s",
            args[1],
            to.as_str(),
            started.elapsed().as_secs_f64()
        ),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
