//! The app's commands, a few lines each over the engine, grouped by feature. Each is
//! registered in `generate_handler![...]` (src/lib.rs), granted in
//! capabilities/default.json, and called from ui/src/ipc.ts (ipc.contract.test.ts checks
//! the names).

pub mod board;
pub mod models;
pub mod practice;
pub mod review;
pub mod settings;
pub mod study;
