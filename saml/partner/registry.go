package partner

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eidkit/eidkit/saml/metadata"
)

// Partner is one trusted SAML entity of an environment, as Lookup returns it.
// Each Lookup returns a fresh Partner; its Metadata is shared with the
// registry and must be treated as read-only.
type Partner struct {
	// EntityID is the partner's entityID.
	EntityID string
	// Environment is the environment the partner's metadata belongs to
	// (N23), always the registry's own.
	Environment string
	// Metadata is the partner's verified metadata.
	Metadata *metadata.EntityDescriptor
	// Suspended is true while the partner is suspended (N25); Lookup then
	// also returns an error matching ErrSuspended.
	Suspended bool
	// SuspendedNotice is the operator's notice for users while suspended.
	SuspendedNotice string
	// Source names the metadata source the partner came from.
	Source string
	// ValidUntil is when the metadata stops being valid: the earliest
	// validUntil of the entity (inherited from its aggregate) and its role
	// descriptors; zero if none is set.
	ValidUntil time.Time
	// UpdatedAt is when the metadata was last loaded or confirmed unchanged.
	UpdatedAt time.Time
}

// entry is what the registry keeps per entity. It is immutable once in the
// index, because Lookup reads it after releasing the lock.
type entry struct {
	md      *metadata.EntityDescriptor
	owner   *sourceState // nil for Static partners
	source  string
	updated time.Time
	expires time.Time // earliest validUntil of the entity and its roles; zero: none
}

// newEntry computes the entry's expiry once, so that Lookup compares one
// time instead of calling metadata's Valid, which formats strings.
func newEntry(md *metadata.EntityDescriptor, owner *sourceState, source string, updated time.Time) *entry {
	e := &entry{md: md, owner: owner, source: source, updated: updated, expires: md.ValidUntil}
	for _, role := range []*metadata.RoleDescriptor{roleOf(md.SP), roleOfIDP(md.IDP)} {
		if role != nil && !role.ValidUntil.IsZero() && (e.expires.IsZero() || role.ValidUntil.Before(e.expires)) {
			e.expires = role.ValidUntil
		}
	}
	return e
}

func roleOf(sp *metadata.SPSSODescriptor) *metadata.RoleDescriptor {
	if sp == nil {
		return nil
	}
	return &sp.RoleDescriptor
}

func roleOfIDP(idp *metadata.IDPSSODescriptor) *metadata.RoleDescriptor {
	if idp == nil {
		return nil
	}
	return &idp.RoleDescriptor
}

// valid reports whether the entry's metadata is still valid at now; the
// error, built only when it is not, wraps metadata.ErrExpired.
func (e *entry) valid(now time.Time) error {
	if e.expires.IsZero() || now.Before(e.expires) {
		return nil
	}
	if err := e.md.Valid(now); err != nil {
		return err
	}
	return fmt.Errorf("%w: valid until %s", metadata.ErrExpired, e.expires.UTC().Format(time.RFC3339))
}

// Registry holds the trusted partners of one environment. Create it with
// New, NewStatic or Static; the zero value is not usable. It is safe for
// concurrent use: Lookup may run while Run refreshes.
type Registry struct {
	cfg    resolvedConfig
	fetch  *fetcher
	log    *slog.Logger
	active atomic.Bool // Run is running

	refreshMu sync.Mutex     // serialises refreshes; guards sources' bookkeeping
	sources   []*sourceState // fixed after New

	mu        sync.RWMutex
	index     map[string]*entry       // entityID -> current metadata
	expired   map[string]*sourceState // entityID -> source that left it out as expired
	suspended map[string]string       // entityID -> notice
}

// Environment returns the environment the registry serves.
func (r *Registry) Environment() string { return r.cfg.env }

// Lookup returns the partner with the given entityID.
//
// Errors are *LookupError values:
//   - ErrUnknownPartner when no source of this environment provides it;
//   - ErrSuspended while the partner is suspended: the partner is returned
//     too (with Suspended set and its notice) so the caller can show the
//     notice, and must still be refused;
//   - ErrExpired (also matching metadata.ErrExpired) once its metadata's
//     validUntil has passed without a successful refresh; the partner is
//     nil.
//
// ctx is accepted for the consumers' interfaces; Lookup does no I/O.
func (r *Registry) Lookup(ctx context.Context, entityID string) (*Partner, error) {
	r.mu.RLock()
	e, ok := r.index[entityID]
	notice, suspended := r.suspended[entityID]
	_, expired := r.expired[entityID]
	r.mu.RUnlock()
	if !ok {
		if expired {
			return nil, r.lookupError(entityID, fmt.Errorf("%w: %w", ErrExpired, metadata.ErrExpired))
		}
		return nil, r.lookupError(entityID, ErrUnknownPartner)
	}
	p := r.partner(entityID, e, notice, suspended)
	if suspended {
		err := r.lookupError(entityID, ErrSuspended)
		err.Notice = notice
		return p, err
	}
	if err := e.valid(r.cfg.now()); err != nil {
		return nil, r.lookupError(entityID, fmt.Errorf("%w: %w", ErrExpired, err))
	}
	return p, nil
}

func (r *Registry) lookupError(entityID string, err error) *LookupError {
	return &LookupError{EntityID: entityID, Environment: r.cfg.env, Err: err}
}

