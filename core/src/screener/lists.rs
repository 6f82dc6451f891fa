//! List, policy and emergency administration. Every write is one transaction
//! on the writer connection; the in-memory lists are replaced only after it
//! commits, so a screening call never sees half a change.

use super::Screener;
use crate::error::{Error, Result};
use crate::marking::lists::{
    import_operator_list, ImportProgress, ImportReport, NewRule, OperatorList, OperatorListInfo,
    OperatorListName, Rule,
};
use crate::reaction::Policy;
use crate::store::{operator_lists, rules, settings};
use std::io::Read;
use std::sync::Arc;

impl Screener {
    /// Add a rule (numbers normalised to E.164 with the default region); returns its id.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a value that is not a number, prefix or country.
    pub fn add_rule(&self, rule: NewRule) -> Result<i64> {
        let rule = NewRule {
            kind: rule.kind.normalised(self.region)?,
            ..rule
        };
        let now = self.clock.now();
        let id = self.store.write(|tx| rules::insert(tx, &rule, now))?;
        self.lists.reload_rules(&self.store)?;
        Ok(id)
    }

    /// Remove a rule; false when there was none with that id.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn remove_rule(&self, id: i64) -> Result<bool> {
        let removed = self.store.write(|tx| rules::delete(tx, id))?;
        self.lists.reload_rules(&self.store)?;
        Ok(removed)
    }

    /// Every stored rule (operator list entries are not listed one by one),
    /// from memory.
    ///
    /// # Errors
    /// [`Error::Poisoned`] only if another thread panicked.
    pub fn rules(&self) -> Result<Vec<Rule>> {
        Ok(self.lists.index.read()?.rules().to_vec())
    }

    /// The next time after now a rule starts or ends (seconds since the epoch), so
    /// an app can refresh what it exported (CallKit, notifications).
    ///
    /// # Errors
    /// [`Error::Poisoned`] only if another thread panicked.
    pub fn next_change_at(&self) -> Result<Option<i64>> {
        Ok(self.lists.index.read()?.next_change_at(self.clock.now()))
    }

    /// Import an operator list, replacing the previous version of that list
    /// atomically: the old list stays in force until the new one is complete.
    ///
    /// # Errors
    /// [`Error::Config`] without a database file; [`Error::InvalidInput`] when
    /// reading or writing fails (the previous list stays in force).
    pub fn import_operator_list(
        &self,
        input: impl Read,
        mandatory: bool,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportReport> {
        let dir = self
            .lists
            .dir
            .clone()
            .ok_or_else(|| Error::Config("operator lists need a database file".into()))?;
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::InvalidInput(format!("{}: {e}", dir.display())))?;
        let name = if mandatory {
            OperatorListName::Mandatory
        } else {
            OperatorListName::Operator
        };
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let sub = format!("{}-{stamp}-{}", name.as_str(), std::process::id());
        let report = import_operator_list(input, &dir.join(&sub), progress)?;
        let list = OperatorList::load(&dir.join(&sub))?;
        let now = self.clock.now();
        let old = self.store.write(|tx| {
            operator_lists::replace(tx, name, &sub, report.numbers, report.prefixes, now)
        })?;
        *self.lists.slot(name).write()? = Some(Arc::new(list));
        if let Some(old) = old.filter(|o| *o != sub) {
            let _ = std::fs::remove_dir_all(dir.join(old));
        }
        self.remove_stale_list_dirs()?;
        Ok(report)
    }

    /// The imported operator lists.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn operator_lists(&self) -> Result<Vec<OperatorListInfo>> {
        self.store.read(operator_lists::all)
    }

    /// Directories a killed import left behind, or replaced lists not yet removed.
    fn remove_stale_list_dirs(&self) -> Result<()> {
        let Some(dir) = &self.lists.dir else {
            return Ok(());
        };
        let keep: Vec<String> = self.store.read(|c| {
            Ok([OperatorListName::Operator, OperatorListName::Mandatory]
                .into_iter()
                .filter_map(|n| operator_lists::current_dir(c, n).ok().flatten())
                .collect())
        })?;
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if !keep.contains(&name) {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        Ok(())
    }

    /// The policy in force.
    ///
    /// # Errors
    /// [`Error::Poisoned`] only if another thread panicked.
    pub fn policy(&self) -> Result<Policy> {
        Ok((**self.policy.read()?).clone())
    }

    /// Replace the policy (stored in the database).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for thresholds over 101 or a negative suspension.
    pub fn set_policy(&self, policy: Policy) -> Result<()> {
        if policy.spam_threshold > 100
            || policy.block_threshold > 101
            || policy.emergency_suspension_secs < 0
        {
            return Err(Error::InvalidInput(
                "thresholds are 0..=100 (block 101 = never), suspension ≥ 0".into(),
            ));
        }
        let json =
            serde_json::to_string(&policy).map_err(|e| Error::InvalidInput(e.to_string()))?;
        self.store
            .write(|tx| settings::put(tx, settings::POLICY_KEY, &json))?;
        *self.policy.write()? = Arc::new(policy);
        Ok(())
    }

    /// The app placed an emergency call at `at` (seconds since the epoch):
    /// blocking and silencing are suspended for the policy's window so a PSAP
    /// callback rings. Kept in the database across restarts.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn emergency_call_placed(&self, at: i64) -> Result<()> {
        self.store
            .write(|tx| settings::put(tx, settings::EMERGENCY_KEY, &at.to_string()))?;
        *self.emergency_at.write()? = Some(at);
        Ok(())
    }
}
