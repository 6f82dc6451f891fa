//! Certificate chains the app fetched (driven by `cert_needed`) and handed back,
//! kept across restarts so a known signer never needs the network again.

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// Store (or replace) the chain for `x5u`.
pub fn put_certificate(
    conn: &Connection,
    x5u: &str,
    chain: &[u8],
    now: i64,
    not_after: Option<i64>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO certificate (x5u, chain, added_at, not_after) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(x5u) DO UPDATE SET chain = excluded.chain, added_at = excluded.added_at,
                                        not_after = excluded.not_after",
        params![x5u, chain, now, not_after],
    )?;
    Ok(())
}

/// The chain stored for `x5u`.
pub fn get_certificate(conn: &Connection, x5u: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT chain FROM certificate WHERE x5u = ?1", [x5u], |r| {
            r.get(0)
        })
        .optional()?)
}

/// When the chain for `x5u` was handed over (seconds since the epoch), if held.
pub fn certificate_added_at(conn: &Connection, x5u: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT added_at FROM certificate WHERE x5u = ?1",
            [x5u],
            |r| r.get(0),
        )
        .optional()?)
}

/// Delete chains that expired before `now`; returns how many.
pub fn purge_expired_certificates(conn: &Connection, now: i64) -> Result<usize> {
    Ok(conn.execute(
        "DELETE FROM certificate WHERE not_after IS NOT NULL AND not_after < ?1",
        [now],
    )?)
}
