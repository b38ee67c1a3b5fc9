package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/eidkit/eidkit/account"
)

func (s *Store) pushHistory(ctx context.Context, tx *sql.Tx, id string, h account.HistoryEntry, keep int) error {
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO password_history (account_id, hash, norm, changed_at) VALUES (?,?,?,?)`),
		id, h.Hash, h.Norm, micros(h.ChangedAt)); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, s.q(`DELETE FROM password_history WHERE account_id = ? AND id NOT IN
		(SELECT id FROM password_history WHERE account_id = ? ORDER BY id DESC LIMIT ?)`), id, id, keep)
	return err
}

// PasswordHistory implements account.Store.
func (s *Store) PasswordHistory(ctx context.Context, accountID string, limit int) ([]account.HistoryEntry, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT hash, norm, changed_at FROM password_history
		WHERE account_id = ? ORDER BY id DESC LIMIT ?`), accountID, limit)
	if err != nil {
		return nil, s.wrap("password history", err)
	}
	defer rows.Close()
	var out []account.HistoryEntry
	for rows.Next() {
		var h account.HistoryEntry
		var at int64
		if err := rows.Scan(&h.Hash, &h.Norm, &at); err != nil {
			return nil, s.wrap("password history", err)
		}
		h.ChangedAt = fromMicros(at)
		out = append(out, h)
	}
	return out, s.wrap("password history", rows.Err())
}

// CreateResetToken implements account.Store.
func (s *Store) CreateResetToken(ctx context.Context, t account.ResetToken, events ...account.Event) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO reset_tokens (hash, account_id, created_at, expires_at, used_at)
			VALUES (?,?,?,?,0)`), t.Hash, t.AccountID, micros(t.CreatedAt), micros(t.ExpiresAt)); err != nil {
			return err
		}
		return s.insertEvents(ctx, tx, events)
	})
	return s.wrap("create reset token", err)
}

// GetResetToken implements account.Store.
func (s *Store) GetResetToken(ctx context.Context, hash string, now time.Time) (account.ResetToken, error) {
	var t account.ResetToken
	var created, expires int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT hash, account_id, created_at, expires_at FROM reset_tokens
		WHERE hash = ? AND used_at = 0 AND expires_at > ?`), hash, micros(now)).Scan(&t.Hash, &t.AccountID, &created, &expires)
	t.CreatedAt, t.ExpiresAt = fromMicros(created), fromMicros(expires)
	return t, s.wrap("get reset token", err)
}

func (s *Store) consumeToken(ctx context.Context, tx *sql.Tx, hash, accountID string, now time.Time) error {
	res, err := tx.ExecContext(ctx, s.q(`UPDATE reset_tokens SET used_at = ? WHERE hash = ? AND account_id = ?
		AND used_at = 0 AND expires_at > ?`), micros(now), hash, accountID, micros(now))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("sqlstore: reset token: %w", account.ErrNotFound)
	}
	return nil
}

func (s *Store) insertEvents(ctx context.Context, tx *sql.Tx, events []account.Event) error {
	for _, e := range events {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO events (at, account_id, username, actor, action, remote, detail)
			VALUES (?,?,?,?,?,?,?)`), micros(e.At), e.AccountID, e.Username, e.Actor, string(e.Action), e.Remote, e.Detail); err != nil {
			return err
		}
	}
	return nil
}

// AppendEvents implements account.Store.
func (s *Store) AppendEvents(ctx context.Context, events ...account.Event) error {
	return s.wrap("append events", s.inTx(ctx, func(tx *sql.Tx) error { return s.insertEvents(ctx, tx, events) }))
}

// ListEvents implements account.Store.
func (s *Store) ListEvents(ctx context.Context, accountID string, limit int) ([]account.Event, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, at, account_id, username, actor, action, remote, detail
		FROM events WHERE account_id = ? ORDER BY id LIMIT ?`), accountID, limit)
	if err != nil {
		return nil, s.wrap("list events", err)
	}
	defer rows.Close()
	var out []account.Event
	for rows.Next() {
		var e account.Event
		var at int64
		var action string
		if err := rows.Scan(&e.ID, &at, &e.AccountID, &e.Username, &e.Actor, &action, &e.Remote, &e.Detail); err != nil {
			return nil, s.wrap("list events", err)
		}
		e.At, e.Action = fromMicros(at), account.Action(action)
		out = append(out, e)
	}
	return out, s.wrap("list events", rows.Err())
}
