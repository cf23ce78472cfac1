//! Certificates: public verification by id (anyone may check one; the id
//! is the secret), the signed-in learner's own list, and the SVG/PDF
//! downloads (plain axum handlers, see [`download`]).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::Difficulty;

/// What the verification page (and a learner's list) shows of a certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificateView {
    pub id: String,
    /// The holder's name as printed (full name, or username when none is set).
    pub holder: String,
    pub username: String,
    pub module_id: String,
    pub module_title: String,
    pub phase_title: String,
    pub difficulty: Difficulty,
    /// In the holder's time zone, e.g. "25 November 2026".
    pub completed_on: String,
    /// Minutes the holder studied the module.
    pub study_minutes: u32,
    /// The module's average lab and game score, when it had any.
    pub average_score: Option<f64>,
    /// Absolute address of the verification page.
    pub verify_url: String,
    pub svg_url: String,
    pub pdf_url: String,
}

/// The certificate with this id, for anyone (the verification page).
#[server(endpoint = "certificates/verify")]
pub async fn verify_certificate(certificate_id: String) -> Result<CertificateView, AppError> {
    let state = crate::server::state()?;
    ssr::verify(&state.db, &state.public_url, &certificate_id).await.map_err(crate::server::fail)
}

/// The signed-in learner's certificates, newest first.
#[server(endpoint = "certificates/mine")]
pub async fn my_certificates() -> Result<Vec<CertificateView>, AppError> {
    let user = crate::auth::guard::require_user().await?;
    let state = crate::server::state()?;
    ssr::of_user(&state.db, &state.public_url, &user).await.map_err(crate::server::fail)
}

#[cfg(feature = "ssr")]
pub use ssr::{download, of_user};

#[cfg(feature = "ssr")]
mod ssr {
    use axum::extract::{Path, State};
    use axum::http::{StatusCode, header};
    use axum::response::{IntoResponse, Response};
    use mongodb::Database;

    use super::CertificateView;
    use crate::db::enrollment::Enrollment;
    use crate::db::user::User;
    use crate::error::AppError;
    use crate::server::AppState;

    const NOT_FOUND: &str = "A certificate with this ID";

    pub async fn verify(db: &Database, site: &str, typed: &str) -> Result<CertificateView, AppError> {
        let (view, _) = find(db, site, typed).await?;
        Ok(view)
    }

    /// The certificate and what it prints, or not found (also for an id that cannot exist).
    async fn find(
        db: &Database,
        site: &str,
        typed: &str,
    ) -> Result<(CertificateView, crate::certificate::Document), AppError> {
        let id = crate::domain::certificate::normalise(typed).ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))?;
        let enrollment =
            crate::db::certificate::find(db, &id).await?.ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))?;
        let user =
            crate::db::user::get(db, enrollment.user).await?.ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))?;
        describe(db, site, &enrollment, &user).await?.ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))
    }

    pub async fn of_user(db: &Database, site: &str, user: &User) -> Result<Vec<CertificateView>, AppError> {
        let mut views = Vec::new();
        for enrollment in crate::db::certificate::list_for_user(db, user.id).await? {
            if let Some((view, _)) = describe(db, site, &enrollment, user).await? {
                views.push(view);
            }
        }
        Ok(views)
    }

    /// Everything a certificate says, from its enrollment, holder, module
    /// and phase; `site` is the public address the verification link starts with.
    async fn describe(
        db: &Database,
        site: &str,
        enrollment: &Enrollment,
        user: &User,
    ) -> Result<Option<(CertificateView, crate::certificate::Document)>, AppError> {
        let Some(id) = enrollment.certificate.certificate_id.clone() else { return Ok(None) };
        let Some(module) = crate::db::module::get(db, enrollment.module).await? else { return Ok(None) };
        let phase_title =
            crate::db::phase::get(db, module.phase).await?.map(|p| p.title).unwrap_or_else(|| "Foothold".into());
        let completed = enrollment.completed_at.or(enrollment.certificate.issued_at).unwrap_or(enrollment.updated_at);
        let offset = crate::timezone::offset_or_utc(&user.preferences.time_zone, completed.timestamp_millis());
        let completed_on = crate::domain::calendar::long_date_of(crate::domain::calendar::day_of(
            completed.timestamp_millis(),
            offset,
        ));
        let full_name = user.full_name();
        let holder = if full_name.trim().is_empty() { user.username.clone() } else { full_name };
        let minutes = enrollment.time_spent.total.max(0.0).round();
        let study_minutes = if minutes > f64::from(u32::MAX) { u32::MAX } else { minutes as u32 };
        let verify_url = format!("{site}/certificates/{id}");
        let view = CertificateView {
            id: id.clone(),
            holder,
            username: user.username.clone(),
            module_id: module.id.to_hex(),
            module_title: module.title.clone(),
            phase_title,
            difficulty: module.difficulty,
            completed_on,
            study_minutes,
            average_score: (enrollment.performance.total_attempts > 0).then_some(enrollment.performance.average_score),
            svg_url: crate::db::certificate::download_path(&id, "svg"),
            pdf_url: crate::db::certificate::download_path(&id, "pdf"),
            verify_url,
        };
        let document = crate::certificate::Document {
            id,
            holder: view.holder.clone(),
            module_title: view.module_title.clone(),
            phase_title: view.phase_title.clone(),
            difficulty: view.difficulty.label().to_string(),
            completed_on: view.completed_on.clone(),
            study_time: crate::model::catalog::format_minutes(study_minutes),
            verify_url: view.verify_url.clone(),
        };
        Ok(Some((view, document)))
    }

    /// `GET /certificates/{id}/{file}`: `certificate.svg` or `certificate.pdf`.
    pub async fn download(State(state): State<AppState>, Path((id, file)): Path<(String, String)>) -> Response {
        let format = match file.as_str() {
            "certificate.svg" => "svg",
            "certificate.pdf" => "pdf",
            _ => {
                return (StatusCode::NOT_FOUND, "Certificates download as certificate.svg or certificate.pdf.")
                    .into_response();
            }
        };
        let document = match find(&state.db, &state.public_url, &id).await {
            Ok((_, document)) => document,
            Err(err) => return (err.status(), err.to_string()).into_response(),
        };
        let filename = format!("foothold-certificate-{}.{format}", document.id);
        let disposition = format!("inline; filename=\"{filename}\"");
        if format == "svg" {
            let body = crate::certificate::svg(&document);
            return (
                [
                    (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8".to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                body,
            )
                .into_response();
        }
        match tokio::task::spawn_blocking(move || crate::certificate::pdf(&document)).await {
            Ok(Ok(bytes)) => (
                [(header::CONTENT_TYPE, "application/pdf".to_string()), (header::CONTENT_DISPOSITION, disposition)],
                bytes,
            )
                .into_response(),
            Ok(Err(err)) => {
                tracing::error!(error = %err, "cannot draw a certificate PDF");
                (StatusCode::INTERNAL_SERVER_ERROR, AppError::Internal.to_string()).into_response()
            }
            Err(err) => {
                tracing::error!(error = %err, "the certificate PDF task failed");
                (StatusCode::INTERNAL_SERVER_ERROR, AppError::Internal.to_string()).into_response()
            }
        }
    }
}
