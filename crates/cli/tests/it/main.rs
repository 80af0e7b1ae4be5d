//! The integration tests of `rehearse-cli`, one module a former test file: one binary to link
//! instead of one a file. Run one module with `cargo test -p rehearse-cli --test it <module>::`.

mod architecture;
mod cards_json;
mod common;
mod mic_lost;
mod models_download;
mod practice_board;
mod practice_json;
mod recovery;
