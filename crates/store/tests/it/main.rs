//! The integration tests of `rehearse-store`, one module a former test file: one binary to link
//! instead of one a file. Run one module with `cargo test -p rehearse-store --test it <module>::`.

mod common;

mod board_store;
mod marks_store;
mod review_search_best;
mod review_store;
mod segment_words;
mod store_file;
mod study_store;
