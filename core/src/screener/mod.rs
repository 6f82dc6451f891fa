//! The facade: one [`Screener`] per app, shared by the dialer's screening
//! thread, its UI thread and its background jobs.
//!
//! It holds what is in force (trust anchors, CRLs, lists, policy, caches) and
//! the [`Store`]; it runs no step itself. Each file is one area:
//! - [`screen`](Screener::screen) (`screen.rs`): one call through intake,
//!   identification, marking, reaction and presentation, one call per step;
//! - `trust.rs`: certificates, anchors, CRLs, rich call data content;
//! - `lists.rs`: rules, operator lists, policy, emergency calls;
//! - `history.rs`: review, deletion, corrections;
//! - `reports.rs`: reports, the outbox and its delivery;
//! - `export.rs`: the iOS Call Directory export.
//!
//! No SQL here (it is all in [`crate::store`]) and no step logic.

mod export;
mod history;
mod lists;
mod reports;
mod screen;
mod trust;

pub use reports::DeliverySummary;

use crate::clock::Clock;
use crate::config::ScreenerConfig;
use crate::error::{Error, Result};
use crate::history::HistoryState;
use crate::identification::cert::{
    CertificateSource, ChainCache, CrlSet, RefreshHints, TrustStore,
};
use crate::identification::passport::ReplayCache;
use crate::intake::number::{canonical_tn, to_e164, DefaultRegion};
use crate::marking::lists::ListsState;
use crate::reaction::Policy;
use crate::store::{settings, Store};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// Screens incoming calls. `Send + Sync`: share one per app.
pub struct Screener {
    config: ScreenerConfig,
    region: Option<DefaultRegion>,
    /// The own numbers, canonical (the `dest` a PASSporT must name).
    own_numbers: Vec<String>,
    /// The own numbers, E.164, for the heuristics.
    own_e164: Vec<String>,
    trust: RwLock<Arc<TrustStore>>,
    rcd_trust: RwLock<Arc<TrustStore>>,
    /// CRLs in force.
    crls: RwLock<Arc<CrlSet>>,
    /// Content the app supplied for rich call data URLs (`rcdi`).
    rcd_content: RwLock<Arc<BTreeMap<String, Vec<u8>>>>,
    cache: Mutex<ChainCache>,
    replay: Mutex<ReplayCache>,
    /// Refresh hints for held chains under which signatures fail.
    refresh: Mutex<RefreshHints>,
    store: Store,
    source: Arc<dyn CertificateSource>,
    clock: Arc<dyn Clock>,
    /// The lists in force.
    lists: ListsState,
    /// The reaction policy in force.
    policy: RwLock<Arc<Policy>>,
    /// When the app last reported an emergency call, seconds since the epoch.
    emergency_at: RwLock<Option<i64>>,
    /// History settings and repeat-caller counts in memory.
    history: HistoryState,
    /// Where a corrupt database file was moved at open, if it was.
    recovered: Option<PathBuf>,
}

impl std::fmt::Debug for Screener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Screener")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

fn warm_up_in_background() {
    let spawned = std::thread::Builder::new()
        .name("callscreen-warm-up".into())
        .spawn(crate::intake::number::warm_up);
    if let Err(e) = spawned {
        log::debug!("libphonenumber warm-up thread not started ({e}); it loads on first use");
    }
}

/// The own numbers of the configuration: canonical (for `dest`) and E.164.
fn own_numbers(
    config: &ScreenerConfig,
    region: Option<DefaultRegion>,
) -> Result<(Vec<String>, Vec<String>)> {
    let mut canonical = Vec::new();
    let mut e164 = Vec::new();
    for n in &config.own_numbers {
        let e = to_e164(n, region);
        canonical.push(
            e.as_deref()
                .and_then(|e| canonical_tn(e, None))
                .ok_or_else(|| {
                    Error::Config(format!("own number {n:?} is not a telephone number"))
                })?,
        );
        e164.extend(e);
    }
    Ok((canonical, e164))
}

fn check_periods(config: &ScreenerConfig) -> Result<()> {
    if config.iat_window_secs <= 0 || config.iat_window_secs > 3600 {
        return Err(Error::Config("iat window must be 1..=3600 seconds".into()));
    }
    if config.cert_refresh_secs <= 0 {
        return Err(Error::Config(
            "the certificate refresh period must be positive".into(),
        ));
    }
    Ok(())
}

