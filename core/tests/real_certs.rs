//! The 80 production SHAKEN certificates of `../shared/vectors/real-certs`
//! (quirks in its INDEX.tsv): every one parses; every TNAuthList parses or is
//! refused as INDEX.tsv says; every chain INDEX.tsv lets us assemble validates at
//! a time inside its validity (or fails for the defect it records); and the
//! validator agrees with rustls-webpki where both should judge alike.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use callscreen_core::identification::cert::{
    parse_chain, parse_tn_auth_list, validate_chain, CertInfo, TrustStore,
};
use callscreen_core::reason::ReasonCode;
use common::{data, vectors};
use std::collections::HashMap;

struct Row {
    file: String,
    is_ca: bool,
    spc: String,
    notes: String,
}

fn index() -> Vec<Row> {
    let text = std::fs::read_to_string(vectors("real-certs/INDEX.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("file\t"))
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            Row {
                file: c[0].to_string(),
                is_ca: c[7] == "true",
                spc: c[8].to_string(),
                notes: c[14].to_string(),
            }
        })
        .collect()
}

fn der(file: &str) -> Vec<u8> {
    let pem = std::fs::read(vectors(&format!("real-certs/{file}"))).unwrap();
    parse_chain(&pem).unwrap().remove(0)
}

/// The issuer file named in the notes ("signature verifies with issuer X.pem"),
/// `Some("self")` for self-signed, `None` when the issuer is not in the set.
fn issuer_of(row: &Row) -> Option<String> {
    if row.notes.contains("verifies with self") {
        return Some("self".into());
    }
    let i = row.notes.find("verifies with issuer ")?;
    let rest = &row.notes[i + "verifies with issuer ".len()..];
    Some(rest.split([' ', ';']).next()?.to_string())
}

/// Leaf → ... → self-signed root, as files; `None` when a link is missing.
fn chain_files(leaf: &str, rows: &HashMap<String, &Row>) -> Option<Vec<String>> {
    let mut out = vec![leaf.to_string()];
    loop {
        let row = rows.get(out.last()?)?;
        match issuer_of(row)?.as_str() {
            "self" => return Some(out),
            f => out.push(f.to_string()),
        }
        if out.len() > 4 {
            return None;
        }
    }
}

#[test]
fn every_real_certificate_parses_and_its_tnauthlist_is_judged() {
    let rows = index();
    assert_eq!(rows.len(), 80);
    let mut with_tn = 0;
    for row in &rows {
        let info =
            CertInfo::from_der(&der(&row.file)).unwrap_or_else(|e| panic!("{}: {e}", row.file));
        match (&info.tn_auth_list, row.spc.as_str()) {
            (Some(raw), "(malformed)") => {
                assert!(
                    parse_tn_auth_list(raw).is_none(),
                    "{} must be refused",
                    row.file
                )
            }
            (Some(raw), spc) => {
                with_tn += 1;
                let list = parse_tn_auth_list(raw).unwrap_or_else(|| panic!("{}", row.file));
                assert_eq!(list.spc(), Some(spc), "{}", row.file);
            }
            (None, spc) => assert!(
                spc.is_empty(),
                "{} lists SPC {spc} but has no TNAuthList",
                row.file
            ),
        }
    }
    assert!(with_tn >= 30, "{with_tn}");
}

struct Assembled {
    leaf: String,
    ders: Vec<Vec<u8>>,
    root: Vec<u8>,
    at: i64,
    expect_tn_defect: bool,
}

