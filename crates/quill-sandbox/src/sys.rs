//! The Linux system calls the sandbox needs, behind safe functions.
//!
//! This is one of the two modules of the crate allowed to use `unsafe` (the other is `landlock`):
//! setting up the child between `fork` and `exec` (`Command::pre_exec` is itself unsafe), polling
//! pipes, reaping with resource usage and killing by uid have no safe counterparts in `std`.
#![allow(unsafe_code)]

use std::ffi::CString;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::time::Duration;

fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
    if r == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

fn cvt_long(r: libc::c_long) -> io::Result<libc::c_long> {
    if r == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

/// A close-on-exec pipe `(read end, write end)`, both numbered 10 or above: the child's copies of
/// the low numbers belong to `std`'s own exec-error pipe and to stdio.
pub fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as RawFd; 2];
    cvt(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) })?;
    // SAFETY: pipe2 succeeded, so both descriptors are open and owned by nobody else.
    let (r, w) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    Ok((raise(r)?, raise(w)?))
}

fn raise(fd: OwnedFd) -> io::Result<OwnedFd> {
    if fd.as_raw_fd() >= 10 {
        return Ok(fd);
    }
    let n = cvt(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 10) })?;
    // SAFETY: fcntl returned a fresh descriptor.
    Ok(unsafe { OwnedFd::from_raw_fd(n) })
}

pub fn set_nonblocking(fd: BorrowedFd<'_>) -> io::Result<()> {
    let flags = cvt(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) })?;
    cvt(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, flags | libc::O_NONBLOCK) })?;
    Ok(())
}

/// A descriptor that becomes readable when process `pid` exits (Linux 5.3+).
pub fn pidfd_open(pid: libc::pid_t) -> io::Result<OwnedFd> {
    let fd = cvt_long(unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) })?;
    // SAFETY: the system call returned a fresh descriptor.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as RawFd) })
}

/// `poll(2)`; an interrupted call counts as "nothing ready".
pub fn poll(fds: &mut [libc::pollfd], timeout: Duration) -> io::Result<()> {
    let ms = timeout.as_millis().min(i32::MAX as u128) as libc::c_int;
    let r = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, ms) };
    if r == -1 {
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
    Ok(())
}

/// How a reaped process ended, and the CPU time it and its reaped children used.
pub struct Reaped {
    pub status: libc::c_int,
    pub cpu: Duration,
}

/// Waits for `pid` to end and reaps it.
pub fn wait4(pid: libc::pid_t) -> io::Result<Reaped> {
    let mut status = 0;
    // SAFETY: rusage is plain data; the kernel fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Ok(Reaped { status, cpu: tv(usage.ru_utime) + tv(usage.ru_stime) })
}

pub fn killpg(pgid: libc::pid_t) {
    // An error only means the group is already gone.
    unsafe { libc::killpg(pgid, libc::SIGKILL) };
}

/// Kills every process whose real or saved uid is `uid`, from a short-lived child that takes that
/// uid (a process may signal exactly those). `kill(-1, ..)` walks the process list under the lock
/// that `fork` needs, and a process with a pending SIGKILL cannot finish a `fork`, so one sweep
/// leaves nothing alive. Needs root; returns whether the helper succeeded.
pub fn kill_all_of_uid(uid: u32) -> io::Result<bool> {
    let pid = unsafe { libc::fork() };
    if pid == 0 {
        // In the child only raw system calls: the parent may be multi-threaded.
        unsafe {
            let ok = libc::syscall(libc::SYS_setgroups, 0, std::ptr::null::<libc::gid_t>()) == 0
                && libc::syscall(libc::SYS_setresgid, uid, uid, uid) == 0
                && libc::syscall(libc::SYS_setresuid, uid, uid, uid) == 0;
            if !ok {
                libc::_exit(2);
            }
            libc::kill(-1, libc::SIGKILL);
            libc::_exit(0);
        }
    }
    if pid < 0 {
        return Err(io::Error::last_os_error());
    }
    let reaped = wait4(pid)?;
    Ok(libc::WIFEXITED(reaped.status) && libc::WEXITSTATUS(reaped.status) == 0)
}

pub fn geteuid() -> u32 {
    unsafe { libc::geteuid() }
}

pub fn getpid() -> libc::pid_t {
    unsafe { libc::getpid() }
}

/// Fills `buf` from the kernel's random source.
pub fn random_bytes(buf: &mut [u8]) -> io::Result<()> {
    let mut done = 0;
    while done < buf.len() {
        let r = unsafe { libc::getrandom(buf[done..].as_mut_ptr().cast(), buf.len() - done, 0) };
        if r < 0 {
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        } else {
            done += r as usize;
        }
    }
    Ok(())
}

