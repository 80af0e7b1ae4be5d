//! The integration tests of `rehearse-stt`, one module a former test file: one binary to link
//! instead of one a file. Run one module with `cargo test -p rehearse-stt --test it <module>::`.

mod common;

mod convert_real_model;
mod download_loopback;
mod model_errors;
mod quantize_real_model;
mod transcribe_real_speech;