fn assembled() -> Vec<Assembled> {
    let rows = index();
    let by_file: HashMap<String, &Row> = rows.iter().map(|r| (r.file.clone(), r)).collect();
    let mut out = Vec::new();
    for row in rows.iter().filter(|r| !r.is_ca) {
        let Some(files) = chain_files(&row.file, &by_file) else {
            continue;
        };
        if files.len() < 2 {
            continue; // self-signed leaf: no chain to an anchor
        }
        let ders: Vec<Vec<u8>> = files.iter().map(|f| der(f)).collect();
        let infos: Vec<CertInfo> = ders
            .iter()
            .map(|d| CertInfo::from_der(d).unwrap())
            .collect();
        let from = infos.iter().map(|c| c.not_before).max().unwrap();
        let until = infos.iter().map(|c| c.not_after).min().unwrap();
        assert!(from < until, "{}: no common validity", row.file);
        let root = ders.last().unwrap().clone();
        out.push(Assembled {
            leaf: row.file.clone(),
            ders: ders[..ders.len() - 1].to_vec(),
            root,
            at: from + (until - from) / 2,
            expect_tn_defect: row.spc == "(malformed)",
        });
    }
    out
}

#[test]
fn every_assemblable_real_chain_validates_inside_its_validity() {
    let chains = assembled();
    assert!(chains.len() >= 25, "only {} chains", chains.len());
    for c in &chains {
        let anchors = TrustStore::from_pems(&[pem_of(&c.root)]).unwrap();
        let result = validate_chain(&c.ders, &anchors, c.at);
        if c.expect_tn_defect {
            // INDEX.tsv records a malformed TNAuthList: the profile must refuse it.
            assert_eq!(
                result.unwrap_err().reason,
                ReasonCode::TnauthlistMissing,
                "{}",
                c.leaf
            );
        } else {
            let signer = result.unwrap_or_else(|e| panic!("{}: {:?}", c.leaf, e));
            assert!(signer.spc.is_some(), "{}", c.leaf);
        }
        // Outside the leaf's validity the same chain is refused as expired.
        let leaf = CertInfo::from_der(&c.ders[0]).unwrap();
        let late = validate_chain(&c.ders, &anchors, leaf.not_after + 1).unwrap_err();
        assert_eq!(late.reason, ReasonCode::CertExpired, "{}", c.leaf);
        // Under another root it is untrusted.
        let other =
            TrustStore::from_pems(&[std::fs::read(data("pki/sti-ca-root.pem")).unwrap()]).unwrap();
        assert_eq!(
            validate_chain(&c.ders, &other, c.at).unwrap_err().reason,
            ReasonCode::CertUntrusted,
            "{}",
            c.leaf
        );
    }
}

#[test]
fn neustar_553j_from_the_pki_reports_chains_to_neustar() {
    let text =
        std::fs::read_to_string(vectors("external/shaken-pki-reports-neustar-553J.txt")).unwrap();
    let leaf = parse_chain(text.as_bytes()).unwrap().remove(0);
    let ders = vec![leaf, der("neustar-b6dc9bf5-18.pem")];
    let anchors = TrustStore::from_pems(&[pem_of(&der("neustar-4c728d18-17.pem"))]).unwrap();
    let at = chrono::DateTime::parse_from_rfc3339("2022-12-01T00:00:00Z")
        .unwrap()
        .timestamp();
    let signer = validate_chain(&ders, &anchors, at).unwrap();
    assert_eq!(signer.spc.as_deref(), Some("553J"));
    assert!(!signer.delegate);
}

fn pem_of(der: &[u8]) -> Vec<u8> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut s = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        s.push_str(std::str::from_utf8(chunk).unwrap());
        s.push('\n');
    }
    s.push_str("-----END CERTIFICATE-----\n");
    s.into_bytes()
}

/// What rustls-webpki says of a chain at `at`: Ok, or its error.
fn webpki_judge(ders: &[Vec<u8>], root: &[u8], at: i64) -> Result<(), webpki::Error> {
    use rustls_pki_types::{CertificateDer, UnixTime};
    let root = CertificateDer::from(root.to_vec());
    let anchor = webpki::anchor_from_trusted_cert(&root)?;
    let leaf = CertificateDer::from(ders[0].clone());
    let ee = webpki::EndEntityCert::try_from(&leaf)?;
    let intermediates: Vec<CertificateDer<'_>> = ders[1..]
        .iter()
        .map(|d| CertificateDer::from(d.clone()))
        .collect();
    let algs: &[&dyn rustls_pki_types::SignatureVerificationAlgorithm] = &[
        webpki::ring::ECDSA_P256_SHA256,
        webpki::ring::ECDSA_P256_SHA384,
        webpki::ring::ECDSA_P384_SHA256,
        webpki::ring::ECDSA_P384_SHA384,
        webpki::ring::RSA_PKCS1_2048_8192_SHA256,
        webpki::ring::RSA_PKCS1_2048_8192_SHA384,
        webpki::ring::RSA_PKCS1_2048_8192_SHA512,
    ];
    let time = UnixTime::since_unix_epoch(std::time::Duration::from_secs(at as u64));
    ee.verify_for_usage(
        algs,
        &[anchor],
        &intermediates,
        time,
        webpki::KeyUsage::server_auth(),
        None,
        None,
    )
    .map(|_| ())
}

