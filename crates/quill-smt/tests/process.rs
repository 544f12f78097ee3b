//! The verifier with stand-ins for z3 that hang or die, to check that it kills, restarts and
//! reports rather than waits or fails. Needs only `/bin/sh`.
//!
//! Everything is in one test so that no other test of this binary forks while a stand-in script is
//! being written (a child holding the script open would make running it fail with "text file
//! busy").

mod common;

use common::inline;
use quill_smt::{SmtError, Verdict, Verifier, VerifierConfig};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Writes an executable script.
fn script(dir: &Path, name: &str, text: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// A stand-in that answers the version request `new` makes and then runs `rest`.
fn stand_in(dir: &Path, name: &str, rest: &str) -> PathBuf {
    let text = format!(
        "#!/bin/sh\nread line\necho '(:version \"0-stand-in\")'\necho quill-smt-end-of-answer\n{rest}\n"
    );
    script(dir, name, &text)
}

fn config(z3_path: PathBuf) -> VerifierConfig {
    VerifierConfig { z3_path, timeout: Duration::from_millis(100), grace: Duration::from_millis(200) }
}

#[test]
fn hung_and_dead_solvers_are_killed_restarted_and_reported() {
    if !Path::new("/bin/sh").exists() {
        eprintln!("note: /bin/sh is absent; the test is skipped");
        return;
    }
    let dir = std::env::temp_dir().join(format!("quill-smt-process-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p =
        inline("(set-logic LIA)\n(synth-fun f ((x Int)) Int)\n(declare-var x Int)\n(constraint (= (f x) 0))");
    let c = [common::candidate(&p, "f", "0")];

    // Reads everything and never answers: each query is given up at its deadline.
    let mut v = Verifier::new(config(stand_in(&dir, "hangs", "exec 3>&1\nexec cat > /dev/null"))).unwrap();
    assert_eq!(v.z3_version(), "0-stand-in");
    for round in 0..2 {
        let start = Instant::now();
        let verdict = v.verify(&p, &c).unwrap();
        assert!(matches!(&verdict, Verdict::Unknown(r) if r.contains("did not answer")), "{verdict:?}");
        assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
        assert_eq!(v.stats().solver_restarts, round, "the second query runs on a new process");
    }

    // Exits after the version request: the query is unknown and the next one starts afresh.
    let mut v = Verifier::new(config(stand_in(&dir, "dies", "exit 3"))).unwrap();
    let verdict = v.verify(&p, &c).unwrap();
    assert!(matches!(&verdict, Verdict::Unknown(r) if r.contains("z3")), "{verdict:?}");

    // Answers nonsense to the version request: refused at once.
    let silent = script(&dir, "silent", "#!/bin/sh\nread line\necho hello\necho quill-smt-end-of-answer\n");
    assert!(matches!(Verifier::new(config(silent)), Err(SmtError::Spawn { .. })));

    // Not there at all.
    assert!(matches!(Verifier::new(config(dir.join("absent"))), Err(SmtError::Spawn { .. })));
    let _ = std::fs::remove_dir_all(&dir);
}
