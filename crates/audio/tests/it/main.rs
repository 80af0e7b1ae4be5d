//! The integration tests of `rehearse-audio`, one module a former test file: one binary to link
//! instead of one a file. Run one module with `cargo test -p rehearse-audio --test it <module>::`.

mod virtual_mic;
mod vmic_faults;