/// Accepted by our path checks (a TNAuthList refusal is a SHAKEN check webpki
/// does not make, so it counts as a path accepted).
fn ours_accepts_path(ders: &[Vec<u8>], root: &[u8], at: i64) -> bool {
    let anchors = TrustStore::from_pems(&[pem_of(root)]).unwrap();
    match validate_chain(ders, &anchors, at) {
        Ok(_) => true,
        Err(e) => e.reason == ReasonCode::TnauthlistMissing,
    }
}

fn differential(ders: &[Vec<u8>], root: &[u8], at: i64, name: &str) -> (bool, bool) {
    let theirs = webpki_judge(ders, root, at);
    let ours = ours_accepts_path(ders, root, at);
    if theirs.is_ok() {
        assert!(ours, "{name}: webpki accepts, we refuse");
    }
    if let Err(e) = &theirs {
        let hard = matches!(
            e,
            webpki::Error::CertExpired { .. }
                | webpki::Error::CertNotValidYet { .. }
                | webpki::Error::UnknownIssuer
                | webpki::Error::InvalidSignatureForPublicKey
        );
        if hard {
            assert!(!ours, "{name}: webpki refuses for {e:?}, we accept");
        }
    }
    (theirs.is_ok(), ours)
}

#[test]
fn differential_against_webpki_on_real_and_generated_chains() {
    let mut agreed_accept = 0;
    for c in assembled() {
        let (theirs, _) = differential(&c.ders, &c.root, c.at, &c.leaf);
        agreed_accept += usize::from(theirs);
        let leaf = CertInfo::from_der(&c.ders[0]).unwrap();
        differential(
            &c.ders,
            &c.root,
            leaf.not_after + 86_400,
            &format!("{} expired", c.leaf),
        );
        let other = der("comcast-b1132c5f-03.pem");
        differential(&c.ders, &other, c.at, &format!("{} other root", c.leaf));
    }
    assert!(agreed_accept >= 20, "webpki accepted only {agreed_accept}");

    // Not judged alike: webpki does not check the signer's keyUsage, the SHAKEN
    // profile does (ATIS-1000080: digitalSignature). webpki accepts, we refuse.
    let bad_ku = parse_chain(&std::fs::read(data("certs/bad-ku-leaf.pem")).unwrap()).unwrap();
    let root_pem = std::fs::read(data("pki/sti-ca-root.pem")).unwrap();
    let anchors = TrustStore::from_pems(&[root_pem]).unwrap();
    let refused = validate_chain(&bad_ku, &anchors, common::FIXTURE_NOW).unwrap_err();
    assert_eq!(refused.reason, ReasonCode::CertInvalid);

    let root = parse_chain(&std::fs::read(data("pki/sti-ca-root.pem")).unwrap())
        .unwrap()
        .remove(0);
    for name in [
        "sp-leaf",
        "expired-leaf",
        "no-tnauth-leaf",
        "tn-leaf",
        "rogue-leaf",
        "delegate-leaf",
        "spc-delegate-leaf",
        "revoked-leaf",
    ] {
        let ders =
            parse_chain(&std::fs::read(data(&format!("certs/{name}.pem"))).unwrap()).unwrap();
        differential(&ders, &root, common::FIXTURE_NOW, name);
    }
}
