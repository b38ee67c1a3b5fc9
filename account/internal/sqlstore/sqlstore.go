package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/eidkit/eidkit/account"
)

// Dialect is what differs between engines.
type Dialect struct {
	// Name is "sqlite" or "postgres".
	Name string
	// Rebind turns "?" placeholders into the engine's form.
	Rebind func(string) string
	// IsUnique reports whether err is a unique-constraint violation.
	IsUnique func(error) bool
	// Migrations are applied in order, each once; index+1 is the version.
	Migrations [][]string
	// LockMigrations, if set, runs first in the migration transaction
	// (PostgreSQL: an advisory lock so concurrent starts do not race).
	LockMigrations string
}

// Store is account.Store over database/sql.
type Store struct {
	db *sql.DB
	d  Dialect
}

var _ account.Store = (*Store)(nil)

// New applies pending migrations and returns the store.
func New(ctx context.Context, db *sql.DB, d Dialect) (*Store, error) {
	s := &Store{db: db, d: d}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// DB returns the underlying handle.
func (s *Store) DB() *sql.DB { return s.db }

func (s *Store) migrate(ctx context.Context) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if s.d.LockMigrations != "" {
			if _, err := tx.ExecContext(ctx, s.d.LockMigrations); err != nil {
				return fmt.Errorf("sqlstore: migration lock: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`); err != nil {
			return fmt.Errorf("sqlstore: migrations table: %w", err)
		}
		var cur int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&cur); err != nil {
			return fmt.Errorf("sqlstore: migration version: %w", err)
		}
		for v := cur + 1; v <= len(s.d.Migrations); v++ {
			for _, stmt := range s.d.Migrations[v-1] {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("sqlstore: migration %d: %w", v, err)
				}
			}
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version) VALUES (?)`), v); err != nil {
				return fmt.Errorf("sqlstore: migration %d: %w", v, err)
			}
		}
		return nil
	})
}

func (s *Store) q(query string) string { return s.d.Rebind(query) }

func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: commit: %w", err)
	}
	return nil
}

func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicros(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.UnixMicro(n).UTC()
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func listJSON(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(l) // []string always marshals
	return string(b)
}

func parseList(s string) ([]string, error) {
	var l []string
	if err := json.Unmarshal([]byte(s), &l); err != nil {
		return nil, fmt.Errorf("sqlstore: stored list: %w", err)
	}
	if len(l) == 0 {
		return nil, nil
	}
	return l, nil
}

// wrap maps driver errors to account sentinels.
func (s *Store) wrap(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("sqlstore: %s: %w", op, account.ErrNotFound)
	case s.d.IsUnique(err):
		return fmt.Errorf("sqlstore: %s: %w: %w", op, account.ErrAlreadyExists, err)
	case errors.Is(err, account.ErrNotFound), errors.Is(err, account.ErrConflict), errors.Is(err, account.ErrAlreadyExists):
		return err
	}
	return fmt.Errorf("sqlstore: %s: %w", op, err)
}
