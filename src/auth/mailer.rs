//! Outgoing mail behind a trait, so a deployment can plug in SMTP or an API.
//! The default writes each message to the server log (target `mail`), which
//! is how a single-machine install delivers password-reset links.

use std::sync::{Arc, Mutex};

/// One message to one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

pub trait Mailer: Send + Sync + std::fmt::Debug {
    fn send(&self, mail: Mail);
}

/// Writes every message to the log.
#[derive(Debug, Default)]
pub struct LogMailer;

impl Mailer for LogMailer {
    fn send(&self, mail: Mail) {
        tracing::info!(target: "mail", to = %mail.to, subject = %mail.subject, "{}", mail.body);
    }
}

/// Keeps messages in memory: for an operator's dry run, and for tests that
/// read the link a learner would receive.
#[derive(Debug, Default, Clone)]
pub struct MemoryMailer {
    sent: Arc<Mutex<Vec<Mail>>>,
}

impl MemoryMailer {
    pub fn sent(&self) -> Vec<Mail> {
        self.sent.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

impl Mailer for MemoryMailer {
    fn send(&self, mail: Mail) {
        if let Ok(mut sent) = self.sent.lock() {
            sent.push(mail);
        }
    }
}
