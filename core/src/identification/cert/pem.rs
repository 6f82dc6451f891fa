//! A certificate chain as delivered at an `x5u` URL: PEM certificates (leaf
//! first), or one DER certificate. Bounded by [`crate::limits::MAX_CHAIN_BYTES`].

use crate::limits::{MAX_CHAIN_BYTES, MAX_PATH_CERTS};
use x509_parser::pem::Pem;

/// Why a chain file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    /// Over [`MAX_CHAIN_BYTES`] or more certificates than a path may hold.
    #[error("certificate chain over the size limit")]
    TooLarge,
    /// No certificate could be read.
    #[error("no certificate in the chain: {0}")]
    Malformed(String),
}

/// Read the DER certificates of a chain file, in order. PEM blocks that are not
/// `CERTIFICATE` are skipped; bytes that are not PEM are read as one DER certificate.
pub fn parse_chain(bytes: &[u8]) -> Result<Vec<Vec<u8>>, ChainError> {
    if bytes.len() > MAX_CHAIN_BYTES {
        return Err(ChainError::TooLarge);
    }
    if !bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        return match bytes.first() {
            Some(0x30) => Ok(vec![bytes.to_vec()]),
            _ => Err(ChainError::Malformed("neither PEM nor DER".into())),
        };
    }
    let mut out = Vec::new();
    for pem in Pem::iter_from_buffer(bytes) {
        let pem = pem.map_err(|e| ChainError::Malformed(e.to_string()))?;
        if pem.label == "CERTIFICATE" {
            out.push(pem.contents);
            if out.len() > MAX_PATH_CERTS {
                return Err(ChainError::TooLarge);
            }
        }
    }
    if out.is_empty() {
        return Err(ChainError::Malformed("no CERTIFICATE block".into()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_garbage_and_oversize() {
        assert!(matches!(
            parse_chain(b"hello"),
            Err(ChainError::Malformed(_))
        ));
        assert!(matches!(
            parse_chain(&vec![b'a'; MAX_CHAIN_BYTES + 1]),
            Err(ChainError::TooLarge)
        ));
        assert!(
            parse_chain(b"-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n").is_err()
        );
    }
}
