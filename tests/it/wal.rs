//! The embedded database under steady load: SQLite rewinds its write-ahead
//! log only at a moment when nobody reads, and with reads that never stop
//! the log grew by every write (2.8 GB in minutes of the heartbeat
//! benchmark). The FerretDB wrapper holds operations back for a moment to
//! truncate it past 64 MB (db/ferretdb/patches/wal-stays-bounded-under-load.patch);
//! this test's own FerretDB, whose files it watches, does it past 8 MB.

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use mongodb::bson::{Document, doc};

const DOCUMENTS: i32 = 32;
const PAYLOAD: usize = 32 * 1024;
const WRITERS: i32 = 4;
/// Each update of a 32 KB document appends about 40 KB to the log, so the
/// log is written past its limit about seven times over.
const UPDATES_PER_WRITER: i32 = 400;
const LIMIT_MB: u64 = 8;
const READERS: i32 = 6;
const MB: u64 = 1 << 20;

fn wal_bytes(dir: &std::path::Path) -> u64 {
    std::fs::metadata(dir.join("wal.sqlite-wal")).map(|m| m.len()).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_write_ahead_log_stays_bounded_while_reads_never_stop() {
    let dir = std::env::temp_dir().join(format!("foothold-wal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let limit = LIMIT_MB.to_string();
    let (mut ferretdb, uri) =
        support::own_ferretdb_with(&dir, "127.0.0.1:0", &[("FOOTHOLD_WAL_LIMIT_MB", limit.as_str())]);
    let client = mongodb::Client::with_uri_str(&uri).await.unwrap();
    let docs = client.database("wal").collection::<Document>("docs");
    let payload = |n: i32| format!("{n:08}").repeat(PAYLOAD / 8);
    for id in 0..DOCUMENTS {
        docs.insert_one(doc! { "_id": id, "payload": payload(0) }).await.unwrap();
    }

    let stop = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicU64::new(0));
    let mut readers = Vec::new();
    for r in 0..READERS {
        let (docs, stop, reads) = (docs.clone(), Arc::clone(&stop), Arc::clone(&reads));
        readers.push(tokio::spawn(async move {
            let mut id = r;
            while !stop.load(Ordering::Relaxed) {
                docs.find_one(doc! { "_id": id % DOCUMENTS }).await.unwrap().unwrap();
                reads.fetch_add(1, Ordering::Relaxed);
                id += 1;
            }
        }));
    }
    let sampler = {
        let (dir, stop) = (dir.clone(), Arc::clone(&stop));
        tokio::spawn(async move {
            let (mut peak, mut truncations, mut last) = (0, 0, 0);
            while !stop.load(Ordering::Relaxed) {
                let now = wal_bytes(&dir);
                if last > LIMIT_MB * MB && now < last {
                    truncations += 1;
                }
                (peak, last) = (peak.max(now), now);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            (peak, truncations)
        })
    };
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let docs = docs.clone();
        writers.push(tokio::spawn(async move {
            for n in 0..UPDATES_PER_WRITER {
                let id = (w + n * WRITERS) % DOCUMENTS;
                docs.update_one(doc! { "_id": id }, doc! { "$set": { "payload": payload(n) } }).await.unwrap();
            }
        }));
    }
    for writer in writers {
        writer.await.unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    for reader in readers {
        reader.await.unwrap();
    }
    let (peak, truncations) = sampler.await.unwrap();
    let reads = reads.load(Ordering::Relaxed);
    ferretdb.kill().unwrap();
    ferretdb.wait().unwrap();
    std::fs::remove_dir_all(&dir).ok();

    eprintln!("log peak {} MB, {truncations} truncations, {reads} reads", peak / MB);
    assert!(reads > 1_000, "the readers kept reading ({reads} reads)");
    assert!(truncations >= 2, "the log was truncated under load ({truncations} times; peak {} MB)", peak / MB);
    assert!(peak < 4 * LIMIT_MB * MB, "the log stayed near {LIMIT_MB} MB under load: peak {} MB", peak / MB);
}
