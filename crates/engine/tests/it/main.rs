//! The integration tests of `rehearse-engine`, one module a former test file: one binary to link
//! instead of one a file. Run one module with `cargo test -p rehearse-engine --test it <module>::`.

mod common;

mod board;
mod card_answer;
mod keychain;
mod live_hold_and_marks;
mod live_mic_lost;
mod live_phases;
mod live_session;
mod live_transcriber;
mod llm_interviewer;
mod llm_qwen_session;
mod models_and_retranscribe;
mod no_invented_text;
mod progress_cache;
mod review;
mod secret_leak;
mod settings_file;
mod study;
mod study_gaps;
mod tradeoff_decisions;
mod uncertain_words;
