//! The lists a screener holds in memory: the stored rules, indexed, and the
//! operator's imported lists. Replaced whole (behind `Arc`s) when they change,
//! so a screening call never waits for an import or an edit.

use super::index::RuleIndex;
use super::operator_list::OperatorList;
use super::user_rules;
use crate::error::Result;
use rusqlite::{Connection, OptionalExtension};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

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
}

/// The directory of imported lists beside a database file.
pub fn lists_dir(db_path: &Path) -> PathBuf {
    let mut name = db_path.as_os_str().to_owned();
    name.push(".lists");
    PathBuf::from(name)
}

/// The directory in force for a list, from the database.
pub fn current_dir(conn: &Connection, name: OperatorListName) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT dir FROM operator_list WHERE name = ?1",
            [name.as_str()],
            |r| r.get(0),
        )
        .optional()?)
}

impl ListsState {
    /// Load the rules and the operator lists the database names.
    pub fn load(conn: &Connection, db_path: Option<&Path>) -> Result<ListsState> {
        let state = ListsState {
            dir: db_path.map(lists_dir),
            ..ListsState::default()
        };
        state.reload_rules(conn)?;
        if let Some(dir) = &state.dir {
            for (name, slot) in [
                (OperatorListName::Operator, &state.operator),
                (OperatorListName::Mandatory, &state.mandatory),
            ] {
                if let Some(sub) = current_dir(conn, name)? {
                    match OperatorList::load(&dir.join(&sub)) {
                        Ok(list) => *slot.write()? = Some(Arc::new(list)),
                        Err(e) => log::error!("{} list not loaded: {e}", name.as_str()),
                    }
                }
            }
        }
        Ok(state)
    }

    /// Re-read the stored rules after a change.
    pub fn reload_rules(&self, conn: &Connection) -> Result<()> {
        let rules = user_rules::all(conn)?;
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
