//! Hostile programs (tests/attacks/*.py) must be contained: nothing outside the sandbox changes, no
//! connection gets through, nothing private is read, no process survives the run, and a normal run
//! works right after each attack.

use std::io::ErrorKind;
use std::net::{TcpListener, UdpSocket};
use std::os::linux::net::SocketAddrExt;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{SocketAddr, UnixListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use quill_sandbox::{Limits, Mechanism, Outcome, Run, Sandbox};

/// Small limits keep the attacks that run into them short. The wall-clock limit is far above the CPU
/// limit so that on a loaded machine no attack ends by the wall clock unless it is meant to (those use
/// `short_wall`); outcomes must not depend on timing.
fn limits() -> Limits {
    Limits {
        cpu: Duration::from_secs(1),
        wall: Duration::from_secs(30),
        memory_bytes: 256 << 20,
        output_bytes: 64 << 10,
        disk_bytes: 4 << 20,
        processes: 16,
        open_files: 64,
        per_test: Duration::from_secs(1),
    }
}

fn sandbox() -> &'static Sandbox {
    static SB: OnceLock<Sandbox> = OnceLock::new();
    SB.get_or_init(|| Sandbox::new(limits()).expect("a sandbox on this machine"))
}

/// For the attacks that only the wall-clock kill can end.
fn short_wall() -> Sandbox {
    sandbox().with_limits(Limits { wall: Duration::from_millis(1500), ..limits() })
}

fn euid() -> u32 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status.lines().find(|l| l.starts_with("Uid:")).expect("a Uid line");
    line.split_whitespace().nth(2).and_then(|u| u.parse().ok()).expect("an effective uid")
}

fn attack(name: &str, params: &serde_json::Value) -> Run {
    attack_in(sandbox(), name, params)
}

fn attack_in(sb: &Sandbox, name: &str, params: &serde_json::Value) -> Run {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/attacks").join(format!("{name}.py"));
    let source = std::fs::read_to_string(&path).expect("the attack's source");
    let run = sb.run_python(&source, params.to_string().as_bytes()).expect("the attack runs");
    let tail = |b: &[u8]| String::from_utf8_lossy(&b[b.len().saturating_sub(600)..]).into_owned();
    eprintln!(
        "{name}: {:?} in {:?}\nstdout: {}\nstderr: {}",
        run.outcome,
        run.wall,
        tail(&run.stdout),
        tail(&run.stderr)
    );
    run
}

/// Whether `m` is in force; if not (not root), the attack it contains is skipped with a note: it is
/// documented as not contained then. As root, `every_mechanism_is_in_force_as_root` fails instead.
fn requires(m: Mechanism) -> bool {
    let has = sandbox().mechanisms().has(m);
    if !has {
        eprintln!("skipped: {m} is not in force here, and this attack is not contained without it");
    }
    has
}

/// Processes still alive (not zombies) that belong to the run: its uid or its process group.
fn survivors(run: &Run) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(status) = std::fs::read_to_string(entry.path().join("status")) else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .unwrap_or("")
        };
        if field("State:") == "Z" {
            continue;
        }
        // `pid (comm) state ppid pgrp ...`; comm may hold spaces, so count from the closing paren.
        let after = &stat[stat.rfind(')').map_or(0, |i| i + 1)..];
        let pgrp: u32 = after.split_whitespace().nth(2).and_then(|p| p.parse().ok()).unwrap_or(0);
        let uid_match = run.uid.is_some_and(|u| field("Uid:") == u.to_string());
        if uid_match || pgrp == run.pid {
            found.push(format!("{pid}: {}", field("Name:")));
        }
    }
    found
}

/// What must hold after every attack.
fn contained(run: &Run) {
    assert!(survivors(run).is_empty(), "processes survived: {:?}", survivors(run));
    assert!(!run.workdir.exists(), "the working directory {} is left", run.workdir.display());
    let normal = sandbox().run_python("print(1+1)", b"").expect("a normal run");
    assert_eq!((normal.outcome, normal.stdout_text().as_str()), (Outcome::Exited(0), "2\n"), "{normal:?}");
}

fn no_escape(run: &Run) {
    let out = run.stdout_text();
    assert!(!out.contains("ESCAPED"), "{out}");
}

/// A root-owned 0700 directory outside the sandbox holding a secret, standing for private files.
struct Canary {
    dir: PathBuf,
    file: PathBuf,
    secret: String,
}

