//! Helpers shared by the integration tests.

#![allow(dead_code)]

use quill_data::{DomainKind, GenConfig};
use std::path::PathBuf;

pub fn config(tasks: usize, seed: u64, domain: DomainKind) -> GenConfig {
    GenConfig { tasks, seed, domain, shard_size: 64, ..GenConfig::default() }
}

/// A fresh, empty directory under the system's temporary directory, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("quill-data-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The bytes of every file in a directory, by name, in name order.
pub fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("read the directory")
        .map(|e| {
            let p = e.expect("a directory entry").path();
            (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).expect("read a file"))
        })
        .collect();
    out.sort();
    out
}
