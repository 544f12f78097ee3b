//! Landlock, through its three system calls.
//!
//! Written against the kernel ABI rather than the `landlock` crate because the last rule (the run's
//! working directory, a `tmpfs` that exists only inside the child's mount namespace) must be added in
//! the child between `fork` and `exec`, where only plain system calls are safe. Landlock checks a
//! path by walking up from it and skips the directories that mounts cover, so a rule on the host
//! directory under the `tmpfs` would not apply. Allowed to use `unsafe` for the raw system calls.
#![allow(unsafe_code)]

use std::ffi::CString;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::Path;

const CREATE_RULESET_VERSION: u32 = 1;
const RULE_PATH_BENEATH: libc::c_int = 1;

pub const EXECUTE: u64 = 1 << 0;
pub const WRITE_FILE: u64 = 1 << 1;
pub const READ_FILE: u64 = 1 << 2;
pub const READ_DIR: u64 = 1 << 3;
const TRUNCATE: u64 = 1 << 14;
const IOCTL_DEV: u64 = 1 << 15;

#[repr(C)]
struct RulesetAttr {
    handled_access_fs: u64,
    handled_access_net: u64,
    scoped: u64,
}

#[repr(C, packed)]
struct PathBeneathAttr {
    allowed_access: u64,
    parent_fd: i32,
}

/// The Landlock ABI version of the running kernel, or why there is none.
pub fn abi() -> Result<u32, io::Error> {
    let r = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<RulesetAttr>(),
            0usize,
            CREATE_RULESET_VERSION,
        )
    };
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r as u32)
    }
}

/// Every file-system right the ABI knows (all of them are restricted, and granted back per rule).
pub fn fs_rights(abi: u32) -> u64 {
    let mut rights = (1 << 13) - 1; // ABI 1: execute .. make_sym
    if abi >= 2 {
        rights |= 1 << 13; // refer
    }
    if abi >= 3 {
        rights |= TRUNCATE;
    }
    if abi >= 5 {
        rights |= IOCTL_DEV;
    }
    rights
}

/// The rights that make sense on a file rather than a directory.
pub fn file_rights(abi: u32) -> u64 {
    fs_rights(abi) & (EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV)
}

/// A new ruleset that restricts all file-system rights, TCP bind and connect (ABI 4) and, from ABI 6,
/// signals and abstract Unix sockets towards anything outside the sandbox.
pub fn new_ruleset(abi: u32) -> io::Result<OwnedFd> {
    let attr = RulesetAttr {
        handled_access_fs: fs_rights(abi),
        handled_access_net: if abi >= 4 { 0b11 } else { 0 },
        scoped: if abi >= 6 { 0b11 } else { 0 },
    };
    // Older kernels reject a larger structure than they know.
    let size = match abi {
        0..=3 => 8,
        4 | 5 => 16,
        _ => std::mem::size_of::<RulesetAttr>(),
    };
    let fd = unsafe { libc::syscall(libc::SYS_landlock_create_ruleset, &attr, size, 0u32) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the system call returned a fresh descriptor.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as RawFd) })
}

/// Allows `access` beneath `path`. A path that does not exist is skipped (returns `Ok(false)`).
pub fn allow(ruleset: &OwnedFd, path: &Path, access: u64) -> io::Result<bool> {
    let c = CString::new(path.as_os_str().as_encoded_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path with a NUL byte"))?;
    let fd = unsafe { libc::open(c.as_ptr(), libc::O_PATH | libc::O_CLOEXEC) };
    if fd < 0 {
        let e = io::Error::last_os_error();
        return if e.kind() == io::ErrorKind::NotFound { Ok(false) } else { Err(e) };
    }
    // SAFETY: open returned a fresh descriptor.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    add_rule(ruleset.as_raw_fd(), fd.as_raw_fd(), access)?;
    Ok(true)
}

fn add_rule(ruleset: RawFd, parent: RawFd, access: u64) -> io::Result<()> {
    let attr = PathBeneathAttr { allowed_access: access, parent_fd: parent };
    let r = unsafe { libc::syscall(libc::SYS_landlock_add_rule, ruleset, RULE_PATH_BENEATH, &attr, 0u32) };
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// In the child: allows `access` beneath `dir`, then enforces the ruleset on this process and all it
/// starts. Requires `no_new_privs`. Only system calls, no allocation.
pub fn restrict_self_with_dir(ruleset: RawFd, dir: &std::ffi::CStr, access: u64) -> io::Result<()> {
    unsafe {
        let fd = libc::open(dir.as_ptr(), libc::O_PATH | libc::O_CLOEXEC | libc::O_DIRECTORY);
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        let added = add_rule(ruleset, fd, access);
        libc::close(fd);
        added?;
        if libc::syscall(libc::SYS_landlock_restrict_self, ruleset, 0u32) < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}
