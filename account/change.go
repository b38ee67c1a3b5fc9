package account

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/eidkit/eidkit/account/password"
	"github.com/eidkit/eidkit/account/policy"
)

// ChangePassword replaces the password after verifying the current one.
// The new password is checked against the profile and the password
// history; every violation is returned in one *policy.ViolationError
// (errors.Is(err, policy.ErrPolicyViolation)). A rejected change leaves
// the stored account as it was. The history is read and checked only
// here, never at login.
func (s *Service) ChangePassword(ctx context.Context, c Credentials, newPassword string) (Account, error) {
	a, _, _, err := s.authenticate(ctx, c)
	if err != nil {
		return Account{}, err
	}
	norm, err := policy.Normalize(newPassword)
	if err != nil {
		return Account{}, err
	}
	res, err := s.policy.Check(ctx, policy.Request{Profile: s.profile.ID(), Class: a.Class,
		SecondFactor: a.SecondFactor, Password: norm, Context: s.policyContext(a)})
	if err != nil {
		return Account{}, err
	}
	reused, err := s.reused(ctx, a, norm, newPassword)
	if err != nil {
		return Account{}, err
	}
	if reused {
		res.Violations = append(res.Violations, policy.NewViolation(policy.CodeReused,
			map[string]string{"history": strconv.Itoa(s.profile.History)}))
	}
	now := s.clock()
	actor := Actor{Name: a.Username, Remote: c.Remote}
	if verr := res.Err(); verr != nil {
		codes := make([]string, len(res.Violations))
		for i, v := range res.Violations {
			codes[i] = string(v.Code)
		}
		if err := s.store.AppendEvents(ctx, s.event(a, actor, ActionPasswordRejected, now, strings.Join(codes, ","))); err != nil {
			return Account{}, err
		}
		return Account{}, verr
	}
	hash, err := s.hasher.Hash(norm)
	if err != nil {
		return Account{}, err
	}
	a.PasswordHash, a.PasswordNorm, a.PasswordChangedAt = hash, policy.Normalization, now
	a.MustChangePassword, a.UpdatedAt = false, now
	return s.store.UpdateAccount(ctx, Update{Account: a, KeepHistory: s.profile.History,
		PushHistory: &HistoryEntry{Hash: hash, Norm: policy.Normalization, ChangedAt: now},
		Events:      []Event{s.event(a, actor, ActionPasswordChanged, now, "profile="+s.profile.ID())}})
}

func (s *Service) policyContext(a Account) policy.Context {
	return policy.Context{Username: a.Username, Email: a.Email, SystemName: s.systemName,
		FirstName: a.FirstName, Surname: a.Surname, Words: []string{a.Organisation}}
}

// reused reports whether the new password equals the current one or one
// of the last Profile.History passwords.
func (s *Service) reused(ctx context.Context, a Account, norm, raw string) (bool, error) {
	if s.profile.History == 0 {
		return false, nil
	}
	hist, err := s.store.PasswordHistory(ctx, a.ID, s.profile.History)
	if err != nil {
		return false, err
	}
	seen := map[string]bool{}
	all := append([]HistoryEntry{{Hash: a.PasswordHash, Norm: a.PasswordNorm}}, hist...)
	for i, h := range all {
		if seen[h.Hash] || i > s.profile.History {
			continue
		}
		seen[h.Hash] = true
		candidate := raw
		if h.Norm == policy.Normalization {
			candidate = norm
		}
		_, err := s.hasher.Verify(candidate, h.Hash)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, password.ErrMismatch), errors.Is(err, password.ErrTooLong):
		default:
			return false, err
		}
	}
	return false, nil
}
