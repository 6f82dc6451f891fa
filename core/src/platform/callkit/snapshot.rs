//! What the Call Directory extension last loaded, so the next export can be a
//! delta.
//!
//! An export writes every entry it streams into a temporary directory beside
//! the database (`<database>.callkit/tmp-…/`). When the app tells the core that
//! iOS accepted the load ([`super::CallDirectoryExport::commit`]), the directory
//! becomes `<database>.callkit/v<version>/` and the version is stored in the
//! `setting` table (key [`crate::store::settings::CALL_DIRECTORY_VERSION_KEY`]), in one `IMMEDIATE` transaction; older
//! snapshots are removed. Only the last committed snapshot is kept: a delta is
//! possible from exactly that version, anything else gets a full load. No schema
//! change is needed.
//!
//! Files: `blocking.bin` holds each number as 8 bytes, little-endian;
//! `identification.bin` holds each number as 8 bytes, the label's UTF-8 length
//! as 2 bytes, then the label. Both ascending.

use crate::error::{Error, Result};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// File of blocking numbers in a snapshot.
pub const BLOCKING_FILE: &str = "blocking.bin";
/// File of identification entries in a snapshot.
pub const IDENTIFICATION_FILE: &str = "identification.bin";
/// Temporary directories older than this (seconds) are removed at commit.
pub const STALE_TMP_SECS: u64 = 24 * 3600;

fn io(e: std::io::Error) -> Error {
    Error::InvalidInput(format!("call directory snapshot: {e}"))
}

/// The snapshot directory beside a database file.
pub fn root_for(db_path: &Path) -> PathBuf {
    let mut name = db_path.as_os_str().to_owned();
    name.push(".callkit");
    PathBuf::from(name)
}

/// The directory of a committed version.
pub fn version_dir(root: &Path, version: u64) -> PathBuf {
    root.join(format!("v{version}"))
}

/// True when a committed version's files are all there.
pub fn exists(root: &Path, version: u64) -> bool {
    let d = version_dir(root, version);
    d.join(BLOCKING_FILE).is_file() && d.join(IDENTIFICATION_FILE).is_file()
}

/// Reads a snapshot's blocking numbers in order.
pub struct BlockingReader(BufReader<File>);

impl BlockingReader {
    /// Open `blocking.bin` of a version.
    pub fn open(dir: &Path) -> Result<BlockingReader> {
        Ok(BlockingReader(BufReader::new(
            File::open(dir.join(BLOCKING_FILE)).map_err(io)?,
        )))
    }

    /// The next number; `None` at the end.
    pub fn read_next(&mut self) -> Result<Option<u64>> {
        let mut b = [0u8; 8];
        match read_exact_or_eof(&mut self.0, &mut b)? {
            true => Ok(Some(u64::from_le_bytes(b))),
            false => Ok(None),
        }
    }
}

/// Reads a snapshot's identification entries in order.
pub struct IdentificationReader(BufReader<File>);

impl IdentificationReader {
    /// Open `identification.bin` of a version.
    pub fn open(dir: &Path) -> Result<IdentificationReader> {
        Ok(IdentificationReader(BufReader::new(
            File::open(dir.join(IDENTIFICATION_FILE)).map_err(io)?,
        )))
    }

    /// The next number and label; `None` at the end.
    pub fn read_next(&mut self) -> Result<Option<(u64, String)>> {
        let mut b = [0u8; 8];
        if !read_exact_or_eof(&mut self.0, &mut b)? {
            return Ok(None);
        }
        let mut l = [0u8; 2];
        self.0.read_exact(&mut l).map_err(io)?;
        let mut label = vec![0u8; usize::from(u16::from_le_bytes(l))];
        self.0.read_exact(&mut label).map_err(io)?;
        let label = String::from_utf8(label)
            .map_err(|_| Error::InvalidInput("call directory snapshot corrupt".into()))?;
        Ok(Some((u64::from_le_bytes(b), label)))
    }
}

