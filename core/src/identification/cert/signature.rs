//! Verify a certificate's signature with its issuer's key: ring for P-256, P-384
//! and RSA, the `p521` crate for P-521 (ring has no P-521).

use super::info::{CertInfo, KeyAlgorithm, SignatureAlgorithm};
use ring::signature::{self as sig, UnparsedPublicKey};

/// Whether `issuer`'s key verifies `child`'s signature over its TBSCertificate.
pub fn issued_by(child: &CertInfo, issuer: &CertInfo) -> bool {
    signed_by(
        issuer,
        child.signature_algorithm,
        &child.tbs,
        &child.signature,
    )
}

/// Whether `issuer`'s key verifies `signature` (DER for ECDSA) made with
/// `algorithm` over `signed` (a TBSCertificate or a TBSCertList).
pub fn signed_by(
    issuer: &CertInfo,
    algorithm: SignatureAlgorithm,
    signed: &[u8],
    signature: &[u8],
) -> bool {
    use KeyAlgorithm as K;
    use SignatureAlgorithm as S;
    let ring_alg: &'static dyn sig::VerificationAlgorithm = match (issuer.key_algorithm, algorithm)
    {
        (K::EcP256, S::EcdsaSha256) => &sig::ECDSA_P256_SHA256_ASN1,
        (K::EcP256, S::EcdsaSha384) => &sig::ECDSA_P256_SHA384_ASN1,
        (K::EcP384, S::EcdsaSha256) => &sig::ECDSA_P384_SHA256_ASN1,
        (K::EcP384, S::EcdsaSha384) => &sig::ECDSA_P384_SHA384_ASN1,
        (K::Rsa, S::RsaSha256) => &sig::RSA_PKCS1_2048_8192_SHA256,
        (K::Rsa, S::RsaSha384) => &sig::RSA_PKCS1_2048_8192_SHA384,
        (K::Rsa, S::RsaSha512) => &sig::RSA_PKCS1_2048_8192_SHA512,
        (K::EcP521, S::EcdsaSha256) => {
            return p521_verify(&ring::digest::SHA256, issuer, signed, signature)
        }
        (K::EcP521, S::EcdsaSha384) => {
            return p521_verify(&ring::digest::SHA384, issuer, signed, signature)
        }
        (K::EcP521, S::EcdsaSha512) => {
            return p521_verify(&ring::digest::SHA512, issuer, signed, signature)
        }
        _ => return false,
    };
    UnparsedPublicKey::new(ring_alg, &issuer.key)
        .verify(signed, signature)
        .is_ok()
}

/// P-521 with the hash the signature algorithm names (NetNumber's root signs its
/// P-384 intermediate with ecdsa-with-SHA384): hash with ring, verify the prehash.
fn p521_verify(
    hash: &'static ring::digest::Algorithm,
    issuer: &CertInfo,
    signed: &[u8],
    signature: &[u8],
) -> bool {
    use p521::ecdsa::signature::hazmat::PrehashVerifier;
    let Ok(key) = p521::ecdsa::VerifyingKey::from_sec1_bytes(&issuer.key) else {
        return false;
    };
    let Ok(signature) = p521::ecdsa::Signature::from_der(signature) else {
        return false;
    };
    let digest = ring::digest::digest(hash, signed);
    key.verify_prehash(digest.as_ref(), &signature).is_ok()
}
