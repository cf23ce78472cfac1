// Command ferretdb runs FerretDB 1.24 embedded, so Foothold has a
// MongoDB-compatible database without any other server.
//
// The upstream `cmd/ferretdb` binary cannot be installed from the module proxy
// (it panics on a missing version file), so this wrapper embeds the public
// `ferretdb` package instead. It prints one line, `ready <mongodb-uri>`, on
// standard output once it accepts connections; with `-listen 127.0.0.1:0` the
// URI carries the port the kernel chose, which is how tests get a free port
// without racing for one.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	tuneRuntime()

	handler := flag.String("handler", "sqlite", "storage backend: sqlite or postgresql")
	sqliteDir := flag.String("sqlite-dir", "data", "directory holding one <db>.sqlite file per database; empty: a new temporary directory, removed on exit")
	sqlitePragmas := flag.String("sqlite-pragmas", "_pragma=synchronous(full)", "query string appended to the SQLite URL")
	postgresURL := flag.String("postgresql-url", "", "PostgreSQL URL, e.g. postgres://127.0.0.1:5432/ferretdb")
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on; port 0 picks a free port")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	exitOnStdinEOF := flag.Bool("exit-on-stdin-eof", false, "stop when standard input closes (lets a test process own the database's lifetime)")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail("bad -log-level %q: %v", *logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	config := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Logger:   logger,
		Handler:  *handler,
	}

	switch *handler {
	case "sqlite":
		dir := *sqliteDir
		if dir == "" {
			tmp, err := os.MkdirTemp("", "foothold-ferretdb-")
			if err != nil {
				fail("cannot create a temporary SQLite directory: %v", err)
			}
			defer os.RemoveAll(tmp)
			dir = tmp
		}
		dir, err := filepath.Abs(dir)
		if err != nil {
			fail("bad -sqlite-dir %q: %v", *sqliteDir, err)
		}
		if err := os.MkdirAll(dir, 0o750); err != nil {
			fail("cannot create SQLite directory %s: %v", dir, err)
		}
		config.SQLiteURL = "file:" + dir + "/"
		if *sqlitePragmas != "" {
			config.SQLiteURL += "?" + *sqlitePragmas
		}
	case "postgresql":
		if *postgresURL == "" {
			fail("-postgresql-url is required with -handler postgresql")
		}
		config.PostgreSQLURL = *postgresURL
	default:
		fail("unknown -handler %q (want sqlite or postgresql)", *handler)
	}

	db, err := ferretdb.New(config)
	if err != nil {
		fail("cannot start FerretDB: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *exitOnStdinEOF {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	// MongoDBURI waits for the TCP listener, so once it returns clients can connect.
	fmt.Printf("ready %s\n", db.MongoDBURI())

	if err := db.Run(ctx); err != nil {
		logger.Error("FerretDB stopped", "error", err)
	}
}

// tuneRuntime sets the Go runtime for a database under load: FerretDB
// allocates a great deal per command (BSON and JSON documents), and with the
// default GOGC=100 a profile of Foothold's heartbeat benchmark put 12% of
// FerretDB's CPU in the garbage collector; at 400 the heartbeat rate rose by
// about 20% (206 -> 253 per second in a probe) for about 15 MB more memory.
// The memory profiler's sampling is switched off (2% of the CPU). GOGC in
// the environment still wins.
func tuneRuntime() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	runtime.MemProfileRate = 0
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ferretdb: "+format+"\n", args...)
	os.Exit(1)
}
