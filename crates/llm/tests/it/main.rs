//! The integration tests of `rehearse-llm`, one module a former test file: one binary to link
//! instead of one a file. Run one module with `cargo test -p rehearse-llm --test it <module>::`.

mod fault_injection;
mod real_server;
