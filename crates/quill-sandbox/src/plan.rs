//! Which isolation mechanisms this machine allows (probed once), and the per-run setup built from them.

use std::ffi::CString;
use std::fmt;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::sys::{ChildSetup, MountStep};
use crate::{landlock, run, sys, Interpreter, Limits, SandboxError};

/// One isolation mechanism (see the crate documentation for what each one contains).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mechanism {
    /// CPU, address space, file size, open files, core dumps (always on).
    Rlimits,
    /// Own session and process group, killed as a whole (always on).
    ProcessGroup,
    /// A random unprivileged uid per run; enables the process limit and the kill-by-uid sweep.
    FreshUid,
    /// A private network namespace.
    NetworkNamespace,
    /// A private mount namespace: `tmpfs` working directory, the home directory hidden.
    MountNamespace,
    /// Landlock file-system, TCP and scope restrictions.
    Landlock,
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mechanism::Rlimits => "rlimits",
            Mechanism::ProcessGroup => "process group",
            Mechanism::FreshUid => "fresh uid",
            Mechanism::NetworkNamespace => "network namespace",
            Mechanism::MountNamespace => "mount namespace",
            Mechanism::Landlock => "landlock",
        })
    }
}

/// The mechanisms in force for every run, as found by probing when the sandbox was created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mechanisms {
    pub active: Vec<Mechanism>,
    /// Mechanisms that could not be used here, with the reason.
    pub missing: Vec<(Mechanism, String)>,
    /// The kernel's Landlock ABI version, when Landlock is active.
    pub landlock_abi: Option<u32>,
    /// Directories covered by an empty read-only `tmpfs` in the mount namespace, each with the
    /// interpreter directories bound back inside it.
    pub hidden: Vec<(PathBuf, Vec<PathBuf>)>,
}

impl Mechanisms {
    pub fn has(&self, m: Mechanism) -> bool {
        self.active.contains(&m)
    }

    /// Whether every mechanism this crate knows is in force.
    pub fn complete(&self) -> bool {
        self.missing.is_empty()
    }
}

impl fmt::Display for Mechanisms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let active: Vec<String> = self
            .active
            .iter()
            .map(|m| match (m, self.landlock_abi) {
                (Mechanism::Landlock, Some(abi)) => format!("landlock (ABI {abi})"),
                _ => m.to_string(),
            })
            .collect();
        write!(f, "active: {}", active.join(", "))?;
        for (m, why) in &self.missing {
            write!(f, "; missing {m}: {why}")?;
        }
        Ok(())
    }
}

/// Directories the sandbox may read and execute from, besides the interpreter's installation.
const SYSTEM_DIRS: &[&str] = &["/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin"];
/// Single files it may read: the loader's cache and the local time zone.
const SYSTEM_FILES: &[&str] =
    &["/etc/ld.so.cache", "/etc/localtime", "/dev/zero", "/dev/urandom", "/dev/random"];

/// Finds what works here: each mechanism is added in turn on top of those already found, and kept if
/// a probe run (`-c pass`, plus a uid check) still succeeds with it.
pub(crate) fn probe(python: &Interpreter, limits: &Limits) -> Result<Mechanisms, SandboxError> {
    let mut m = Mechanisms {
        active: vec![Mechanism::Rlimits, Mechanism::ProcessGroup],
        missing: Vec::new(),
        landlock_abi: None,
        hidden: Vec::new(),
    };
    let probe_limits = Limits { wall: Duration::from_secs(10), ..limits.clone() };
    let try_run = |m: &Mechanisms| -> Result<(), String> {
        let source = "import os\nprint(os.getuid())";
        let job = run::Job::plain(source, b"");
        match run::execute(python, &probe_limits, m, job) {
            Ok(done) if done.run.success() => {
                let uid = String::from_utf8_lossy(&done.run.stdout).trim().to_string();
                if m.has(Mechanism::FreshUid) && uid == "0" {
                    return Err("the probe still ran as root".into());
                }
                Ok(())
            }
            Ok(done) => Err(format!(
                "the probe run ended {:?}: {}",
                done.run.outcome,
                String::from_utf8_lossy(&done.run.stderr).trim()
            )),
            Err(e) => Err(e.to_string()),
        }
    };
    try_run(&m).map_err(SandboxError::Unusable)?;

    let root = sys::geteuid() == 0;
    let candidates =
        [Mechanism::Landlock, Mechanism::NetworkNamespace, Mechanism::MountNamespace, Mechanism::FreshUid];
    for mech in candidates {
        let mut next = m.clone();
        next.active.push(mech);
        match mech {
            Mechanism::Landlock => match landlock::abi() {
                Ok(abi) => next.landlock_abi = Some(abi),
                Err(e) => {
                    m.missing.push((mech, format!("the kernel offers no Landlock: {e}")));
                    continue;
                }
            },
            Mechanism::MountNamespace | Mechanism::FreshUid if !root => {
                m.missing.push((mech, "needs root".into()));
                continue;
            }
            Mechanism::MountNamespace => next.hidden = hidden_dirs(python),
            _ => {}
        }
        match try_run(&next) {
            Ok(()) => m = next,
            Err(why) => m.missing.push((mech, why)),
        }
    }
    Ok(m)
}

