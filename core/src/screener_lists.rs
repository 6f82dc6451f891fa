//! The screener's list, policy and emergency operations, and the list step of
//! screening. Every write is one transaction; the in-memory lists are replaced
//! only after it commits.

use crate::call::IncomingCall;
use crate::error::{Error, Result};
use crate::lists::index::classes_of;
use crate::lists::state::current_dir;
use crate::lists::{
    decide, import_operator_list, user_rules, CallFacts, ImportProgress, ImportReport,
    ListDecision, NewRule, OperatorList, OperatorListName, Rule,
};
use crate::number::{region_of, to_e164};
use crate::policy::{Policy, DEFAULT_EMERGENCY_NUMBERS};
use crate::presentation::Presentation;
use crate::screener::Screener;
use crate::store::settings;
use crate::verification::Verification;
use rusqlite::params;
use std::io::Read;
use std::sync::Arc;

/// Settings key of the stored policy (JSON).
pub const POLICY_KEY: &str = "policy";
/// Settings key of the last emergency call (seconds since the epoch).
pub const EMERGENCY_KEY: &str = "emergency_call_at";

/// What the database says about an imported operator list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorListInfo {
    /// `operator` or `operator_mandatory`.
    pub name: String,
    /// Numbers listed.
    pub numbers: u64,
    /// Prefixes listed.
    pub prefixes: u64,
    /// When it was imported, seconds since the epoch.
    pub imported_at: i64,
}

impl Screener {
    /// Add a rule (numbers normalised to E.164 with the default region); returns its id.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a value that is not a number, prefix or country.
    pub fn add_rule(&self, rule: NewRule) -> Result<i64> {
        let rule = NewRule {
            kind: rule.kind.normalised(self.region_for_lists)?,
            ..rule
        };
        let now = self.clock.now();
        let db = self.db.lock()?;
        let id = user_rules::insert(&db, &rule, now)?;
        self.lists.reload_rules(&db)?;
        Ok(id)
    }

    /// Remove a rule; false when there was none with that id.
    pub fn remove_rule(&self, id: i64) -> Result<bool> {
        let db = self.db.lock()?;
        let removed = user_rules::delete(&db, id)?;
        self.lists.reload_rules(&db)?;
        Ok(removed)
    }

    /// Every stored rule (operator list entries are not listed one by one).
    pub fn rules(&self) -> Result<Vec<Rule>> {
        Ok(self.lists.index.read()?.rules().to_vec())
    }

    /// The next time after now a rule starts or ends (seconds since the epoch), so
    /// an app can refresh what it exported (CallKit, notifications).
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
        let old = {
            let mut db = self.db.lock()?;
            let tx = db.transaction()?;
            let old = current_dir(&tx, name)?;
            tx.execute(
                "INSERT INTO operator_list (name, dir, numbers, prefixes, imported_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(name) DO UPDATE SET dir = excluded.dir, numbers = excluded.numbers,
                   prefixes = excluded.prefixes, imported_at = excluded.imported_at",
                params![name.as_str(), sub, report.numbers as i64, report.prefixes as i64, self.clock.now()],
            )?;
            tx.commit()?;
            old
        };
        *self.lists.slot(name).write()? = Some(Arc::new(list));
        if let Some(old) = old.filter(|o| *o != sub) {
            let _ = std::fs::remove_dir_all(dir.join(old));
        }
        self.remove_stale_list_dirs()?;
        Ok(report)
    }

    /// The imported operator lists.
    pub fn operator_lists(&self) -> Result<Vec<OperatorListInfo>> {
        let db = self.db.lock()?;
        let mut stmt = db.prepare(
            "SELECT name, numbers, prefixes, imported_at FROM operator_list ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(OperatorListInfo {
                name: r.get(0)?,
                numbers: r.get::<_, i64>(1)?.max(0) as u64,
                prefixes: r.get::<_, i64>(2)?.max(0) as u64,
                imported_at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Directories a killed import left behind, or replaced lists not yet removed.
    fn remove_stale_list_dirs(&self) -> Result<()> {
        let Some(dir) = &self.lists.dir else {
            return Ok(());
        };
        let keep: Vec<String> = {
            let db = self.db.lock()?;
            [OperatorListName::Operator, OperatorListName::Mandatory]
                .into_iter()
                .filter_map(|n| current_dir(&db, n).ok().flatten())
                .collect()
        };
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
        settings::put(&*self.db.lock()?, POLICY_KEY, &json)?;
        *self.policy.write()? = Arc::new(policy);
        Ok(())
    }

    /// The app placed an emergency call at `at` (seconds since the epoch):
    /// blocking and silencing are suspended for the policy's window so a PSAP
    /// callback rings. Kept in the database across restarts.
    pub fn emergency_call_placed(&self, at: i64) -> Result<()> {
        settings::put(&*self.db.lock()?, EMERGENCY_KEY, &at.to_string())?;
        *self.emergency_at.write()? = Some(at);
        Ok(())
    }

    pub(crate) fn call_facts(
        &self,
        call: &IncomingCall,
        verification: &Verification,
        presentation: Presentation,
        number: Option<&str>,
    ) -> CallFacts {
        let withheld = presentation == Presentation::Withheld;
        // A withheld caller's number is never matched, shown or stored.
        let number = if withheld {
            None
        } else {
            number.map(str::to_string)
        };
        let needs_country = self
            .lists
            .index
            .read()
            .map(|i| i.has_country_rules())
            .unwrap_or(true);
        CallFacts {
            country: if needs_country {
                number.as_deref().and_then(region_of)
            } else {
                None
            },
            number,
            withheld,
            classes: classes_of(verification),
            is_contact: call.is_contact,
            line: call.line,
        }
    }

    pub(crate) fn decide_lists(
        &self,
        facts: &CallFacts,
        policy: &Policy,
        now: i64,
    ) -> Result<ListDecision> {
        let index = self.lists.index.read()?.clone();
        let operator = self.lists.operator.read()?.clone();
        let mandatory = self.lists.mandatory.read()?.clone();
        Ok(decide(
            &index,
            operator.as_deref(),
            mandatory.as_deref(),
            facts,
            policy.allow_contacts,
            now,
        ))
    }

    /// Why blocking is suspended for this call, if it is: an emergency callback
    /// window, or an emergency or service number calling.
    pub(crate) fn protected(
        &self,
        call: &IncomingCall,
        number: Option<&str>,
        policy: &Policy,
        now: i64,
    ) -> Result<Option<String>> {
        if let Some(at) = *self.emergency_at.read()? {
            if now >= at && now - at < policy.emergency_suspension_secs {
                return Ok(Some(format!(
                    "blocking suspended for {} min after an emergency call",
                    policy.emergency_suspension_secs / 60
                )));
            }
        }
        let raw = call
            .asserted_caller()
            .and_then(|na| na.uri.telephone_number())
            .map(str::to_string)
            .or_else(|| call.platform.as_ref().and_then(|p| p.number.clone()))
            .unwrap_or_default();
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        if !digits.is_empty()
            && !raw.starts_with('+')
            && DEFAULT_EMERGENCY_NUMBERS.contains(&digits.as_str())
        {
            return Ok(Some(format!("emergency number {digits} is never blocked")));
        }
        if let Some(n) = number {
            if policy
                .service_numbers
                .iter()
                .any(|s| to_e164(s, self.region_for_lists).as_deref() == Some(n))
            {
                return Ok(Some("a configured service number is never blocked".into()));
            }
        }
        Ok(None)
    }
}
