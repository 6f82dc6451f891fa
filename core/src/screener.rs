//! The facade: one [`Screener`] per app, shared by the dialer's screening thread
//! and its UI thread. It ties intake, identification, marking, reaction and
//! presentation together, and owns the caches and the database.

use crate::call::IncomingCall;
use crate::cert::{
    parse_chain, CertFailure, CertificateSource, Chain, ChainCache, CrlSet, SignerPurpose,
    TrustStore, ValidatedSigner,
};
use crate::clock::Clock;
use crate::config::ScreenerConfig;
use crate::error::{Error, Result};
use crate::identification::{identify, Evidence};
use crate::lists::ListsState;
use crate::marking::{mark, signals, SignalInput};
use crate::number::{canonical_tn, to_e164, DefaultRegion};
use crate::passport::{
    rich_call_data, verify_identities, CallBinding, PassportCheck, PassportOutcome, ReplayCache,
    SignerLookup,
};
use crate::policy::{ListVerdict, Policy, ReactionInput};
use crate::presentation::{caller, indicate, Display};
use crate::reason::{Reason, ReasonCode};
use crate::verdict::Verdict;
use crate::verstat::{self, VerstatIntake};
use rusqlite::Connection;
use std::sync::{Arc, Mutex, RwLock};

/// Screens incoming calls. `Send + Sync`: share one per app.
pub struct Screener {
    own_numbers: Vec<String>,
    region: Option<DefaultRegion>,
    pub(crate) config: ScreenerConfig,
    pub(crate) trust: RwLock<Arc<TrustStore>>,
    pub(crate) rcd_trust: RwLock<Arc<TrustStore>>,
    /// CRLs in force (see `screener_identity.rs`).
    pub(crate) crls: RwLock<Arc<CrlSet>>,
    /// Content the app supplied for rich call data URLs (`rcdi`).
    pub(crate) rcd_content: RwLock<Arc<std::collections::BTreeMap<String, Vec<u8>>>>,
    pub(crate) cache: Mutex<ChainCache>,
    replay: Mutex<ReplayCache>,
    /// Refresh hints for held chains under which signatures fail.
    pub(crate) refresh: Mutex<crate::cert::RefreshHints>,
    pub(crate) db: Mutex<Connection>,
    source: Arc<dyn CertificateSource>,
    pub(crate) clock: Arc<dyn Clock>,
    /// The lists in force (see `screener_lists.rs` for their operations).
    pub(crate) lists: ListsState,
    /// The reaction policy in force.
    pub(crate) policy: RwLock<Arc<Policy>>,
    /// When the app last reported an emergency call, seconds since the epoch.
    pub(crate) emergency_at: RwLock<Option<i64>>,
    /// The own numbers, E.164, for the heuristics.
    pub(crate) own_e164: Vec<String>,
    pub(crate) region_for_lists: Option<DefaultRegion>,
    /// History settings in memory (see `screener_history.rs`).
    pub(crate) history: crate::history::HistoryState,
    /// Where a corrupt database file was moved at open, if it was.
    recovered: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for Screener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Screener")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Screener {
    /// Open a screener: read the trust anchors, normalise the own numbers, open
    /// and migrate the database, and warm libphonenumber.
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
        let own_e164 = config
            .own_numbers
            .iter()
            .filter_map(|n| to_e164(n, region))
            .collect::<Vec<_>>();
        let own_numbers = config
            .own_numbers
            .iter()
            .map(|n| {
                to_e164(n, region)
                    .and_then(|e| canonical_tn(&e, None))
                    .ok_or_else(|| {
                        Error::Config(format!("own number {n:?} is not a telephone number"))
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        if config.iat_window_secs <= 0 || config.iat_window_secs > 3600 {
            return Err(Error::Config("iat window must be 1..=3600 seconds".into()));
        }
        if config.cert_refresh_secs <= 0 {
            return Err(Error::Config(
                "the certificate refresh period must be positive".into(),
            ));
        }
        let trust = TrustStore::from_pems(&config.trust_anchors_pem)?;
        let rcd_trust = TrustStore::from_pems(&config.rcd_trust_anchors_pem)?;
        let crls = CrlSet::from_ders(&config.crls_der)?.with_signers(&config.crl_signers_pem)?;
        let rcd_content = Arc::new(config.rcd_content.clone());
        let (db, recovered) = match config.db_path.as_deref() {
            Some(path) if config.start_fresh_if_corrupt => {
                crate::store::open_or_start_fresh(path, clock.now())?
            }
            path => (crate::store::open(path)?, None),
        };
        let lists = ListsState::load(&db, config.db_path.as_deref())?;
        let mut policy = match crate::store::settings::get(&db, crate::screener_lists::POLICY_KEY)?
        {
            Some(json) => serde_json::from_str(&json).unwrap_or_else(|e| {
                log::error!("stored policy unreadable, using the configured one: {e}");
                config.policy.clone()
            }),
            None => config.policy.clone(),
        };
        policy.present_only_trusted_cli |= config.present_only_trusted_cli;
        let emergency_at = crate::store::settings::get(&db, crate::screener_lists::EMERGENCY_KEY)?
            .and_then(|v| v.parse().ok());
        let history = crate::history::HistoryState::load(&db, clock.now())?;
        crate::number::warm_up();
        Ok(Screener {
            own_numbers,
            region,
            config,
            trust: RwLock::new(Arc::new(trust)),
            rcd_trust: RwLock::new(Arc::new(rcd_trust)),
            crls: RwLock::new(Arc::new(crls)),
            rcd_content: RwLock::new(rcd_content),
            cache: Mutex::new(ChainCache::default()),
            replay: Mutex::new(ReplayCache::default()),
            refresh: Mutex::new(crate::cert::RefreshHints::default()),
            db: Mutex::new(db),
            source,
            clock,
            lists,
            policy: RwLock::new(Arc::new(policy)),
            emergency_at: RwLock::new(emergency_at),
            own_e164,
            recovered,
            region_for_lists: region,
            history,
        })
    }

    /// Where [`Screener::open`] moved a corrupt database file before starting a
    /// new one ([`ScreenerConfig::start_fresh_if_corrupt`]); `None` when it did
    /// not. The app can tell the user their lists were reset, and keep the file
    /// for support.
    pub fn recovered_database(&self) -> Option<&std::path::Path> {
        self.recovered.as_deref()
    }

    /// Screen a SIP INVITE.
    ///
    /// # Errors
    /// [`Error::TooLarge`] or [`Error::NotSipRequest`] when the message cannot be
    /// screened; a failed verification is a verdict, not an error.
    pub fn screen_sip(&self, invite: &[u8]) -> Result<Verdict> {
        let call = crate::sip::parse_invite(invite)?;
        self.screen(&call)
    }

    /// Screen a call. Never fetches from the network: a missing certificate is
    /// named in `verification.cert_needed`.
    ///
    /// # Errors
    /// [`Error::Poisoned`] only if another thread panicked inside the screener.
    pub fn screen(&self, call: &IncomingCall) -> Result<Verdict> {
        let now = self.clock.now();
        let window = self.config.iat_window_secs;
        let binding = self.binding(call);
        let check = PassportCheck { now, window };
        let lookup = Lookup { screener: self };
        let identities = verify_identities(&call.identity, &binding, check, &lookup);
        let rich = rich_call_data(
            &identities.passports,
            &identities.rcd,
            &self.rcd_content.read()?.clone(),
            window,
        );
        let passports: Vec<PassportOutcome> = identities.passports;

        // Replay: the best passing PASSporT, by its signature, against the Call-ID.
        let replayed = match passports.iter().find_map(|o| match o {
            PassportOutcome::Passed { signature, .. } => Some(signature),
            _ => None,
        }) {
            Some(sig) => {
                let call_id = call.call_id.as_deref().unwrap_or("");
                self.replay
                    .lock()?
                    .check_and_record(sig, call_id, now, window)
            }
            None => false,
        };

        // Held chains under which a signature failed (rare: only then any work).
        let refresh: Vec<String> = passports
            .iter()
            .filter_map(|o| match o {
                PassportOutcome::Failed {
                    reason: ReasonCode::SignatureInvalid,
                    x5u: Some(u),
                    ..
                } => Some(u.clone()),
                _ => None,
            })
            .collect();

        let intake = VerstatIntake {
            trusted: self.config.trust_verstat,
            from_header: self.config.verstat_from_header,
        };
        let (mut verification, mut reasons) = identify(Evidence {
            passports,
            replayed,
            verstat: verstat::find(call, intake),
            platform: call.platform.as_ref().map(|p| p.verification),
        });
        reasons.extend(rich.reasons.iter().cloned());
        for url in refresh {
            if !verification.cert_needed.contains(&url) && self.refresh_due(&url, now)? {
                verification.cert_needed.push(url);
            }
        }
        for url in &rich.cert_needed {
            if !verification.cert_needed.contains(url) {
                verification.cert_needed.push(url.clone());
            }
        }

        let (presentation, number) = caller(call, self.region);
        let policy = self.policy.read()?.clone();

        // Lists, then heuristics, then the score.
        let facts = self.call_facts(call, &verification, presentation, number.as_deref());
        let decision = self.decide_lists(&facts, &policy, now)?;
        let (decision, waived) = self.waive_unless_verified(decision, &verification)?;
        reasons.extend(decision.reasons());
        reasons.extend(waived);
        reasons.extend(signals(SignalInput {
            number: facts.number.as_deref(),
            own_numbers: &self.own_e164,
            verification: &verification,
            network_marking: call.network_marking.as_deref(),
            recent_calls: call
                .recent_calls
                .max(self.history_calls_from(facts.number.as_deref(), now)),
        }));
        let protected = self.protected(call, number.as_deref(), &policy, now)?;
        if let Some(why) = &protected {
            reasons.push(Reason::new(ReasonCode::EmergencyCallback, why.clone()));
        }
        let score = mark(&mut reasons);

        let indication = indicate(
            presentation,
            &verification,
            score,
            policy.spam_threshold,
            rich.data.name.is_some()
                && verification.source == Some(crate::verification::VerificationSource::Passport),
            policy.present_only_trusted_cli,
            &mut reasons,
        );
        // Rich call data is shown only on a verified business (RFC 9795, ATIS-1000094).
        let business = indication == crate::presentation::Indication::VerifiedBusiness;
        let shown = if business {
            rich.data
        } else {
            Default::default()
        };
        if business {
            reasons.extend(rich.verified);
        }
        let reaction = policy.react(ReactionInput {
            indication,
            presentation,
            verification: &verification,
            score,
            lists: if decision.blocks() {
                ListVerdict::Block
            } else if decision.excepts() {
                ListVerdict::Exception
            } else {
                ListVerdict::None
            },
            protected: protected.is_some(),
        });
        let show_number = matches!(
            indication,
            crate::presentation::Indication::Verified
                | crate::presentation::Indication::VerifiedBusiness
                | crate::presentation::Indication::Unverified
                | crate::presentation::Indication::LikelySpam
        );
        let verdict = Verdict {
            indication,
            action: reaction.action,
            sip_response: reaction.sip_response,
            presentation,
            display: Display {
                number: if show_number { number } else { None },
                name: shown.name,
                logo_url: shown.logo_url,
                call_reason: shown.call_reason,
                label: indication.label().to_string(),
                label_key: indication.label_key(),
            },
            verification,
            score,
            reasons,
        };
        self.record_screened(call, facts.number.as_deref(), &decision, &verdict, now);
        Ok(verdict)
    }

    /// Hand back a certificate chain the app fetched for `x5u` (PEM, leaf first,
    /// or DER). It is kept in the database, so it survives restarts.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the chain is unreadable or over 64 KiB;
    /// [`Error::Storage`] when the write fails.
    pub fn add_certificate(&self, x5u: &str, chain: &[u8]) -> Result<()> {
        let ders = parse_chain(chain).map_err(|e| Error::InvalidInput(e.to_string()))?;
        let not_after = ders
            .first()
            .and_then(|d| crate::cert::CertInfo::from_der(d).ok())
            .map(|c| c.not_after);
        {
            let db = self.db.lock()?;
            crate::store::put_certificate(&db, x5u, chain, self.clock.now(), not_after)?;
        }
        self.cache
            .lock()?
            .put_chain(x5u, Arc::new(Chain::new(ders)));
        Ok(())
    }

    /// Replace the STI-CA trust anchors (PEM texts). Cached validations are dropped.
    ///
    /// # Errors
    /// [`Error::Config`] when a text holds no certificate.
    pub fn set_trust_anchors(&self, pems: &[Vec<u8>]) -> Result<()> {
        let store = TrustStore::from_pems(pems)?;
        *self.trust.write()? = Arc::new(store);
        Ok(())
    }

    /// Replace the branded-calling (rcd) trust anchors.
    ///
    /// # Errors
    /// [`Error::Config`] when a text holds no certificate.
    pub fn set_rcd_trust_anchors(&self, pems: &[Vec<u8>]) -> Result<()> {
        *self.rcd_trust.write()? = Arc::new(TrustStore::from_pems(pems)?);
        Ok(())
    }

    /// How many chains have been validated (not served from the cache) so far.
    pub fn chain_validations(&self) -> Result<u64> {
        Ok(self.cache.lock()?.validations())
    }

    /// The database file, `None` in memory (exports keep their snapshots beside it).
    pub(crate) fn db_path(&self) -> Option<&std::path::Path> {
        self.config.db_path.as_deref()
    }

    fn binding(&self, call: &IncomingCall) -> CallBinding {
        let canon = |n: &str| canonical_tn(n, self.region);
        let orig = call
            .asserted_caller()
            .and_then(|na| na.uri.telephone_number())
            .and_then(canon);
        let dest = if self.own_numbers.is_empty() {
            [call.to.as_ref(), call.p_called_party_id.as_ref()]
                .into_iter()
                .flatten()
                .filter_map(|na| na.uri.telephone_number())
                .filter_map(canon)
                .collect()
        } else {
            self.own_numbers.clone()
        };
        CallBinding {
            orig,
            dest,
            date: call.date,
        }
    }

    /// See [`crate::cert::RefreshHints`]: a signature failed under the chain
    /// held for `x5u`; name it in `cert_needed` again?
    fn refresh_due(&self, x5u: &str, now: i64) -> Result<bool> {
        let fetched_at = {
            let db = self.db.lock()?;
            crate::store::certificate_added_at(&db, x5u)?
        };
        Ok(self
            .refresh
            .lock()?
            .due(x5u, fetched_at, now, self.config.cert_refresh_secs))
    }

    fn chain_for(&self, x5u: &str) -> std::result::Result<Arc<Chain>, CertFailure> {
        let unavailable = |detail: String| CertFailure {
            reason: ReasonCode::CertUnavailable,
            detail,
        };
        if let Some(chain) = self.cache.lock().ok().and_then(|c| c.chain(x5u)) {
            return Ok(chain);
        }
        let stored = self
            .db
            .lock()
            .ok()
            .and_then(|db| crate::store::get_certificate(&db, x5u).ok().flatten());
        let bytes = match stored {
            Some(b) => b,
            None => match self.source.lookup(x5u) {
                Ok(Some(b)) => b,
                Ok(None) => {
                    return Err(unavailable(
                        "the certificate is not available locally".into(),
                    ))
                }
                Err(e) => {
                    log::warn!("certificate source failed: {e}");
                    return Err(unavailable("the app's certificate source failed".into()));
                }
            },
        };
        let ders = parse_chain(&bytes).map_err(|e| CertFailure {
            reason: ReasonCode::CertInvalid,
            detail: e.to_string(),
        })?;
        let chain = Arc::new(Chain::new(ders));
        if let Ok(mut c) = self.cache.lock() {
            c.put_chain(x5u, chain.clone());
        }
        Ok(chain)
    }
}

struct Lookup<'a> {
    screener: &'a Screener,
}

impl SignerLookup for Lookup<'_> {
    fn signer(&self, x5u: &str, at: i64) -> std::result::Result<Arc<ValidatedSigner>, CertFailure> {
        let s = self.screener;
        let chain = s.chain_for(x5u)?;
        s.trust_state()?
            .signer(&s.cache, &chain, at, SignerPurpose::Passport)
    }

    fn rcd_signer(
        &self,
        x5u: &str,
        at: i64,
    ) -> std::result::Result<Arc<ValidatedSigner>, CertFailure> {
        let s = self.screener;
        let chain = s.chain_for(x5u)?;
        s.trust_state()?
            .signer(&s.cache, &chain, at, SignerPurpose::RichCallData)
    }
}