/// The stored policy, else the configured one (an unreadable stored policy
/// is logged and replaced by the configured one).
fn stored_policy(store: &Store, config: &ScreenerConfig) -> Result<Policy> {
    let stored = store.read(|c| settings::get(c, settings::POLICY_KEY))?;
    let mut policy = match stored {
        Some(json) => serde_json::from_str(&json).unwrap_or_else(|e| {
            log::error!("stored policy unreadable, using the configured one: {e}");
            config.policy.clone()
        }),
        None => config.policy.clone(),
    };
    policy.present_only_trusted_cli |= config.present_only_trusted_cli;
    Ok(policy)
}

impl Screener {
    /// Open a screener: read the trust anchors, normalise the own numbers, open
    /// and migrate the database, load the lists and the history settings.
    ///
    /// libphonenumber's metadata is loaded on a background thread, not here:
    /// numbers in `+digits` form (every PASSporT, most `tel:` URIs) never need
    /// it, and a screening service started for the very call it screens should
    /// not wait for it; a national-format number screened before it is ready
    /// waits only for what is left of the load.
    ///
    /// # Errors
    /// [`Error::Config`] for an unknown region, an own number that is not a
    /// telephone number, or a trust anchor that is not a certificate;
    /// [`Error::Storage`] / [`Error::SchemaTooNew`] from the database.
    pub fn open(
        config: ScreenerConfig,
        source: Arc<dyn CertificateSource>,
        clock: Arc<dyn Clock>,
    ) -> Result<Screener> {
        let region = match config.default_region.as_deref() {
            Some(r) => Some(
                DefaultRegion::parse(r)
                    .ok_or_else(|| Error::Config(format!("unknown region {r:?}")))?,
            ),
            None => None,
        };
        let (own_numbers, own_e164) = own_numbers(&config, region)?;
        check_periods(&config)?;
        let trust = TrustStore::from_pems(&config.trust_anchors_pem)?;
        let rcd_trust = TrustStore::from_pems(&config.rcd_trust_anchors_pem)?;
        let crls = CrlSet::from_ders(&config.crls_der)?.with_signers(&config.crl_signers_pem)?;
        let rcd_content = Arc::new(config.rcd_content.clone());
        let (store, recovered) = match config.db_path.as_deref() {
            Some(path) if config.start_fresh_if_corrupt => {
                Store::open_or_start_fresh(path, clock.now())?
            }
            path => (Store::open(path)?, None),
        };
        let lists = ListsState::load(&store)?;
        let policy = stored_policy(&store, &config)?;
        let emergency_at = store
            .read(|c| settings::get(c, settings::EMERGENCY_KEY))?
            .and_then(|v| v.parse().ok());
        let history = HistoryState::load(&store, clock.now())?;
        warm_up_in_background();
        Ok(Screener {
            config,
            region,
            own_numbers,
            own_e164,
            trust: RwLock::new(Arc::new(trust)),
            rcd_trust: RwLock::new(Arc::new(rcd_trust)),
            crls: RwLock::new(Arc::new(crls)),
            rcd_content: RwLock::new(rcd_content),
            cache: Mutex::new(ChainCache::default()),
            replay: Mutex::new(ReplayCache::default()),
            refresh: Mutex::new(RefreshHints::default()),
            store,
            source,
            clock,
            lists,
            policy: RwLock::new(Arc::new(policy)),
            emergency_at: RwLock::new(emergency_at),
            history,
            recovered,
        })
    }

    /// Where [`Screener::open`] moved a corrupt database file before starting a
    /// new one ([`ScreenerConfig::start_fresh_if_corrupt`]); `None` when it did
    /// not. The app can tell the user their lists were reset, and keep the file
    /// for support.
    pub fn recovered_database(&self) -> Option<&Path> {
        self.recovered.as_deref()
    }

    /// The database file, `None` in memory (exports keep their snapshots beside it).
    pub fn db_path(&self) -> Option<&Path> {
        self.store.path()
    }

    /// A number the app or the user typed, as E.164 (the default region for
    /// national forms).
    fn e164(&self, number: &str) -> Result<String> {
        to_e164(number, self.region)
            .ok_or_else(|| Error::InvalidInput(format!("{number:?} is not a telephone number")))
    }
}
