//! Finding the installed test models. They are installed by scripts/setup.sh (CI runs it before the
//! tests); a missing model is a test failure, not a skip, so that a broken set-up cannot pass silently.

#![allow(dead_code)]

use quill_llm::models;
use std::path::PathBuf;

/// The path of an installed model, or a panic that says how to install it.
pub fn installed(name: &str) -> PathBuf {
    let spec = models::find(name).expect("known model");
    match spec.installed_path() {
        Ok(p) => p,
        Err(e) => panic!("{e}\n(the quill-llm tests need the models that scripts/setup.sh installs)"),
    }
}

pub fn smollm() -> PathBuf {
    installed(models::TEST_MODEL)
}

pub fn qwen() -> PathBuf {
    installed(models::DEFAULT_MODEL)
}
