//! The integration tests of `rehearse-board`, one module a former test file: one binary to link
//! instead of one a file. Run one module with `cargo test -p rehearse-board --test it <module>::`.

mod drawn;
mod fuzz;
mod history;
mod scenes;
