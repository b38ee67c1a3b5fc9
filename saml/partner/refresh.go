package partner

import (
	"context"
	"errors"
	"time"
)

// Run refreshes the URL and file sources in the background until ctx is
// cancelled, each when its schedule says: at the metadata's cacheDuration,
// at most RefreshInterval and at least MinRefresh apart, sooner as validUntil
// approaches, and with doubling delays from MinRefresh after a failure.
// A failed refresh is logged and keeps the last good metadata. Schedules
// follow Config.Now: with a clock that does not advance nothing ever falls
// due (tests call Refresh instead, or run Run under testing/synctest). Run
// blocks: start it in its own goroutine. It returns nil once ctx is cancelled and
// the refresh in progress (if any) has stopped, or ErrAlreadyRunning if
// another Run is active. A registry from Static has nothing to refresh;
// Run then just waits for ctx.
func (r *Registry) Run(ctx context.Context) error {
	if !r.active.CompareAndSwap(false, true) {
		return ErrAlreadyRunning
	}
	defer r.active.Store(false)
	for {
		wait, ok := r.nextWait()
		if !ok {
			<-ctx.Done()
			return nil
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-timer.C:
		}
		r.refreshDue(ctx)
	}
}

// nextWait returns the time until the earliest scheduled refresh; false when
// no source is refreshable.
func (r *Registry) nextWait() (time.Duration, bool) {
	r.refreshMu.Lock()
	defer r.refreshMu.Unlock()
	var next time.Time
	for _, s := range r.sources {
		if s.refreshable() && (next.IsZero() || s.next.Before(next)) {
			next = s.next
		}
	}
	if next.IsZero() {
		return 0, false
	}
	return max(next.Sub(r.cfg.now()), 0), true
}

// refreshDue refreshes every source whose time has come. Errors are logged
// by refreshSource.
func (r *Registry) refreshDue(ctx context.Context) {
	r.refreshMu.Lock()
	defer r.refreshMu.Unlock()
	now := r.cfg.now()
	for _, s := range r.sources {
		if ctx.Err() != nil {
			return
		}
		if s.refreshable() && !s.next.After(now) {
			_ = r.refreshSource(ctx, s) // logged; the last good metadata stays
		}
	}
}

// Refresh refreshes every URL and file source now, whatever their
// schedule, and returns the failures joined (each a *SourceError). Sources
// that failed keep their last good metadata. It is safe to call while Run
// is running.
func (r *Registry) Refresh(ctx context.Context) error {
	r.refreshMu.Lock()
	defer r.refreshMu.Unlock()
	var errs []error
	for _, s := range r.sources {
		if !s.refreshable() {
			continue
		}
		if err := r.refreshSource(ctx, s); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
