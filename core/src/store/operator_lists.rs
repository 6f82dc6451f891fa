//! The `operator_list` table: which imported directory is in force for each
//! operator list, and what it holds. The lists themselves are immutable `fst`
//! files beside the database ([`crate::marking::lists::operator_list`]).

use crate::error::Result;
use crate::marking::lists::{OperatorListInfo, OperatorListName};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// The directory (under the lists directory) in force for a list.
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn current_dir(conn: &Connection, name: OperatorListName) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT dir FROM operator_list WHERE name = ?1",
            [name.as_str()],
            |r| r.get(0),
        )
        .optional()?)
}

/// Put `dir` in force for `name` with its counts; returns the directory it
/// replaces, if any.
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn replace(
    tx: &Transaction<'_>,
    name: OperatorListName,
    dir: &str,
    numbers: u64,
    prefixes: u64,
    now: i64,
) -> Result<Option<String>> {
    let old = current_dir(tx, name)?;
    tx.execute(
        "INSERT INTO operator_list (name, dir, numbers, prefixes, imported_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(name) DO UPDATE SET dir = excluded.dir, numbers = excluded.numbers,
           prefixes = excluded.prefixes, imported_at = excluded.imported_at",
        params![
            name.as_str(),
            dir,
            i64::try_from(numbers).unwrap_or(i64::MAX),
            i64::try_from(prefixes).unwrap_or(i64::MAX),
            now
        ],
    )?;
    Ok(old)
}

/// Every imported list, by name.
///
/// # Errors
/// [`crate::Error::Storage`] when the database fails.
pub fn all(conn: &Connection) -> Result<Vec<OperatorListInfo>> {
    let mut stmt = conn
        .prepare("SELECT name, numbers, prefixes, imported_at FROM operator_list ORDER BY name")?;
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
