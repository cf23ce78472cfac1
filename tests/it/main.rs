//! Every integration test, in one binary: each test file linked on its own
//! was a copy of the whole application (about 290 MB each, 4 GB for the
//! fourteen), which filled the disk of a fresh CI machine and cost a link
//! apiece. The tests share one FerretDB, each in a database of its own;
//! the ones that need their own FerretDB (outage, wal) start it.

mod support;

mod admin;
mod auth;
mod authoring;
mod binary;
mod content_authoring;
mod data_layer;
mod foundation;
mod fuzz;
mod learning;
mod outage;
mod sessions;
mod settings;
mod transfer;
mod wal;