/// One mount-namespace operation, with every path prepared before `fork`.
#[derive(Debug)]
pub enum MountStep {
    /// Stops mount events from propagating back to the parent namespace.
    MakePrivate,
    Tmpfs {
        target: CString,
        options: CString,
        flags: libc::c_ulong,
    },
    Mkdir {
        path: CString,
    },
    Rmdir {
        path: CString,
    },
    BindRec {
        source: CString,
        target: CString,
    },
    Move {
        source: CString,
        target: CString,
    },
    /// Remounts read-only, no setuid, no devices; `bind` for bind mounts.
    ReadOnly {
        target: CString,
        bind: bool,
    },
}

impl MountStep {
    fn apply(&self) -> io::Result<()> {
        let none = std::ptr::null::<libc::c_char>();
        let void = std::ptr::null::<libc::c_void>();
        let r = unsafe {
            match self {
                MountStep::MakePrivate => {
                    libc::mount(none, c"/".as_ptr(), none, libc::MS_REC | libc::MS_PRIVATE, void)
                }
                MountStep::Tmpfs { target, options, flags } => libc::mount(
                    c"tmpfs".as_ptr(),
                    target.as_ptr(),
                    c"tmpfs".as_ptr(),
                    *flags,
                    options.as_ptr().cast(),
                ),
                MountStep::Mkdir { path } => {
                    let r = libc::mkdir(path.as_ptr(), 0o755);
                    if r == -1 && *libc::__errno_location() == libc::EEXIST {
                        0
                    } else {
                        r
                    }
                }
                MountStep::Rmdir { path } => libc::rmdir(path.as_ptr()),
                MountStep::BindRec { source, target } => {
                    libc::mount(source.as_ptr(), target.as_ptr(), none, libc::MS_BIND | libc::MS_REC, void)
                }
                MountStep::Move { source, target } => {
                    libc::mount(source.as_ptr(), target.as_ptr(), none, libc::MS_MOVE, void)
                }
                MountStep::ReadOnly { target, bind } => {
                    let mut flags = libc::MS_REMOUNT | libc::MS_RDONLY | libc::MS_NOSUID | libc::MS_NODEV;
                    if *bind {
                        flags |= libc::MS_BIND;
                    }
                    libc::mount(none, target.as_ptr(), none, flags, void)
                }
            }
        };
        cvt(r).map(drop)
    }
}

/// Everything done in the child between `fork` and `exec`, prepared in the parent so that the child
/// only makes system calls (no allocation, no locks: the parent may be multi-threaded).
#[derive(Debug)]
pub struct ChildSetup {
    pub unshare_flags: libc::c_int,
    pub mounts: Vec<MountStep>,
    pub workdir: CString,
    /// Descriptors the child keeps open across `exec`, under the same numbers (passed to Python on
    /// its command line). Fixed numbers such as 3 and 4 could collide with `std`'s exec-error pipe.
    pub inherit: Vec<OwnedFd>,
    pub uid: Option<u32>,
    /// A Landlock ruleset already holding the read-only rules; the working directory is added in the
    /// child, after its `tmpfs` is mounted, with these access rights.
    pub landlock: Option<(OwnedFd, u64)>,
    pub rlimits: Vec<(libc::__rlimit_resource_t, u64, u64)>,
    pub parent: libc::pid_t,
}

impl ChildSetup {
    /// Installs the setup into `cmd`; it runs in the child just before `exec`.
    pub fn install(self, cmd: &mut Command) {
        // SAFETY: `apply` makes only async-signal-safe system calls on data prepared before the fork.
        unsafe {
            cmd.pre_exec(move || self.apply());
        }
    }

    fn apply(&self) -> io::Result<()> {
        unsafe {
            cvt(libc::setsid())?;
            if self.unshare_flags != 0 {
                cvt(libc::unshare(self.unshare_flags))?;
            }
            for step in &self.mounts {
                step.apply()?;
            }
            cvt(libc::chdir(self.workdir.as_ptr()))?;
            for fd in &self.inherit {
                cvt(libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, 0))?;
            }
            if let Some(uid) = self.uid {
                cvt_long(libc::syscall(libc::SYS_setgroups, 0, std::ptr::null::<libc::gid_t>()))?;
                cvt_long(libc::syscall(libc::SYS_setresgid, uid, uid, uid))?;
                cvt_long(libc::syscall(libc::SYS_setresuid, uid, uid, uid))?;
            }
            // Set after the uid change, which clears it. If Quill is already gone, do not run at all.
            cvt(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong, 0, 0, 0))?;
            if libc::getppid() != self.parent {
                return Err(io::Error::from_raw_os_error(libc::ESRCH));
            }
            cvt(libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1 as libc::c_ulong, 0, 0, 0))?;
            if let Some((ruleset, access)) = &self.landlock {
                crate::landlock::restrict_self_with_dir(ruleset.as_raw_fd(), &self.workdir, *access)?;
            }
            for &(resource, soft, hard) in &self.rlimits {
                let lim = libc::rlimit { rlim_cur: soft, rlim_max: hard };
                cvt(libc::setrlimit(resource, &lim))?;
            }
        }
        Ok(())
    }
}
