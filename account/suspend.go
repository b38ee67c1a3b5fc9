package account

import (
	"context"
	"fmt"
	"time"
)

func (s *Service) suspendFields(a Account, now time.Time, reason string) Account {
	a.Status, a.SuspendedAt, a.ReviewDeadline, a.SuspendReason = StatusSuspended, now, now.Add(s.reviewPeriod), reason
	a.UpdatedAt = now
	return a
}

// notifySuspension tells the user and the central administrator, who must
// review by the deadline (A9). Failures are logged by notify.
func (s *Service) notifySuspension(ctx context.Context, a Account) {
	n := Notification{Kind: NotifySuspended, AccountID: a.ID, Username: a.Username, Email: a.Email,
		Deadline: a.ReviewDeadline, Reason: a.SuspendReason}
	_ = s.notify(ctx, n)
	n.ToAdmin = true
	_ = s.notify(ctx, n)
}

// Suspend suspends an active account (A9: suspicious traffic; A6: the
// central administrator blocks an account after a reset), notifies the
// user and the central administrator and sets the review deadline.
func (s *Service) Suspend(ctx context.Context, actor Actor, username, reason string) (Account, error) {
	a, err := s.transition(ctx, actor, username, StatusActive, ActionSuspended, reason, func(a Account, now time.Time) Account {
		return s.suspendFields(a, now, reason)
	})
	if err != nil {
		return Account{}, err
	}
	s.notifySuspension(ctx, a)
	return a, nil
}

// ReportSuspicious suspends an account after a suspicious login (A9).
func (s *Service) ReportSuspicious(ctx context.Context, actor Actor, username, detail string) (Account, error) {
	return s.Suspend(ctx, actor, username, "suspicious login: "+detail)
}

// Restore ends a suspension after review (A9).
func (s *Service) Restore(ctx context.Context, actor Actor, username string) (Account, error) {
	a, err := s.transition(ctx, actor, username, StatusSuspended, ActionRestored, "", func(a Account, now time.Time) Account {
		a.Status, a.FailedLogins, a.SuspendedAt, a.ReviewDeadline, a.SuspendReason = StatusActive, 0, time.Time{}, time.Time{}, ""
		return a
	})
	if err != nil {
		return Account{}, err
	}
	_ = s.notify(ctx, Notification{Kind: NotifyRestored, AccountID: a.ID, Username: a.Username, Email: a.Email})
	return a, nil
}

// Cancel cancels a suspended account after review (A9).
func (s *Service) Cancel(ctx context.Context, actor Actor, username, reason string) (Account, error) {
	a, err := s.transition(ctx, actor, username, StatusSuspended, ActionCancelled, reason, func(a Account, now time.Time) Account {
		a.Status, a.ReviewDeadline = StatusCancelled, time.Time{}
		return a
	})
	if err != nil {
		return Account{}, err
	}
	_ = s.notify(ctx, Notification{Kind: NotifyCancelled, AccountID: a.ID, Username: a.Username, Email: a.Email, Reason: reason})
	return a, nil
}

func (s *Service) transition(ctx context.Context, actor Actor, username string, from Status, action Action,
	detail string, apply func(Account, time.Time) Account) (Account, error) {
	a, err := s.store.GetAccountByUsername(ctx, username)
	if err != nil {
		return Account{}, err
	}
	now := s.clock()
	return s.modify(ctx, a.ID, func(a Account) (Update, error) {
		if a.Status != from {
			return Update{}, fmt.Errorf("%w: %s is %s, want %s", ErrInvalidState, a.Username, a.Status, from)
		}
		a = apply(a, now)
		a.UpdatedAt = now
		return Update{Account: a, Events: []Event{s.event(a, actor, action, now, detail)}}, nil
	})
}

// SetProcedureEnd records when an originator's procedure ended (A10:
// originator II accounts are deleted one month later).
func (s *Service) SetProcedureEnd(ctx context.Context, actor Actor, username string, end time.Time) (Account, error) {
	return s.setDate(ctx, actor, username, "procedure-end", func(a *Account) { a.ProcedureEndAt = end.UTC() })
}

// SetCardExpiry records a researcher card's expiry (A10).
func (s *Service) SetCardExpiry(ctx context.Context, actor Actor, username string, exp time.Time) (Account, error) {
	return s.setDate(ctx, actor, username, "card-expiry", func(a *Account) { a.CardExpiresAt = exp.UTC() })
}

func (s *Service) setDate(ctx context.Context, actor Actor, username, what string, set func(*Account)) (Account, error) {
	a, err := s.store.GetAccountByUsername(ctx, username)
	if err != nil {
		return Account{}, err
	}
	now := s.clock()
	return s.modify(ctx, a.ID, func(a Account) (Update, error) {
		set(&a)
		a.UpdatedAt = now
		return Update{Account: a, Events: []Event{s.event(a, actor, ActionUpdated, now, what)}}, nil
	})
}
