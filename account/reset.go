package account

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/eidkit/eidkit/account/policy"
)

// ResetTokenBytes is the entropy of a reset token: 256 bits, more than
// the 128 the issue requires.
const ResetTokenBytes = 32

// resetTokenLen is the length of the base64url text of a token.
var resetTokenLen = base64.RawURLEncoding.EncodedLen(ResetTokenBytes)

// HashToken returns the hex SHA-256 under which a reset token is stored.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// RequestReset starts a password reset from the login form (A6): a
// single-use token valid ResetTokenTTL goes to the registered e-mail and
// the central administrator is notified. For an unknown username, or an
// account that is not active, it does nothing and returns nil, so the
// form does not reveal which accounts exist.
func (s *Service) RequestReset(ctx context.Context, actor Actor, username string) error {
	a, err := s.store.GetAccountByUsername(ctx, username)
	if errors.Is(err, ErrNotFound) {
		s.log.InfoContext(ctx, "account: reset requested for unknown username", "remote", actor.Remote)
		return nil
	}
	if err != nil {
		return err
	}
	if a.Status != StatusActive {
		s.log.InfoContext(ctx, "account: reset requested for inactive account", "account", a.ID, "status", a.Status)
		return nil
	}
	raw := make([]byte, ResetTokenBytes)
	if _, err := io.ReadFull(s.rand, raw); err != nil {
		return fmt.Errorf("account: reading randomness: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := s.clock()
	t := ResetToken{Hash: HashToken(token), AccountID: a.ID, CreatedAt: now, ExpiresAt: now.Add(s.tokenTTL)}
	if err := s.store.CreateResetToken(ctx, t, s.event(a, actor, ActionResetRequested, now, "")); err != nil {
		return err
	}
	userErr := s.notify(ctx, Notification{Kind: NotifyResetLink, AccountID: a.ID, Username: a.Username,
		Email: a.Email, Token: token, Deadline: t.ExpiresAt})
	adminErr := s.notify(ctx, Notification{Kind: NotifyResetRequested, ToAdmin: true, AccountID: a.ID,
		Username: a.Username, Email: a.Email, Deadline: t.ExpiresAt})
	return errors.Join(userErr, adminErr)
}

// CompleteReset redeems a reset token once, within its validity, and
// returns a new temporary password that must be changed at first login
// (A4, A6). A blocked (suspended) account cannot be reset.
func (s *Service) CompleteReset(ctx context.Context, actor Actor, token string) (string, error) {
	if len(token) != resetTokenLen {
		return "", ErrInvalidToken
	}
	if _, err := base64.RawURLEncoding.DecodeString(token); err != nil {
		return "", ErrInvalidToken
	}
	now := s.clock()
	hash := HashToken(token)
	t, err := s.store.GetResetToken(ctx, hash, now)
	if errors.Is(err, ErrNotFound) {
		return "", ErrInvalidToken
	}
	if err != nil {
		return "", err
	}
	a, err := s.store.GetAccount(ctx, t.AccountID)
	if err != nil {
		return "", err
	}
	temp, err := s.temporaryPassword(ctx, a.Class)
	if err != nil {
		return "", err
	}
	pwHash, err := s.hasher.Hash(temp)
	if err != nil {
		return "", err
	}
	_, err = s.modify(ctx, t.AccountID, func(a Account) (Update, error) {
		if a.Status != StatusActive {
			return Update{}, ErrSuspended
		}
		a.PasswordHash, a.PasswordNorm, a.PasswordChangedAt = pwHash, policy.Normalization, now
		a.MustChangePassword, a.FailedLogins, a.UpdatedAt = true, 0, now
		return Update{Account: a, ConsumeToken: hash, Now: now, KeepHistory: s.profile.History,
			PushHistory: &HistoryEntry{Hash: pwHash, Norm: policy.Normalization, ChangedAt: now},
			Events:      []Event{s.event(a, actor, ActionResetCompleted, now, "")}}, nil
	})
	if errors.Is(err, ErrNotFound) {
		return "", ErrInvalidToken
	}
	if err != nil {
		return "", err
	}
	return temp, nil
}
