//! The model cache: installing from a local file checks the pinned size and hash and never leaves a bad
//! file under the model's name. One test function only, because it sets QUILL_MODELS_DIR for the process.

mod common;

use quill_llm::models::{self, ModelError, MODELS};
use std::fs;

#[test]
fn install_from_a_file_verifies_before_it_commits() {
    let good = common::smollm();
    let spec = models::find(models::TEST_MODEL).unwrap();
    spec.verify_file(&good).expect("the installed test model matches its pin");

    let dir = std::env::temp_dir().join(format!("quill-models-test-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    std::env::set_var("QUILL_MODELS_DIR", &dir);
    assert_eq!(models::models_dir().unwrap(), dir);
    assert!(matches!(spec.installed_path(), Err(ModelError::NotInstalled { .. })));
    let msg = spec.installed_path().unwrap_err().to_string();
    assert!(msg.contains("scripts/setup.sh"), "{msg}");

    // Same size, one byte changed: the hash check refuses it.
    let mut bytes = fs::read(&good).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    let corrupt = dir.join("corrupt.gguf");
    fs::write(&corrupt, &bytes).unwrap();
    let err = spec.install(Some(&corrupt), &mut |_| {}).unwrap_err();
    assert!(matches!(err, ModelError::HashMismatch { .. }), "{err}");
    assert!(err.to_string().contains(spec.sha256), "{err}");
    // Truncated: the size check refuses it.
    fs::write(&corrupt, &bytes[..1000]).unwrap();
    let err = spec.install(Some(&corrupt), &mut |_| {}).unwrap_err();
    assert!(matches!(err, ModelError::SizeMismatch { actual: 1000, .. }), "{err}");
    assert!(matches!(spec.installed_path(), Err(ModelError::NotInstalled { .. })));

    // The real file installs, verifies, and leaves no scratch directory behind.
    let path = spec.install(Some(&good), &mut |_| {}).unwrap();
    assert_eq!(path, dir.join(format!("{}.gguf", spec.name)));
    assert_eq!(spec.verify().unwrap(), path);
    let left: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 2, "{left:?}"); // the model and corrupt.gguf

    assert!(matches!(models::find("gpt-17"), Err(ModelError::Unknown { .. })));
    assert!(MODELS.iter().all(|m| m.sha256.len() == 64 && !m.parts.is_empty()));
    fs::remove_dir_all(&dir).unwrap();
}