/// The directories to cover with an empty `tmpfs`: the home directory, and the outermost directory
/// above each interpreter directory that other users cannot enter (pyenv under a 0700 `/root`), each
/// with the interpreter directories inside it, which are bound back at the same path.
fn hidden_dirs(python: &Interpreter) -> Vec<(PathBuf, Vec<PathBuf>)> {
    let mut tops: Vec<PathBuf> = Vec::new();
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if home.is_absolute() && home.is_dir() && home != Path::new("/") {
            tops.push(home.canonicalize().unwrap_or(home));
        }
    }
    for dir in &python.install_dirs {
        let closed = dir
            .ancestors()
            .skip(1)
            .filter(|a| a.metadata().map(|md| md.permissions().mode() & 0o001 == 0).unwrap_or(false));
        if let Some(top) = closed.last() {
            tops.push(top.to_path_buf());
        }
    }
    let temp = std::env::temp_dir();
    tops.sort();
    tops.dedup();
    let outermost: Vec<PathBuf> =
        tops.iter().filter(|t| !tops.iter().any(|o| o != *t && t.starts_with(o))).cloned().collect();
    outermost
        .into_iter()
        // Hiding a directory that holds the working directory or the whole interpreter would break runs.
        .filter(|t| !temp.starts_with(t) && !python.install_dirs.iter().any(|d| t.starts_with(d)))
        .map(|t| {
            let inside = python.install_dirs.iter().filter(|d| d.starts_with(&t)).cloned().collect();
            (t, inside)
        })
        .collect()
}

/// The host side of one run: its working directory (removed on drop) and its uid.
pub(crate) struct Prepared {
    pub workdir: WorkDir,
    pub uid: Option<u32>,
    pub setup: ChildSetup,
}

pub(crate) struct WorkDir(pub PathBuf);

impl Drop for WorkDir {
    fn drop(&mut self) {
        // Everything that could write here is dead by now; with the mount namespace the directory
        // only ever held an unmounted mount point and is empty.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn cstring(p: &Path) -> Result<CString, SandboxError> {
    CString::new(p.as_os_str().as_bytes()).map_err(|_| SandboxError::Io {
        what: format!("use the path {}", p.display()),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "NUL byte in path"),
    })
}

fn random_u64() -> Result<u64, SandboxError> {
    let mut b = [0u8; 8];
    sys::random_bytes(&mut b).map_err(SandboxError::io("read random bytes"))?;
    Ok(u64::from_le_bytes(b))
}

pub(crate) fn random_hex() -> Result<String, SandboxError> {
    Ok(format!("{:016x}{:016x}", random_u64()?, random_u64()?))
}

pub(crate) fn prepare(
    python: &Interpreter,
    limits: &Limits,
    m: &Mechanisms,
) -> Result<Prepared, SandboxError> {
    let path = std::env::temp_dir().join(format!("quill-sandbox-{}", random_hex()?));
    std::fs::create_dir(&path).map_err(SandboxError::io(format!("create {}", path.display())))?;
    let workdir = WorkDir(path);
    std::fs::set_permissions(&workdir.0, std::fs::Permissions::from_mode(0o700))
        .map_err(SandboxError::io(format!("restrict {}", workdir.0.display())))?;
    let wd = cstring(&workdir.0)?;

    // A random uid far above any real account (2^30 .. 2^31), different for every run, so that runs
    // cannot signal each other and the kill-by-uid sweep touches only this run.
    let uid = if m.has(Mechanism::FreshUid) {
        let uid = 0x4000_0000 + (random_u64()? % 0x3fff_0000) as u32;
        if !m.has(Mechanism::MountNamespace) {
            std::os::unix::fs::chown(&workdir.0, Some(uid), Some(uid))
                .map_err(SandboxError::io(format!("hand {} to the sandbox uid", workdir.0.display())))?;
        }
        Some(uid)
    } else {
        None
    };

    let mut unshare_flags = 0;
    if m.has(Mechanism::NetworkNamespace) {
        unshare_flags |= libc::CLONE_NEWNET;
        if sys::geteuid() != 0 {
            unshare_flags |= libc::CLONE_NEWUSER;
        }
    }
    let mut mounts = Vec::new();
    if m.has(Mechanism::MountNamespace) {
        unshare_flags |= libc::CLONE_NEWNS;
        mounts.push(MountStep::MakePrivate);
        let owner = uid.map(|u| format!(",uid={u},gid={u}")).unwrap_or_default();
        let options = format!("size={},mode=0700{owner}", limits.disk_bytes.max(4096));
        mounts.push(MountStep::Tmpfs {
            target: wd.clone(),
            options: CString::new(options).expect("no NUL in tmpfs options"),
            flags: libc::MS_NOSUID | libc::MS_NODEV,
        });
        hide_steps(&workdir.0, &m.hidden, &mut mounts)?;
    }

    let landlock = match (m.has(Mechanism::Landlock), m.landlock_abi) {
        (true, Some(abi)) => Some((ruleset(abi, python)?, landlock::fs_rights(abi))),
        _ => None,
    };

    let cpu = limits.cpu.as_secs() + u64::from(limits.cpu.subsec_nanos() > 0);
    let cpu = cpu.max(1);
    let mut rlimits = vec![
        (libc::RLIMIT_CORE, 0, 0),
        (libc::RLIMIT_MEMLOCK, 0, 0),
        (libc::RLIMIT_NOFILE, u64::from(limits.open_files), u64::from(limits.open_files)),
        (libc::RLIMIT_FSIZE, limits.disk_bytes, limits.disk_bytes),
        (libc::RLIMIT_AS, limits.memory_bytes, limits.memory_bytes),
        // The soft limit sends SIGXCPU, the hard one a second later SIGKILL (for code that catches it).
        (libc::RLIMIT_CPU, cpu, cpu + 1),
    ];
    if uid.is_some() {
        rlimits.push((libc::RLIMIT_NPROC, u64::from(limits.processes), u64::from(limits.processes)));
    }

    let setup = ChildSetup {
        unshare_flags,
        mounts,
        workdir: wd,
        inherit: Vec::new(),
        uid,
        landlock,
        rlimits,
        parent: sys::getpid(),
    };
    Ok(Prepared { workdir, uid, setup })
}

