//! The lists a screener holds in memory: the stored rules, indexed, and the
//! operator's imported lists. Replaced whole (behind `Arc`s) when they change,
//! so a screening call never waits for an import or an edit.

use super::index::RuleIndex;
use super::operator_list::OperatorList;
use crate::error::Result;
use crate::store::{operator_lists, rules, Store};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// The name of an operator list in the `operator_list` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperatorListName {
    /// The operator's list (below the user's own rules).
    Operator,
    /// The operator's mandatory list (above everything).
    Mandatory,
}

impl OperatorListName {
    /// `operator` or `operator_mandatory`.
    pub fn as_str(self) -> &'static str {
        match self {
            OperatorListName::Operator => "operator",
            OperatorListName::Mandatory => "operator_mandatory",
        }
    }
}

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

/// The lists in force.
#[derive(Debug, Default)]
pub struct ListsState {
    /// The stored rules.
    pub index: RwLock<Arc<RuleIndex>>,
    /// The operator's list.
    pub operator: RwLock<Option<Arc<OperatorList>>>,
    /// The operator's mandatory list.
    pub mandatory: RwLock<Option<Arc<OperatorList>>>,
    /// Where imported lists live: `<database>.lists/`; `None` in memory.
    pub dir: Option<PathBuf>,
    /// Serialises reloads, so a slower reload never installs older rules over
    /// a newer one.
    reload: Mutex<()>,
}

/// The directory of imported lists beside a database file.
pub fn lists_dir(db_path: &Path) -> PathBuf {
    let mut name = db_path.as_os_str().to_owned();
    name.push(".lists");
    PathBuf::from(name)
}

impl ListsState {
    /// Load the rules and the operator lists the database names.
    pub fn load(store: &Store) -> Result<ListsState> {
        let state = ListsState {
            dir: store.path().map(lists_dir),
            ..ListsState::default()
        };
        state.reload_rules(store)?;
        if let Some(dir) = &state.dir {
            for (name, slot) in [
                (OperatorListName::Operator, &state.operator),
                (OperatorListName::Mandatory, &state.mandatory),
            ] {
                if let Some(sub) = store.read(|c| operator_lists::current_dir(c, name))? {
                    match OperatorList::load(&dir.join(&sub)) {
                        Ok(list) => *slot.write()? = Some(Arc::new(list)),
                        Err(e) => log::error!("{} list not loaded: {e}", name.as_str()),
                    }
                }
            }
        }
        Ok(state)
    }

    /// Re-read the stored rules after a change (on the reader connection, so
    /// the writer is free the moment the change commits).
    pub fn reload_rules(&self, store: &Store) -> Result<()> {
        let _one_at_a_time = self.reload.lock()?;
        let rules = store.read(rules::all)?;
        *self.index.write()? = Arc::new(RuleIndex::new(rules));
        Ok(())
    }

    /// The slot of an operator list.
    pub fn slot(&self, name: OperatorListName) -> &RwLock<Option<Arc<OperatorList>>> {
        match name {
            OperatorListName::Operator => &self.operator,
            OperatorListName::Mandatory => &self.mandatory,
        }
    }
}
