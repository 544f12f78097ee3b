//! Finding the real Python interpreter once.
//!
//! `python3` on `PATH` is often a wrapper (a pyenv shim costs ~200 ms per start here), so the
//! interpreter is asked once for its own executable and installation directories, and every run then
//! starts that executable directly.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;

use crate::SandboxError;

/// The resolved interpreter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interpreter {
    /// The executable, with symbolic links resolved.
    pub executable: PathBuf,
    /// `sys.version`, first line.
    pub version: String,
    /// Directories the interpreter reads at run time (its installation: standard library, shared
    /// library, extension modules), outermost only. The sandbox exposes them read-only.
    pub install_dirs: Vec<PathBuf>,
}

#[derive(Deserialize)]
struct Answer {
    executable: String,
    version: String,
    dirs: Vec<String>,
}

const QUERY: &str = r#"
import json, os, sys
dirs = {os.path.realpath(d) for d in (sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix)}
exe = os.path.realpath(sys.executable)
dirs.add(os.path.dirname(exe))
print(json.dumps({"executable": exe, "version": sys.version.splitlines()[0], "dirs": sorted(dirs)}))
"#;

impl Interpreter {
    pub(crate) fn resolve(program: &Path) -> Result<Interpreter, SandboxError> {
        let out = Command::new(program)
            .args(["-I", "-S", "-c", QUERY])
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .map_err(|source| SandboxError::NoInterpreter { program: program.to_path_buf(), source })?;
        let bad = |detail: String| SandboxError::BadInterpreter { program: program.to_path_buf(), detail };
        if !out.status.success() {
            return Err(bad(format!("{}: {}", out.status, String::from_utf8_lossy(&out.stderr).trim())));
        }
        let answer: Answer = serde_json::from_slice(&out.stdout)
            .map_err(|e| bad(format!("{e} in {:?}", String::from_utf8_lossy(&out.stdout))))?;
        let mut dirs: Vec<PathBuf> = answer.dirs.into_iter().map(PathBuf::from).collect();
        dirs.sort();
        // Keep only the outermost directories: an inner one is exposed with its ancestor.
        let mut install_dirs: Vec<PathBuf> = Vec::new();
        for d in dirs {
            if !install_dirs.iter().any(|outer| d.starts_with(outer)) {
                install_dirs.push(d);
            }
        }
        if install_dirs.iter().any(|d| d == Path::new("/")) {
            return Err(bad("its installation directory is `/`".into()));
        }
        Ok(Interpreter {
            executable: PathBuf::from(answer.executable),
            version: answer.version,
            install_dirs,
        })
    }
}
