//! Certificates: issued into `userenrollments.certificate` when a learner
//! completes a `certificateEligible` module, found again by their id.
//!
//! Issuing happens in the same document write that completes the
//! enrollment (see `learning::refresh_enrollment`), so a crash cannot leave
//! a completed module without its certificate; `foothold rebuild` issues any
//! that are missing (for example after a module became eligible).

use argon2::password_hash::rand_core::{OsRng, RngCore};
use mongodb::Database;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime, Document, doc};

use super::collections::ENROLLMENTS;
use super::enrollment::{Certificate, Enrollment};
use super::error::RepoError;
use crate::domain::certificate::{RANDOM_BYTES, format_id};
use crate::model::EnrollmentStatus;

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
    use futures::TryStreamExt;
    let mut list: Vec<Enrollment> = db
        .collection::<Enrollment>(ENROLLMENTS)
        .find(doc! { "user": user, "status": EnrollmentStatus::Completed.as_str(), "certificate.issued": true })
        .await?
        .try_collect()
        .await?;
    list.sort_by_key(|e| std::cmp::Reverse(e.certificate.issued_at.map(|d| d.timestamp_millis())));
    Ok(list)
}
