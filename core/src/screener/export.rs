//! The iOS Call Directory export: a snapshot of what is in force, handed to
//! [`crate::platform::callkit`], which streams the entries.

use super::Screener;
use crate::error::Result;
use crate::platform::callkit::{CallDirectoryExport, CallDirectoryOptions, ExportSnapshot};
use crate::store::settings;

impl Screener {
    /// Start a Call Directory export (see [`crate::platform::callkit`]).
    /// `since`: the version the extension last loaded (from
    /// [`Screener::commit_call_directory`]), or `None` for a full load.
    ///
    /// # Errors
    /// [`crate::Error::InvalidInput`] for a budget over
    /// [`crate::platform::callkit::MAX_ENTRY_BUDGET`] or when the snapshot
    /// directory cannot be written; [`crate::Error::Storage`] from the database.
    pub fn call_directory_export(
        &self,
        options: CallDirectoryOptions,
        since: Option<u64>,
    ) -> Result<CallDirectoryExport> {
        let now = self.clock.now();
        let snapshot = ExportSnapshot {
            rules: self.rules()?,
            operator: self.lists.operator.read()?.clone(),
            mandatory: self.lists.mandatory.read()?.clone(),
            policy: self.policy()?,
            emergency_at: *self.emergency_at.read()?,
            next_rule_change: self.lists.index.read()?.next_change_at(now),
            region: self.region,
            db_path: self.db_path().map(std::path::Path::to_path_buf),
            committed_version: self.call_directory_version()?,
            now,
        };
        CallDirectoryExport::start(snapshot, options, since)
    }

    /// Record that iOS accepted `export`: its snapshot becomes the base of the
    /// next delta. Returns the new version to pass as `since`.
    ///
    /// # Errors
    /// As [`CallDirectoryExport::commit`].
    pub fn commit_call_directory(&self, export: &mut CallDirectoryExport) -> Result<u64> {
        export.commit(&self.store)
    }

    /// The last committed Call Directory version, if any.
    ///
    /// # Errors
    /// [`crate::Error::Storage`] when the database fails.
    pub fn call_directory_version(&self) -> Result<Option<u64>> {
        Ok(self
            .store
            .read(|c| settings::get(c, settings::CALL_DIRECTORY_VERSION_KEY))?
            .and_then(|v| v.parse().ok()))
    }
}
