//! Certificates: issued into `userenrollments.certificate` when a learner
//! completes a `certificateEligible` module, found again by their id.
//!
//! Issuing happens in the same document write that completes the
//! enrollment (see `learning::refresh_enrollment`), so a crash cannot leave
//! a completed module without its certificate; `foothold rebuild` issues any
//! that are missing (for example after a module became eligible).
//!
//! Which id an enrollment gets is decided once, by inserting a claim keyed
//! by the enrollment's id into `certificate_claims` (Foothold's collection):
//! FerretDB 1.24 updates are not isolated, so two app instances completing
//! the same enrollment could otherwise each write their own id; the unique
//! `_id` makes the second insert fail and read the first one's claim.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime, Document, doc};

use super::collections::ENROLLMENTS;
use super::enrollment::{Certificate, Enrollment};
use super::error::RepoError;
use crate::domain::certificate::{RANDOM_BYTES, format_id};

/// A fresh certificate, with 125 bits from the operating system's generator in its id.
pub fn new_certificate(now: DateTime) -> Certificate {
    let mut random = [0u8; RANDOM_BYTES];
    OsRng.fill_bytes(&mut random);
    let id = format_id(&random);
    Certificate {
        issued: true,
        issued_at: Some(now),
        download_url: Some(download_path(&id, "pdf")),
        certificate_id: Some(id),
    }
}

pub const CLAIMS: &str = "certificate_claims";

/// The certificate of `enrollment`: the one already claimed, or a new one
/// claimed now (racing callers all get the same).
pub async fn claim(db: &Database, enrollment: ObjectId, now: DateTime) -> Result<Certificate, RepoError> {
    let claims = db.collection::<Document>(CLAIMS);
    let read = |d: Document| Certificate {
        issued: true,
        issued_at: d.get_datetime("issuedAt").ok().copied(),
        certificate_id: d.get_str("certificateId").ok().map(str::to_string),
        download_url: d.get_str("certificateId").ok().map(|id| download_path(id, "pdf")),
    };
    if let Some(existing) = claims.find_one(doc! { "_id": enrollment }).await? {
        return Ok(read(existing));
    }
    let fresh = new_certificate(now);
    let claim = doc! { "_id": enrollment, "certificateId": fresh.certificate_id.clone(), "issuedAt": now };
    match claims.insert_one(claim).await {
        Ok(_) => Ok(fresh),
        Err(err) if super::error::is_duplicate_key(&err) => claims
            .find_one(doc! { "_id": enrollment })
            .await?
            .map(read)
            .ok_or(RepoError::NotFound("The certificate claim")),
        Err(err) => Err(err.into()),
    }
}

/// Moves the claim of an enrollment whose `_id` changed (`db::keys::migrate`).
pub async fn move_claim(db: &Database, from: ObjectId, to: ObjectId) -> Result<(), RepoError> {
    let claims = db.collection::<Document>(CLAIMS);
    if let Some(mut claim) = claims.find_one(doc! { "_id": from }).await? {
        claim.insert("_id", to);
        match claims.insert_one(claim).await {
            Ok(_) => {}
            Err(err) if super::error::is_duplicate_key(&err) => {}
            Err(err) => return Err(err.into()),
        }
        claims.delete_one(doc! { "_id": from }).await?;
    }
    Ok(())
}

/// Where the certificate `id` downloads as `format` (`svg` or `pdf`).
pub fn download_path(id: &str, format: &str) -> String {
    format!("/certificates/{id}/certificate.{format}")
}

/// The `$set` fields that store `certificate`.
pub fn fields(certificate: &Certificate) -> Document {
    let mut set = doc! { "certificate.issued": certificate.issued };
    if let Some(at) = certificate.issued_at {
        set.insert("certificate.issuedAt", at);
    }
    if let Some(id) = &certificate.certificate_id {
        set.insert("certificate.certificateId", id);
    }
    if let Some(url) = &certificate.download_url {
        set.insert("certificate.downloadUrl", url);
    }
    set
}

/// The completed enrollment that holds certificate `id` (already normalised).
pub async fn find(db: &Database, id: &str) -> Result<Option<Enrollment>, RepoError> {
    Ok(db
        .collection::<Enrollment>(ENROLLMENTS)
        .find_one(doc! { "certificate.certificateId": id, "certificate.issued": true })
        .await?)
}

/// A learner's certificates, newest first.
pub async fn list_for_user(db: &Database, user: ObjectId) -> Result<Vec<Enrollment>, RepoError> {
    let mut list = super::enrollment::completed_for_user(db, user).await?;
    list.retain(|e| e.certificate.issued);
    list.sort_by_key(|e| std::cmp::Reverse(e.certificate.issued_at.map(|d| d.timestamp_millis())));
    Ok(list)
}
