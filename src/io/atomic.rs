//! Atomic output files: written to a temp file beside the target, then renamed into place,
//! so an interrupted run leaves the previous file intact and never a half-written one.
//!
//! Only a regular file (or a path that does not exist yet) is ever renamed over. A symlink
//! is followed and its final target replaced, so the link stays a link. A FIFO, a
//! character device, `/dev/stdout` or `/proc/self/fd/N` is written through directly: there
//! is nothing to rename, and renaming over it would replace the pipe or device with a file.
//!
//! Temp files being written are listed in a registry, so a signal handler can remove them
//! before the process exits ([`remove_temp_files`]).

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::error::{Error, Result};

/// The temp files of output files being written.
static LIVE_TEMP_FILES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live_temp_files() -> MutexGuard<'static, Vec<PathBuf>> {
    LIVE_TEMP_FILES.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes the temp file of every [`OutputFile`] still being written, and holds the
/// registry so none is created or committed after it: from then on, creating or committing
/// an output file blocks. Call it just before the process exits on a signal (from a thread
/// that waits for signals, not inside a signal handler: it takes a lock and allocates).
pub fn remove_temp_files() {
    let mut live = live_temp_files();
    for path in live.drain(..) {
        let _ = fs::remove_file(path);
    }
    std::mem::forget(live);
}

/// How an output file reaches its path.
enum Sink {
    /// Through a temp file renamed over `target`, the final path of the output.
    Temp {
        target: PathBuf,
        writer: BufWriter<tempfile::NamedTempFile>,
    },
    /// Straight into a pipe, a device or standard output.
    Direct(BufWriter<Box<dyn Write + Send>>),
}

/// A file being written; it appears at its path only when [`OutputFile::commit`] succeeds
/// (written through at once when the path is a pipe or a device).
pub struct OutputFile {
    path: PathBuf,
    /// `None` once committed.
    sink: Option<Sink>,
}

impl OutputFile {
    /// Starts writing `path`. A regular file or a new path is written through a temp file
    /// in the target's directory (same file system, so the final rename is atomic); a
    /// symlink is followed to its final target; a FIFO, a device or `/dev/stdout` is
    /// written directly.
    pub fn create(path: &Path) -> Result<Self> {
        let direct = |writer: Box<dyn Write + Send>| OutputFile {
            path: path.to_path_buf(),
            sink: Some(Sink::Direct(BufWriter::with_capacity(1 << 16, writer))),
        };
        let (target, magic) = resolve_links(path)?;
        if is_standard_output(path) {
            return Ok(direct(Box::new(io::stdout())));
        }
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                return Err(Error::io(
                    path,
                    io::Error::other("is a directory, expected a file path"),
                ))
            }
            Ok(meta) if !meta.is_file() || magic => {
                let file = fs::OpenOptions::new()
                    .append(true)
                    .open(path)
                    .map_err(|e| Error::io(path, e))?;
                return Ok(direct(Box::new(file)));
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(path, e)),
        }
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        let mut live = live_temp_files();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(|e| Error::io(&dir, e))?;
        live.push(temp.path().to_path_buf());
        Ok(OutputFile {
            path: path.to_path_buf(),
            sink: Some(Sink::Temp {
                target,
                writer: BufWriter::with_capacity(1 << 16, temp),
            }),
        })
    }

    /// Flushes, syncs and renames the temp file over the target (or flushes a pipe or
    /// device written directly).
    pub fn commit(mut self) -> Result<()> {
        let path = self.path.clone();
        let (target, writer) = match self.sink.take().expect("not yet committed") {
            Sink::Direct(mut writer) => return writer.flush().map_err(|e| Error::io(&path, e)),
            Sink::Temp { target, writer } => (target, writer),
        };
        let temp = match writer.into_inner() {
            Ok(temp) => temp,
            Err(e) => {
                let (error, writer) = e.into_parts();
                discard(writer.into_parts().0);
                return Err(Error::io(&path, error));
            }
        };
        // Temp files are created private (0600); give the output the permissions of the
        // file it replaces, or the usual 0644 for a new file.
        let permissions = match fs::metadata(&target) {
            Ok(meta) => meta.permissions(),
            Err(_) => default_permissions(),
        };
        let prepared = temp
            .as_file()
            .set_permissions(permissions)
            .and_then(|()| temp.as_file().sync_all());
        if let Err(e) = prepared {
            discard(temp);
            return Err(Error::io(&path, e));
        }
        pause_before_rename(temp.path());
        // The rename and the registry change happen together: a signal handler that
        // removes temp files sees either the temp file or the finished output.
        let mut live = live_temp_files();
        let temp_path = temp.path().to_path_buf();
        let renamed = temp.persist(&target).map(drop).map_err(|e| {
            drop(e.file);
            e.error
        });
        live.retain(|p| *p != temp_path);
        renamed.map_err(|e| Error::io(&path, e))
    }

    /// The path this file will have once committed.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Removes a temp file that will not be committed, and its registry entry, together.
fn discard(temp: tempfile::NamedTempFile) {
    let mut live = live_temp_files();
    let path = temp.path().to_path_buf();
    drop(temp);
    live.retain(|p| *p != path);
}