/// Covers each hidden directory with an empty read-only `tmpfs` and binds the interpreter directories
/// inside it back at their own paths (staged in the working directory while the cover goes on).
fn hide_steps(
    workdir: &Path,
    hidden: &[(PathBuf, Vec<PathBuf>)],
    out: &mut Vec<MountStep>,
) -> Result<(), SandboxError> {
    for (n, (top, inside)) in hidden.iter().enumerate() {
        let stages: Vec<PathBuf> =
            (0..inside.len()).map(|j| workdir.join(format!(".quill-stage-{n}-{j}"))).collect();
        for (dir, stage) in inside.iter().zip(&stages) {
            out.push(MountStep::Mkdir { path: cstring(stage)? });
            out.push(MountStep::BindRec { source: cstring(dir)?, target: cstring(stage)? });
        }
        out.push(MountStep::Tmpfs {
            target: cstring(top)?,
            options: c"size=1m,mode=0755".to_owned(),
            flags: libc::MS_NOSUID | libc::MS_NODEV,
        });
        for (dir, stage) in inside.iter().zip(&stages) {
            let below: Vec<&Path> = dir.ancestors().take_while(|a| *a != top.as_path()).collect();
            for a in below.into_iter().rev() {
                out.push(MountStep::Mkdir { path: cstring(a)? });
            }
            out.push(MountStep::Move { source: cstring(stage)?, target: cstring(dir)? });
            out.push(MountStep::ReadOnly { target: cstring(dir)?, bind: true });
            out.push(MountStep::Rmdir { path: cstring(stage)? });
        }
        out.push(MountStep::ReadOnly { target: cstring(top)?, bind: false });
    }
    Ok(())
}

fn ruleset(abi: u32, python: &Interpreter) -> Result<std::os::fd::OwnedFd, SandboxError> {
    let rs = landlock::new_ruleset(abi).map_err(SandboxError::io("create a Landlock ruleset"))?;
    let dir_ro = landlock::EXECUTE | landlock::READ_FILE | landlock::READ_DIR;
    let dirs = SYSTEM_DIRS.iter().map(PathBuf::from).chain(python.install_dirs.iter().cloned());
    for d in dirs {
        // A directory that is a symbolic link (`/lib` -> `usr/lib`) is covered through its target.
        let ok = d.symlink_metadata().map(|md| md.is_dir()).unwrap_or(false);
        if ok {
            landlock::allow(&rs, &d, dir_ro).map_err(SandboxError::io(format!("allow {}", d.display())))?;
        }
    }
    let file_ro = landlock::file_rights(abi) & (landlock::EXECUTE | landlock::READ_FILE);
    for f in SYSTEM_FILES {
        landlock::allow(&rs, Path::new(f), file_ro).map_err(SandboxError::io(format!("allow {f}")))?;
    }
    let null = landlock::file_rights(abi) & !landlock::EXECUTE;
    landlock::allow(&rs, Path::new("/dev/null"), null).map_err(SandboxError::io("allow /dev/null"))?;
    Ok(rs)
}