impl Canary {
    fn new() -> Canary {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("quill-canary-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        let file = dir.join("secret.txt");
        let secret = format!("canary-secret-{n}-{}", std::process::id());
        std::fs::write(&file, &secret).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        Canary { dir, file, secret }
    }

    fn intact(&self) {
        assert_eq!(std::fs::read_to_string(&self.file).unwrap(), self.secret);
        assert_eq!(std::fs::metadata(&self.file).unwrap().permissions().mode() & 0o777, 0o600);
        let entries: Vec<_> =
            std::fs::read_dir(&self.dir).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(entries, vec![std::ffi::OsString::from("secret.txt")]);
    }
}

impl Drop for Canary {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn every_mechanism_is_in_force_as_root() {
    let m = sandbox().mechanisms();
    eprintln!("{m}; interpreter {:?}", sandbox().interpreter());
    if euid() != 0 {
        eprintln!("not root: only checking that Landlock is on where the kernel has it");
        return;
    }
    assert!(m.complete(), "{m}");
    for mech in
        [Mechanism::FreshUid, Mechanism::NetworkNamespace, Mechanism::MountNamespace, Mechanism::Landlock]
    {
        assert!(m.has(mech), "{mech} missing: {m}");
    }
}

#[test]
fn infinite_loop_hits_the_cpu_limit() {
    let run = attack("infinite_loop", &serde_json::json!({}));
    assert_eq!(run.outcome, Outcome::CpuLimit);
    contained(&run);
}

#[test]
fn fork_bomb_is_bounded_and_fully_killed() {
    // Without a uid of its own there is no process limit: the bomb then grows until the wall-clock kill
    // and starves the machine meanwhile.
    if !requires(Mechanism::FreshUid) {
        return;
    }
    let run = attack_in(&short_wall(), "fork_bomb", &serde_json::json!({}));
    assert!(matches!(run.outcome, Outcome::CpuLimit | Outcome::WallTimeout), "{:?}", run.outcome);
    contained(&run);
}

#[test]
fn huge_allocation_fails_inside() {
    let run = attack("huge_allocation", &serde_json::json!({}));
    assert_eq!(run.outcome, Outcome::Exited(1));
    assert!(run.stdout_text().contains("one block refused"), "{}", run.stdout_text());
    assert!(run.stderr_text().contains("MemoryError"), "{}", run.stderr_text());
    contained(&run);
}

#[test]
fn files_outside_the_workdir_cannot_be_touched() {
    // Without a uid of its own the candidate owns the user's files, and Landlock does not cover chmod.
    if !requires(Mechanism::FreshUid) {
        return;
    }
    let canary = Canary::new();
    let escape_name = format!("quill-escape-{}", std::process::id());
    let escape_file = std::env::temp_dir().join(format!("{escape_name}-tmp"));
    let run = attack(
        "delete_files",
        &serde_json::json!({
            "canary_file": canary.file, "canary_dir": canary.dir,
            "escape_file": escape_file, "escape_name": escape_name,
        }),
    );
    assert_eq!(run.outcome, Outcome::Exited(0));
    no_escape(&run);
    assert!(run.stdout_text().contains("own dir writable: True"), "{}", run.stdout_text());
    canary.intact();
    assert!(!escape_file.exists());
    assert!(!std::env::temp_dir().join(&escape_name).exists());
    contained(&run);
}

#[test]
fn no_network_not_even_localhost() {
    let tcp = TcpListener::bind("127.0.0.1:0").unwrap();
    tcp.set_nonblocking(true).unwrap();
    let port = tcp.local_addr().unwrap().port();
    let udp = UdpSocket::bind(("127.0.0.1", port)).unwrap();
    udp.set_nonblocking(true).unwrap();
    let abstract_name = format!("quill-sandbox-test-{}", std::process::id());
    let unix = UnixListener::bind_addr(&SocketAddr::from_abstract_name(&abstract_name).unwrap()).unwrap();
    unix.set_nonblocking(true).unwrap();

    let run = attack("open_socket", &serde_json::json!({ "port": port, "abstract": abstract_name }));
    assert_eq!(run.outcome, Outcome::Exited(0));
    no_escape(&run);
    assert_eq!(run.stdout_text().matches("denied:").count(), 4, "{}", run.stdout_text());
    assert_eq!(tcp.accept().map(|_| ()).unwrap_err().kind(), ErrorKind::WouldBlock);
    assert_eq!(udp.recv(&mut [0; 16]).map(|_| ()).unwrap_err().kind(), ErrorKind::WouldBlock);
    assert_eq!(unix.accept().map(|_| ()).unwrap_err().kind(), ErrorKind::WouldBlock);
    contained(&run);
}

#[test]
fn private_files_cannot_be_read() {
    let canary = Canary::new();
    let home = PathBuf::from(std::env::var_os("HOME").expect("HOME"));
    // Entries of the real home, except the way down to the interpreter, which the sandbox shows.
    let on_the_way: Vec<String> = sandbox()
        .interpreter()
        .install_dirs
        .iter()
        .filter_map(|d| d.strip_prefix(&home).ok()?.components().next())
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let private: Vec<String> = std::fs::read_dir(&home)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !on_the_way.contains(n))
        .collect();
    let project_file = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let run = attack(
        "read_home",
        &serde_json::json!({
            "home": home, "home_private": private, "canary_file": canary.file,
            "canary_dir": canary.dir, "project_file": project_file,
        }),
    );
    assert_eq!(run.outcome, Outcome::Exited(0));
    no_escape(&run);
    assert_eq!(run.stdout_text().matches("denied:").count(), 7, "{}", run.stdout_text());
    assert!(!run.stdout_text().contains(&canary.secret));
    canary.intact();
    contained(&run);
}

#[test]
fn output_flood_is_cut_and_killed() {
    let run = attack("print_flood", &serde_json::json!({}));
    assert_eq!(run.outcome, Outcome::OutputLimit);
    assert!(run.truncated);
    assert_eq!(run.stdout.len(), limits().output_bytes);
    contained(&run);
}

#[test]
fn daemonized_child_is_killed() {
    // Only the kill-by-uid sweep reaches a child that left the process group.
    if !requires(Mechanism::FreshUid) {
        return;
    }
    let run = attack("daemon_child", &serde_json::json!({}));
    assert_eq!(run.outcome, Outcome::Exited(0));
    let pid: u32 = run.stdout_text().trim().parse().expect("the daemon's pid");
    let state = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    assert!(state.is_empty() || state.contains("State:\tZ"), "the daemon {pid} lives on:\n{state}");
    contained(&run);
}

#[test]
fn ignoring_sigterm_does_not_help() {
    let run = attack_in(&short_wall(), "ignore_sigterm", &serde_json::json!({}));
    assert_eq!(run.outcome, Outcome::WallTimeout);
    assert_eq!(run.stdout_text(), "ignoring\n");
    contained(&run);
}

#[test]
fn cannot_signal_quill_or_init() {
    let run = attack("kill_parent", &serde_json::json!({}));
    assert_eq!(run.outcome, Outcome::Exited(0));
    no_escape(&run);
    assert_eq!(run.stdout_text().matches("denied:").count(), 2, "{}", run.stdout_text());
    contained(&run);
}

#[test]
fn disk_use_is_bounded() {
    // Only the working directory's tmpfs bounds the total; RLIMIT_FSIZE bounds each file.
    if !requires(Mechanism::MountNamespace) {
        return;
    }
    let run = attack("fill_disk", &serde_json::json!({}));
    assert_eq!(run.outcome, Outcome::Exited(0));
    let out = run.stdout_text();
    let number = |key: &str| -> u64 {
        out.lines().find_map(|l| l.strip_prefix(key)).and_then(|v| v.trim().parse().ok()).expect(key)
    };
    assert!(number("written:") <= limits().disk_bytes, "{out}");
    assert!(number("big:") <= limits().disk_bytes, "{out}");
    assert!(out.contains("many files stopped:") && out.contains("big file stopped:"), "{out}");
    contained(&run);
}

/// The attacks above can fail: with the isolation turned off, the same programs do get through. Only
/// read-only and network attacks are run unconfined, and only where the sandbox runs as root.
#[test]
fn without_isolation_the_private_file_is_read() {
    if euid() != 0 || !sandbox().mechanisms().complete() {
        return;
    }
    let canary = Canary::new();
    let open = sandbox()
        .without(Mechanism::Landlock)
        .without(Mechanism::MountNamespace)
        .without(Mechanism::FreshUid);
    let params = serde_json::json!({
        "home": "/nonexistent", "home_private": [], "canary_file": canary.file,
        "canary_dir": canary.dir, "project_file": "/nonexistent",
    });
    let run = attack_in(&open, "read_home", &params);
    assert!(run.stdout_text().contains("ESCAPED: read canary"), "{}", run.stdout_text());
    assert!(run.stdout_text().contains(&canary.secret));
}

#[test]
fn without_isolation_localhost_is_reached() {
    if euid() != 0 || !sandbox().mechanisms().complete() {
        return;
    }
    let tcp = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = tcp.local_addr().unwrap().port();
    let open = sandbox().without(Mechanism::NetworkNamespace).without(Mechanism::Landlock);
    let run = attack_in(&open, "open_socket", &serde_json::json!({ "port": port, "abstract": "none" }));
    assert!(run.stdout_text().contains("ESCAPED: tcp"), "{}", run.stdout_text());
    tcp.set_nonblocking(true).unwrap();
    assert!(tcp.accept().is_ok(), "the connection should be waiting");
}