impl Drop for OutputFile {
    /// An output dropped without commit (an error, a panic): its temp file is removed,
    /// under the registry's lock, so a signal handler never misses it.
    fn drop(&mut self) {
        if let Some(Sink::Temp { writer, .. }) = self.sink.take() {
            // Unflushed bytes are dropped with it: the file is going anyway.
            discard(writer.into_parts().0);
        }
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.sink.as_mut().expect("not yet committed") {
            Sink::Temp { writer, .. } => writer.write(buf),
            Sink::Direct(writer) => writer.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self.sink.as_mut().expect("not yet committed") {
            Sink::Temp { writer, .. } => writer.flush(),
            Sink::Direct(writer) => writer.flush(),
        }
    }
}

/// `/dev/stdout` and its aliases: written through the process's own standard output,
/// which also works when it is a socket (which cannot be opened by path).
fn is_standard_output(path: &Path) -> bool {
    cfg!(unix)
        && [
            "/dev/stdout",
            "/dev/fd/1",
            "/proc/self/fd/1",
            "/proc/thread-self/fd/1",
        ]
        .iter()
        .any(|p| path == Path::new(p))
}

/// Follows `path` through its symlinks to the final target. Also says whether the chain
/// passes through `/proc/` or `/dev/fd/`, whose links name open files rather than paths
/// (`/dev/stdout` → `/proc/self/fd/1` → `pipe:[123]`): those are never renamed over.
fn resolve_links(path: &Path) -> Result<(PathBuf, bool)> {
    let mut current = path.to_path_buf();
    let mut magic = false;
    for _ in 0..40 {
        magic |= current.starts_with("/proc") || current.starts_with("/dev/fd");
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current).map_err(|e| Error::io(&current, e))?;
                current = match current.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            _ => return Ok((current, magic)),
        }
    }
    Err(Error::io(
        path,
        io::Error::other("too many levels of symbolic links"),
    ))
}

/// Test hook: with `CHAFF_TEST_PAUSE_BEFORE_RENAME_MS` set, announce the written temp file
/// on stderr and wait that long before the rename, so a test can kill the process exactly
/// between writing and renaming (`tests/faults.rs`). Unset, it costs one lookup per file.
fn pause_before_rename(temp: &Path) {
    let Some(ms) = std::env::var_os("CHAFF_TEST_PAUSE_BEFORE_RENAME_MS")
        .and_then(|v| v.to_str().and_then(|v| v.parse::<u64>().ok()))
    else {
        return;
    };
    eprintln!("chaff: test pause: wrote {}", temp.display());
    std::thread::sleep(std::time::Duration::from_millis(ms));
}

#[cfg(unix)]
fn default_permissions() -> fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    fs::Permissions::from_mode(0o644)
}

#[cfg(not(unix))]
fn default_permissions() -> fs::Permissions {
    let mut p = fs::metadata(".")
        .map(|m| m.permissions())
        .expect("current directory");
    p.set_readonly(false);
    p
}

/// Writes `bytes` to `path` atomically.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut out = OutputFile::create(path)?;
    out.write_all(bytes).map_err(|e| Error::io(path, e))?;
    out.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncommitted_output_leaves_old_file_and_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("model.chaff");
        fs::write(&target, b"old").unwrap();
        {
            let mut out = OutputFile::create(&target).unwrap();
            out.write_all(b"half of the new").unwrap();
            // dropped without commit: an interrupted run
        }
        assert_eq!(fs::read(&target).unwrap(), b"old");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "temp file left behind");
    }

    #[test]
    fn committed_output_replaces_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        fs::write(&target, b"old").unwrap();
        write_atomically(&target, b"new").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_readable_by_others_and_old_permissions_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("new.chaff");
        write_atomically(&fresh, b"x").unwrap();
        assert_eq!(
            fs::metadata(&fresh).unwrap().permissions().mode() & 0o777,
            0o644
        );
        let old = dir.path().join("old.chaff");
        fs::write(&old, b"x").unwrap();
        fs::set_permissions(&old, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomically(&old, b"y").unwrap();
        assert_eq!(
            fs::metadata(&old).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_followed_and_its_target_replaced() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("real")).unwrap();
        let target = dir.path().join("real/out.txt");
        fs::write(&target, b"old").unwrap();
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink("real/out.txt", &link).unwrap();
        assert_eq!(resolve_links(&link).unwrap(), (target.clone(), false));
        write_atomically(&link, b"new").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(fs::read(&target).unwrap(), b"new");
        // A dangling link gets its target created.
        let dangling = dir.path().join("dangling.txt");
        std::os::unix::fs::symlink("real/new.txt", &dangling).unwrap();
        write_atomically(&dangling, b"fresh").unwrap();
        assert!(fs::symlink_metadata(&dangling).unwrap().is_symlink());
        assert_eq!(fs::read(dir.path().join("real/new.txt")).unwrap(), b"fresh");
        // A loop is an error, not a hang.
        let a = dir.path().join("a");
        std::os::unix::fs::symlink("b", &a).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        assert!(OutputFile::create(&a).is_err());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn devices_and_proc_links_are_written_directly() {
        let null = OutputFile::create(Path::new("/dev/null")).unwrap();
        assert!(matches!(null.sink, Some(Sink::Direct(_))));
        null.commit().unwrap();
        assert!(resolve_links(Path::new("/dev/stdout")).unwrap().1);
        assert!(is_standard_output(Path::new("/dev/stdout")));
    }

    #[test]
    fn temp_files_are_registered_while_written_and_forgotten_after() {
        let dir = tempfile::tempdir().unwrap();
        let live = |dir: &Path| {
            live_temp_files()
                .iter()
                .filter(|p| p.starts_with(dir))
                .count()
        };
        let mut out = OutputFile::create(&dir.path().join("a")).unwrap();
        let dropped = OutputFile::create(&dir.path().join("b")).unwrap();
        assert_eq!(live(dir.path()), 2);
        drop(dropped);
        assert_eq!(live(dir.path()), 1);
        out.write_all(b"x").unwrap();
        out.commit().unwrap();
        assert_eq!(live(dir.path()), 0);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn directory_target_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(OutputFile::create(dir.path()).is_err());
    }
}
