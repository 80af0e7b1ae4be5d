//! The integration tests of `rehearse-interviewer`, one module a former test file: one binary to link
//! instead of one a file. Run one module with `cargo test -p rehearse-interviewer --test it <module>::`.

mod common;

mod board_probes;
mod followups_quote;
mod grader_self_test;
mod llm_backend;
mod llm_checklist;
mod phases;
mod uncertain_quotes;
