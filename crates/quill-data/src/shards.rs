//! Shard files (`shard-00000.jsonl`, one task per line) and the manifest beside them.

use crate::{generate_with, DataError, GenConfig, Stats, Task, GENERATOR_VERSION, PROBES};
use serde::Serialize;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

/// What `manifest.json` records: enough to regenerate the data exactly and to see what is in it.
#[derive(Clone, Debug, Serialize)]
pub struct Manifest {
    pub generator: String,
    pub generator_version: String,
    /// The command line that produced the data (as the caller gives it).
    pub command: String,
    pub config: GenConfig,
    /// Probe inputs per domain that define a behaviour.
    pub probes: usize,
    pub shards: Vec<ShardInfo>,
    pub stats: Stats,
}

#[derive(Clone, Debug, Serialize)]
pub struct ShardInfo {
    pub file: String,
    pub tasks: u64,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DataError + '_ {
    move |source| DataError::Io { path: path.to_path_buf(), source }
}

/// The shard files in `dir` (`shard-*.jsonl`), sorted by name; empty when there are none.
pub fn shard_files(dir: &Path) -> Result<Vec<PathBuf>, DataError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("shard-") && n.ends_with(".jsonl"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Generates a data set into `dir`: shards of `cfg.shard_size` tasks and `manifest.json`. Shard
/// files already in `dir` are removed first, so that a smaller run never leaves stale shards
/// behind. `progress` is called after every batch.
pub fn write_dataset(
    dir: &Path,
    cfg: &GenConfig,
    command: &str,
    progress: impl FnMut(&Stats),
) -> Result<Manifest, DataError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    for old in shard_files(dir)? {
        std::fs::remove_file(&old).map_err(io(&old))?;
    }
    let shard_size = cfg.shard_size.max(1) as u64;
    let mut shards: Vec<ShardInfo> = Vec::new();
    let mut out: Option<(PathBuf, BufWriter<File>)> = None;
    let mut written: u64 = 0;
    let stats = generate_with(
        cfg,
        |task: Task| -> Result<(), DataError> {
            if written.is_multiple_of(shard_size) {
                if let Some((path, mut w)) = out.take() {
                    w.flush().map_err(io(&path))?;
                }
                let name = format!("shard-{:05}.jsonl", written / shard_size);
                let path = dir.join(&name);
                let file = File::create(&path).map_err(io(&path))?;
                out = Some((path, BufWriter::new(file)));
                shards.push(ShardInfo { file: name, tasks: 0 });
            }
            let (path, w) = out.as_mut().expect("a shard is open after the check above");
            let line = serde_json::to_string(&task).map_err(|source| DataError::Json {
                path: path.clone(),
                line: 0,
                source,
            })?;
            writeln!(w, "{line}").map_err(io(path))?;
            if let Some(s) = shards.last_mut() {
                s.tasks += 1;
            }
            written += 1;
            Ok(())
        },
        progress,
    )?;
    if let Some((path, mut w)) = out.take() {
        w.flush().map_err(io(&path))?;
    }
    let manifest = Manifest {
        generator: "quill-data".into(),
        generator_version: GENERATOR_VERSION.into(),
        command: command.into(),
        config: cfg.clone(),
        probes: PROBES,
        shards,
        stats,
    };
    let path = dir.join("manifest.json");
    let text = serde_json::to_string_pretty(&manifest).map_err(|source| DataError::Json {
        path: path.clone(),
        line: 0,
        source,
    })?;
    std::fs::write(&path, text + "\n").map_err(io(&path))?;
    Ok(manifest)
}

/// Reads every task of every shard in `dir`, in order. Errors name the file and line.
pub fn read_shards(dir: &Path) -> Result<Vec<Task>, DataError> {
    let mut tasks = Vec::new();
    for path in shard_files(dir)? {
        tasks.extend(read_shard(&path)?);
    }
    Ok(tasks)
}

/// Reads the tasks of one shard file, in order; blank lines are skipped. Errors name the file and
/// line.
pub fn read_shard(path: &Path) -> Result<Vec<Task>, DataError> {
    let file = File::open(path).map_err(io(path))?;
    let mut tasks = Vec::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(io(path))?;
        if line.trim().is_empty() {
            continue;
        }
        let task = serde_json::from_str(&line).map_err(|source| DataError::Json {
            path: path.to_path_buf(),
            line: i + 1,
            source,
        })?;
        tasks.push(task);
    }
    Ok(tasks)
}
