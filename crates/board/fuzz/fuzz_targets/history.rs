//! Any bytes as a stored history payload: replayed or refused, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = rehearse_board::history::replay_final([(0.0, data), (1.0, data)]);
});