func (r *Registry) partner(id string, e *entry, notice string, suspended bool) *Partner {
	return &Partner{
		EntityID:        id,
		Environment:     r.cfg.env,
		Metadata:        e.md,
		Suspended:       suspended,
		SuspendedNotice: notice,
		Source:          e.source,
		ValidUntil:      e.expires,
		UpdatedAt:       e.updated,
	}
}

// Partners lists every partner currently held, sorted by entityID,
// including suspended and expired ones (check Suspended and ValidUntil).
func (r *Registry) Partners() []*Partner {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*Partner, 0, len(r.index))
	for id, e := range r.index {
		notice, suspended := r.suspended[id]
		out = append(out, r.partner(id, e, notice, suspended))
	}
	slices.SortFunc(out, func(a, b *Partner) int { return strings.Compare(a.EntityID, b.EntityID) })
	return out
}

// Suspend takes the partner out of service (N25): Lookup reports it with
// ErrSuspended and the notice until Resume. The suspension survives metadata
// refreshes. It is kept in memory only: an operator who needs it to survive
// a restart persists it and passes it back in Config.Suspended. Suspending
// an entityID no source provides fails with ErrUnknownPartner; suspending
// again replaces the notice.
func (r *Registry) Suspend(entityID, notice string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.index[entityID]; !ok {
		if _, ok := r.expired[entityID]; !ok {
			return r.lookupError(entityID, ErrUnknownPartner)
		}
	}
	r.suspended[entityID] = notice
	r.log.Warn("partner: suspended", "entity_id", entityID, "notice", notice)
	return nil
}

// Resume ends a suspension. Resuming a partner that is not suspended does
// nothing.
func (r *Registry) Resume(entityID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.suspended[entityID]; ok {
		delete(r.suspended, entityID)
		r.log.Info("partner: resumed", "entity_id", entityID)
	}
}

// Suspensions returns the current suspensions, entityID to notice, for an
// operator to persist and pass back in Config.Suspended.
func (r *Registry) Suspensions() map[string]string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[string]string, len(r.suspended))
	for k, v := range r.suspended {
		out[k] = v
	}
	return out
}

// Static returns a registry for environment env holding exactly the given
// partners, checked against time.Now. It is NewStatic without a clock; see
// there.
func Static(env string, ps ...*Partner) (*Registry, error) {
	return NewStatic(StaticConfig{Environment: env, Partners: ps})
}

// StaticConfig configures NewStatic. It is plain data.
type StaticConfig struct {
	// Environment is the registry's environment (N23). Required.
	Environment string
	// Partners are the partners held. A partner's Environment must be
	// Environment or empty (meaning Environment); its Suspended and
	// SuspendedNotice set the initial suspension.
	Partners []*Partner
	// Now is the clock validUntil is checked against; nil means time.Now.
	// Tests whose metadata was built with a fixed clock pass the same clock
	// here, or their partners expire in real time.
	Now func() time.Time
	// Logger receives suspension events; nil discards them.
	Logger *slog.Logger
}

// NewStatic returns a registry holding exactly cfg.Partners, with no
// sources and nothing to refresh: for tests and simple set-ups where the
// metadata was verified elsewhere (NewStatic does not verify signatures).
// Partners without metadata, with another environment, whose EntityID
// differs from their metadata's or that repeat an entityID are refused with
// ErrInvalidConfig.
func NewStatic(cfg StaticConfig) (*Registry, error) {
	env := cfg.Environment
	if err := validEnvironment("Environment", env); err != nil {
		return nil, err
	}
	rc := resolvedConfig{env: env, now: cfg.Now, log: cfg.Logger}
	if rc.now == nil {
		rc.now = time.Now
	}
	if rc.log == nil {
		rc.log = discardLogger()
	}
	r := newRegistry(rc)
	for i, p := range cfg.Partners {
		switch {
		case p == nil || p.Metadata == nil:
			return nil, fmt.Errorf("%w: Partners[%d]: no metadata", ErrInvalidConfig, i)
		case p.Environment != "" && p.Environment != env:
			return nil, fmt.Errorf("%w: Partners[%d] (%q): environment %q, registry serves %q (N23)",
				ErrInvalidConfig, i, p.EntityID, p.Environment, env)
		case p.EntityID != p.Metadata.EntityID:
			return nil, fmt.Errorf("%w: Partners[%d]: EntityID %q does not match its metadata's %q",
				ErrInvalidConfig, i, p.EntityID, p.Metadata.EntityID)
		}
		if _, dup := r.index[p.EntityID]; dup {
			return nil, fmt.Errorf("%w: Partners[%d]: duplicate entityID %q", ErrInvalidConfig, i, p.EntityID)
		}
		src := p.Source
		if src == "" {
			src = "static"
		}
		r.index[p.EntityID] = newEntry(p.Metadata, nil, src, p.UpdatedAt)
		if p.Suspended {
			r.suspended[p.EntityID] = p.SuspendedNotice
		}
	}
	return r, nil
}

func newRegistry(cfg resolvedConfig) *Registry {
	return &Registry{
		cfg:       cfg,
		log:       cfg.log,
		index:     map[string]*entry{},
		expired:   map[string]*sourceState{},
		suspended: map[string]string{},
	}
}
