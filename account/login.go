package account

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/eidkit/eidkit/account/password"
	"github.com/eidkit/eidkit/account/policy"
)

// Credentials are what a user presents at the login form.
type Credentials struct {
	Username string
	Password string
	// Remote is where the request came from, for the audit trail.
	Remote string
}

// LoginResult is a successful login.
type LoginResult struct {
	Account Account
	// MustChangePassword is set for temporary passwords (A4) and expired
	// ones; the caller must send the user to ChangePassword.
	MustChangePassword bool
	// PasswordExpired is set when the profile's MaxAge has passed.
	PasswordExpired bool
	// PasswordExpiresAt is zero when the profile has no rotation.
	PasswordExpiresAt time.Time
	// ExpiryWarning is set inside the profile's warning window.
	ExpiryWarning bool
}

// Login verifies credentials. Unknown usernames and wrong passwords both
// return ErrInvalidCredentials after the same amount of hashing work.
// Consecutive failures suspend the account (A9). A hash made with other
// parameters, another algorithm or without normalisation is replaced
// transparently.
func (s *Service) Login(ctx context.Context, c Credentials) (LoginResult, error) {
	a, pw, rehash, err := s.authenticate(ctx, c)
	if err != nil {
		return LoginResult{}, err
	}
	now := s.clock()
	actor := Actor{Name: a.Username, Remote: c.Remote}
	var newHash string
	if rehash || a.PasswordNorm != policy.Normalization {
		if newHash, err = s.hasher.Hash(pw); err != nil {
			return LoginResult{}, err
		}
	}
	a, err = s.modify(ctx, a.ID, func(a Account) (Update, error) {
		a.FailedLogins, a.LastLoginAt, a.UpdatedAt = 0, now, now
		u := Update{Events: []Event{s.event(a, actor, ActionLoginSucceeded, now, "")}}
		if newHash != "" {
			a.PasswordHash, a.PasswordNorm = newHash, policy.Normalization
			u.Events = append(u.Events, s.event(a, actor, ActionPasswordRehashed, now, ""))
		}
		u.Account = a
		return u, nil
	})
	if err != nil {
		return LoginResult{}, err
	}
	res := LoginResult{Account: a, MustChangePassword: a.MustChangePassword}
	if p := s.profile; p.MaxAge > 0 {
		res.PasswordExpiresAt = a.PasswordChangedAt.Add(p.MaxAge)
		res.PasswordExpired = !now.Before(res.PasswordExpiresAt)
		res.ExpiryWarning = !res.PasswordExpired && !now.Before(res.PasswordExpiresAt.Add(-p.ExpiryWarning))
		res.MustChangePassword = res.MustChangePassword || res.PasswordExpired
	}
	return res, nil
}

// authenticate checks the credentials and the account state. It returns
// the account, the password in the form the account's new hash should use
// (NFKC) and whether the stored hash wants replacing.
func (s *Service) authenticate(ctx context.Context, c Credentials) (Account, string, bool, error) {
	if err := policy.CheckRaw(c.Password); err != nil {
		return Account{}, "", false, err
	}
	norm, err := policy.Normalize(c.Password)
	if err != nil {
		return Account{}, "", false, err
	}
	a, err := s.store.GetAccountByUsername(ctx, c.Username)
	if errors.Is(err, ErrNotFound) {
		_ = s.hasher.VerifyDummy(norm)
		return Account{}, "", false, ErrInvalidCredentials
	}
	if err != nil {
		return Account{}, "", false, err
	}
	candidate := c.Password
	if a.PasswordNorm == policy.Normalization {
		candidate = norm
	}
	rehash, err := s.hasher.Verify(candidate, a.PasswordHash)
	if errors.Is(err, password.ErrMismatch) {
		return Account{}, "", false, s.loginFailed(ctx, a, c.Remote)
	}
	if err != nil {
		return Account{}, "", false, fmt.Errorf("account: verifying %s: %w", a.Username, err)
	}
	switch a.Status {
	case StatusSuspended:
		return Account{}, "", false, ErrSuspended
	case StatusCancelled:
		return Account{}, "", false, ErrCancelled
	}
	return a, norm, rehash, nil
}

// loginFailed counts a failure and suspends the account at the limit.
func (s *Service) loginFailed(ctx context.Context, a Account, remote string) error {
	now := s.clock()
	actor := Actor{Name: a.Username, Remote: remote}
	if a.Status != StatusActive {
		if err := s.store.AppendEvents(ctx, s.event(a, actor, ActionLoginFailed, now, "status="+string(a.Status))); err != nil {
			return err
		}
		return ErrInvalidCredentials
	}
	suspended := false
	a, err := s.modify(ctx, a.ID, func(a Account) (Update, error) {
		a.FailedLogins++
		a.UpdatedAt = now
		u := Update{Events: []Event{s.event(a, actor, ActionLoginFailed, now, "failures="+strconv.Itoa(a.FailedLogins))}}
		suspended = a.Status == StatusActive && a.FailedLogins >= s.maxFailed
		if suspended {
			reason := fmt.Sprintf("%d failed logins", a.FailedLogins)
			a = s.suspendFields(a, now, reason)
			u.Events = append(u.Events, s.event(a, Actor{Name: SystemActor, Remote: remote}, ActionSuspended, now, reason))
		}
		u.Account = a
		return u, nil
	})
	if err != nil {
		return err
	}
	if suspended {
		s.notifySuspension(ctx, a)
	}
	return ErrInvalidCredentials
}
