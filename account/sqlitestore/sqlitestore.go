package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/eidkit/eidkit/account"
	"github.com/eidkit/eidkit/account/internal/sqlstore"
)

// BusyTimeoutMillis is how long a write waits for another process holding
// the file lock.
const BusyTimeoutMillis = 5000

// Store is account.Store on a SQLite file.
type Store struct {
	*sqlstore.Store
	db *sql.DB
}

var _ account.Store = (*Store)(nil)

// Open opens (creating if needed) the database file at path and applies
// pending migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, ErrEmptyPath
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + fmt.Sprintf(
		"?_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate", BusyTimeoutMillis)
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open: %w", err)
	}
	db.SetMaxOpenConns(1)
	s, err := sqlstore.New(ctx, db, sqlstore.Dialect{
		Name:       "sqlite",
		Rebind:     func(q string) string { return q },
		IsUnique:   isUnique,
		Migrations: sqlstore.Schema("sqlite"),
	})
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return &Store{Store: s, db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func isUnique(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}