/// `Ok(false)` at a clean end of file, an error in the middle of a record.
fn read_exact_or_eof(r: &mut impl Read, buf: &mut [u8]) -> Result<bool> {
    let mut read = 0;
    while read < buf.len() {
        let Some(rest) = buf.get_mut(read..) else {
            break;
        };
        match r.read(rest) {
            Ok(0) if read == 0 => return Ok(false),
            Ok(0) => {
                return Err(Error::InvalidInput(
                    "call directory snapshot truncated".into(),
                ))
            }
            Ok(n) => read += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io(e)),
        }
    }
    Ok(true)
}

/// Writes a new snapshot into a temporary directory.
pub struct Writer {
    dir: PathBuf,
    blocking: BufWriter<File>,
    identification: BufWriter<File>,
}

impl Writer {
    /// Create a temporary snapshot directory under `root`.
    pub fn create(root: &Path) -> Result<Writer> {
        std::fs::create_dir_all(root).map_err(io)?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let dir = root.join(format!("tmp-{}-{stamp}", std::process::id()));
        std::fs::create_dir(&dir).map_err(io)?;
        let file = |name| File::create(dir.join(name)).map(BufWriter::new).map_err(io);
        Ok(Writer {
            blocking: file(BLOCKING_FILE)?,
            identification: file(IDENTIFICATION_FILE)?,
            dir,
        })
    }

    /// The temporary directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Append a blocking number.
    pub fn blocking(&mut self, n: u64) -> Result<()> {
        self.blocking.write_all(&n.to_le_bytes()).map_err(io)
    }

    /// Append an identification entry (labels are at most 64 characters).
    pub fn identification(&mut self, n: u64, label: &str) -> Result<()> {
        let bytes = label.as_bytes();
        let len =
            u16::try_from(bytes.len()).map_err(|_| Error::InvalidInput("label too long".into()))?;
        self.identification
            .write_all(&n.to_le_bytes())
            .map_err(io)?;
        self.identification
            .write_all(&len.to_le_bytes())
            .map_err(io)?;
        self.identification.write_all(bytes).map_err(io)
    }

    /// Flush and sync both files; returns the directory.
    pub fn finish(self) -> Result<PathBuf> {
        for w in [self.blocking, self.identification] {
            let f = w.into_inner().map_err(|e| io(e.into_error()))?;
            f.sync_all().map_err(io)?;
        }
        Ok(self.dir)
    }
}

/// Remove every committed version but `keep`, and temporary directories older
/// than [`STALE_TMP_SECS`] (an export that was never committed, a killed process).
pub fn remove_others(root: &Path, keep: u64) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let keep_name = format!("v{keep}");
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let stale_tmp = name.starts_with("tmp-")
            && e.metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > STALE_TMP_SECS);
        if (name.starts_with('v') && name != keep_name) || stale_tmp {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let root = root_for(&dir.path().join("db"));
        let mut w = Writer::create(&root).unwrap();
        w.blocking(12_025_550_100).unwrap();
        w.blocking(12_025_550_101).unwrap();
        w.identification(13_125_550_100, "Dentist").unwrap();
        w.identification(13_125_550_101, "").unwrap();
        let tmp = w.finish().unwrap();
        std::fs::rename(&tmp, version_dir(&root, 3)).unwrap();
        assert!(exists(&root, 3));
        assert!(!exists(&root, 2));
        let mut b = BlockingReader::open(&version_dir(&root, 3)).unwrap();
        assert_eq!(b.read_next().unwrap(), Some(12_025_550_100));
        assert_eq!(b.read_next().unwrap(), Some(12_025_550_101));
        assert_eq!(b.read_next().unwrap(), None);
        let mut i = IdentificationReader::open(&version_dir(&root, 3)).unwrap();
        assert_eq!(
            i.read_next().unwrap(),
            Some((13_125_550_100, "Dentist".into()))
        );
        assert_eq!(
            i.read_next().unwrap(),
            Some((13_125_550_101, String::new()))
        );
        assert_eq!(i.read_next().unwrap(), None);
        std::fs::create_dir_all(version_dir(&root, 2)).unwrap();
        remove_others(&root, 3);
        assert!(!version_dir(&root, 2).exists());
        assert!(exists(&root, 3));
    }

    #[test]
    fn truncated_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(BLOCKING_FILE), [1, 2, 3]).unwrap();
        assert!(BlockingReader::open(dir.path())
            .unwrap()
            .read_next()
            .is_err());
    }
}
