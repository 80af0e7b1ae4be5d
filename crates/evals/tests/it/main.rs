//! The integration tests of `rehearse-evals`, one module a former test file: one binary to link
//! instead of one a file. Run one module with `cargo test -p rehearse-evals --test it <module>::`.

mod judgement;
