//! Reports and the outbox: a report the user asked for is stored durably
//! before `report` returns; delivery passes claim one item at a time and hold
//! no database lock while the app's [`UtTransport`] runs.

use super::Screener;
use crate::error::{Error, Result};
use crate::reports::delivery::{self, DeliveryContext};
use crate::reports::outbox::{self, NewItem, OutboxOp};
use crate::reports::{
    clean_text, CallEvidence, OutboxItem, OutboxState, ReportDocument, ReportRequest, RetryPolicy,
    UtTransport, MAX_CATEGORY_CHARS, MAX_COMMENT_CHARS,
};
use crate::store::{outbox as queued, settings};

/// Delivered outbox items are kept this long, seconds.
pub const DELIVERED_RETENTION_SECS: i64 = 30 * 86_400;

/// What one delivery pass did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeliverySummary {
    /// Items attempted.
    pub attempted: u32,
    /// Delivered (2xx).
    pub delivered: u32,
    /// Back to pending, to retry later.
    pub retrying: u32,
    /// Failed for good.
    pub failed: u32,
}

impl Screener {
    // ---- reports and the outbox -----------------------------------------------

    /// The subscriber's public identity on Ut: the stored one, else `tel:` and
    /// the first own number.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn ut_identity(&self) -> Result<Option<String>> {
        let stored = self
            .store
            .read(|c| settings::get(c, settings::UT_IDENTITY_KEY))?;
        Ok(stored.or_else(|| self.own_e164.first().map(|n| format!("tel:{n}"))))
    }

    /// Store the subscriber's public identity on Ut (`tel:+1...` or `sip:...`).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an identity that is not a tel or sip URI.
    pub fn set_ut_identity(&self, identity: &str) -> Result<()> {
        let i = identity.trim();
        let ok = (i.starts_with("tel:") || i.starts_with("sip:") || i.starts_with("sips:"))
            && i.len() <= 256
            && !i
                .chars()
                .any(|c| c.is_control() || c == '"' || c.is_whitespace());
        if !ok {
            return Err(Error::InvalidInput(format!(
                "{i:?} is not a tel or sip URI"
            )));
        }
        self.store
            .write(|tx| settings::put(tx, settings::UT_IDENTITY_KEY, i))
    }

    /// Queue network-side barring for the user's unconditional blocks (default
    /// on) or not.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn set_network_barring(&self, enabled: bool) -> Result<()> {
        let value = if enabled { "on" } else { "off" };
        self.store
            .write(|tx| settings::put(tx, settings::NETWORK_BARRING_KEY, value))
    }

    /// Queue a report the user asked for; returns its id (also its
    /// `Idempotency-Key`). The report is stored (synchronously, durably) before
    /// this returns. It cites a history entry's evidence, or for a call not in
    /// the history its number and/or the time it came in (a withheld caller
    /// has only the time); a withheld caller's number is never included.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an unknown entry, or none of an entry, a
    /// number and a call time; [`Error::Storage`].
    pub fn report(&self, request: ReportRequest) -> Result<String> {
        let now = self.clock.now();
        let id = outbox::new_id()?;
        let reporter = self.ut_identity()?;
        let call = match (
            request.history_id,
            request.number.as_deref(),
            request.call_time,
        ) {
            (Some(h), _, _) => CallEvidence::from_entry(&self.entry_or_err(h)?),
            (None, None, None) => {
                return Err(Error::InvalidInput(
                    "a report cites a history entry, a number or the call's time".into(),
                ))
            }
            (None, number, time) => CallEvidence {
                calling: number.map(|n| self.e164(n)).transpose()?,
                time,
                ..CallEvidence::default()
            },
        };
        let doc = ReportDocument {
            id: id.clone(),
            kind: request.kind,
            created: now,
            when: request.when,
            reporter,
            call,
            category: clean_text(request.category.as_deref(), MAX_CATEGORY_CHARS),
            comment: clean_text(request.comment.as_deref(), MAX_COMMENT_CHARS),
        };
        let body = doc.to_xml();
        // The writer runs with synchronous = FULL: a report the user was told
        // about survives a power cut too.
        self.store.write(|tx| {
            queued::enqueue(
                tx,
                &NewItem {
                    id: &id,
                    kind: request.kind.as_str(),
                    op: OutboxOp::Report,
                    body: &body,
                    history_id: request.history_id,
                    target: None,
                    rule_id: None,
                },
                now,
            )
        })?;
        Ok(id)
    }

    /// The stored report document (XML) of an outbox item.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn report_body(&self, id: &str) -> Result<Option<Vec<u8>>> {
        self.store.read(|c| queued::body(c, id))
    }

    /// When [`Screener::deliver_outbox`] next has work (seconds since the
    /// epoch; `None`: nothing waits), under the default [`RetryPolicy`]: schedule
    /// the background delivery for then.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn outbox_next_due(&self) -> Result<Option<i64>> {
        self.store
            .read(|c| queued::next_due(c, &RetryPolicy::default()))
    }

    /// Every outbox item, oldest first.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn outbox(&self) -> Result<Vec<OutboxItem>> {
        self.store.read(queued::list)
    }

    /// Put a failed item back in the queue; false when no failed item has that id.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn retry_report(&self, id: &str) -> Result<bool> {
        let now = self.clock.now();
        self.store.write(|tx| queued::retry(tx, id, now))
    }

    /// One delivery pass with the default [`RetryPolicy`].
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails (transport failures are
    /// outcomes, recorded on the items).
    pub fn deliver_outbox(&self, transport: &dyn UtTransport) -> Result<DeliverySummary> {
        self.deliver_outbox_with(transport, &RetryPolicy::default())
    }

    /// One delivery pass: every item due now (pending and due, or `sending`
    /// past its lease) is attempted once, oldest first, through `transport`,
    /// with no database lock held during the call.
    ///
    /// # Errors
    /// [`Error::Storage`] when the database fails.
    pub fn deliver_outbox_with(
        &self,
        transport: &dyn UtTransport,
        policy: &RetryPolicy,
    ) -> Result<DeliverySummary> {
        let ctx = DeliveryContext {
            identity: self.ut_identity()?,
        };
        let mut summary = DeliverySummary::default();
        let mut seen: Vec<String> = Vec::new();
        loop {
            let now = self.clock.now();
            let claimed = self
                .store
                .write(|tx| queued::claim_next(tx, now, policy, &seen))?;
            let Some(claimed) = claimed else { break };
            seen.push(claimed.item.id.clone());
            summary.attempted += 1;
            let outcome = delivery::attempt(&claimed, &ctx, transport);
            let now = self.clock.now();
            let jitter = outbox::jitter();
            let state = self
                .store
                .write(|tx| queued::finish(tx, &claimed.item.id, &outcome, now, policy, jitter))?;
            match state {
                OutboxState::Delivered => summary.delivered += 1,
                OutboxState::Failed => summary.failed += 1,
                _ => summary.retrying += 1,
            }
        }
        let cutoff = self.clock.now() - DELIVERED_RETENTION_SECS;
        self.store.write(|tx| queued::purge_delivered(tx, cutoff))?;
        Ok(summary)
    }
}
