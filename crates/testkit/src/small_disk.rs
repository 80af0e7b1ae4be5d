//! A tiny file system of its own (tmpfs), to fill up on purpose: how a test sees a full disk.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs mounted on a fresh temporary folder; unmounted (and the folder removed) on drop.
pub struct SmallDisk {
    dir: Option<tempfile::TempDir>,
    path: PathBuf,
}

impl SmallDisk {
    /// Mounts a tmpfs of `bytes` for `test`. Mounting needs root: elsewhere (or where `mount`
    /// fails) the test is skipped, loudly on stderr, and returns None; with
    /// `REHEARSE_REQUIRE_MOUNT=1` (CI, as root) it fails instead.
    pub fn mount(test: &str, bytes: u64) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().to_path_buf();
        let tried = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(&path)
            .output();
        let why = match tried {
            Ok(out) if out.status.success() => {
                return Some(SmallDisk {
                    dir: Some(dir),
                    path,
                })
            }
            Ok(out) => String::from_utf8_lossy(&out.stderr).trim().to_string(),
            Err(e) => format!("mount could not start: {e}"),
        };
        let message = format!(
            "SKIPPED {test}: could not mount a {bytes}-byte tmpfs ({why}); run the tests as \
             root to fill a disk for real"
        );
        if std::env::var("REHEARSE_REQUIRE_MOUNT").as_deref() == Ok("1") {
            panic!("{message} (REHEARSE_REQUIRE_MOUNT=1)");
        }
        eprintln!("{message}");
        None
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `name` on this disk until no byte more fits; returns how many bytes it holds.
    pub fn fill_with(&self, name: &str) -> u64 {
        use std::io::Write;
        let mut file = std::fs::File::create(self.path.join(name)).expect("create the filler");
        let block = vec![0u8; 4096];
        let mut written = 0u64;
        loop {
            match file.write(&block) {
                Ok(0) | Err(_) => break,
                Ok(n) => written += n as u64,
            }
        }
        written
    }

    /// Fills this disk with `name` so that only about `room` bytes stay free.
    pub fn fill_leaving(&self, name: &str, room: u64) {
        let held = self.fill_with(name);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(self.path.join(name))
            .expect("open the filler");
        file.set_len(held.saturating_sub(room))
            .expect("shrink the filler");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
        drop(self.dir.take());
    }
}
