//! The integration tests of `rehearse-content`, one module a former test file: one binary to link
//! instead of one a file. Run one module with `cargo test -p rehearse-content --test it <module>::`.

mod content_check;
mod user_cards;
