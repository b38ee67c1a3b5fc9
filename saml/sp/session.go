package sp

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"
)

// Session is an application session started by a login (N16: the
// e-service chooses its length and idle timeout).
type Session struct {
	// Identity is what the login yielded.
	Identity *Identity `json:"id"`
	// Created is when the session started; LastSeen when it was last used.
	Created  time.Time `json:"c"`
	LastSeen time.Time `json:"s"`
}

// SessionStore keeps the application session of a browser. The default is a
// sealed cookie; an application with its own session store implements this
// (or keeps the default and adds its own state in Config.OnLogin).
type SessionStore interface {
	// Save stores s for the browser of r.
	Save(w http.ResponseWriter, r *http.Request, s *Session) error
	// Load returns the browser's session, or an error matching
	// ErrNoSession when it has none.
	Load(r *http.Request) (*Session, error)
	// Delete ends the browser's session.
	Delete(w http.ResponseWriter, r *http.Request) error
}

// cookieSessions is the default SessionStore: the session sealed with
// AES-256-GCM in a cookie that lives SessionMaxAge.
type cookieSessions struct{ sp *SP }

var _ SessionStore = (*cookieSessions)(nil)

func (c *cookieSessions) Save(w http.ResponseWriter, _ *http.Request, s *Session) error {
	name := c.sp.sessionCookieName()
	v, err := c.sp.sessSealer.seal(name, s)
	if err != nil {
		return err
	}
	left := s.Created.Add(c.sp.cfg.sessionMaxAge).Sub(c.sp.cfg.now())
	http.SetCookie(w, c.sp.cookie(name, v, max(left, time.Second), false))
	return nil
}

func (c *cookieSessions) Load(r *http.Request) (*Session, error) {
	name := c.sp.sessionCookieName()
	ck, err := r.Cookie(name)
	if err != nil {
		return nil, ErrNoSession
	}
	var s Session
	if c.sp.sessSealer.open(name, ck.Value, &s) != nil || s.Identity == nil {
		return nil, ErrNoSession
	}
	return &s, nil
}

func (c *cookieSessions) Delete(w http.ResponseWriter, _ *http.Request) error {
	c.sp.clearCookie(w, c.sp.sessionCookieName(), false)
	return nil
}

// touchInterval is how stale LastSeen may get before a request re-saves the
// session, so that the idle timeout moves without a write per request.
const touchInterval = time.Minute

// Session returns the browser's live session: present, within SessionMaxAge
// and SessionIdleTimeout, before the IdP's SessionNotOnOrAfter and not ended
// by single logout. Errors match ErrNoSession or ErrSessionExpired.
func (sp *SP) Session(r *http.Request) (*Session, error) {
	s, err := sp.sessions.Load(r)
	if err != nil {
		return nil, err
	}
	if s == nil || s.Identity == nil {
		return nil, ErrNoSession
	}
	now := sp.cfg.now()
	switch {
	case !now.Before(s.Created.Add(sp.cfg.sessionMaxAge)):
		return nil, ErrSessionExpired
	case !now.Before(s.LastSeen.Add(sp.cfg.sessionIdle)):
		return nil, ErrSessionExpired
	case !s.Identity.SessionNotOnOrAfter.IsZero() && !now.Before(s.Identity.SessionNotOnOrAfter):
		return nil, ErrSessionExpired
	}
	if s.Identity.LoA, err = sp.loa.ParseClassRef(s.Identity.LoAClassRef); err != nil {
		return nil, ErrNoSession
	}
	id := s.Identity
	for _, key := range []string{revocationKey(id.Issuer, id.NameID, id.SessionIndex), revocationKey(id.Issuer, id.NameID, "")} {
		at, err := sp.revoked.RevokedAt(r.Context(), key, now)
		if err != nil {
			return nil, err
		}
		if !at.IsZero() && !s.Created.After(at) {
			return nil, ErrSessionExpired
		}
	}
	return s, nil
}

// Identity returns the identity of the browser's live session (see
// SP.Session).
func (sp *SP) Identity(r *http.Request) (*Identity, error) {
	s, err := sp.Session(r)
	if err != nil {
		return nil, err
	}
	return s.Identity, nil
}

func (sp *SP) touch(w http.ResponseWriter, r *http.Request, s *Session) {
	now := sp.cfg.now()
	if now.Sub(s.LastSeen) < touchInterval {
		return
	}
	s.LastSeen = now
	if err := sp.sessions.Save(w, r, s); err != nil {
		sp.cfg.log.WarnContext(r.Context(), "sp: cannot refresh session", "error", err)
	}
}

type identityKey struct{}

// IdentityFromContext returns the identity RequireLoA put into the request
// context, or nil.
func IdentityFromContext(ctx context.Context) *Identity {
	id, _ := ctx.Value(identityKey{}).(*Identity)
	return id
}

// RevocationStore remembers sessions ended by single logout (N14), so that
// a cookie-held session is refused after a back-channel LogoutRequest.
// Revoke and RevokedAt take the current time from the caller; an expired
// record reads as never revoked.
type RevocationStore interface {
	// Revoke records that sessions matching key and created at or before
	// at are ended; the record may be dropped after expires.
	Revoke(ctx context.Context, key string, at, expires time.Time) error
	// RevokedAt returns the latest revocation time of key, zero if none.
	RevokedAt(ctx context.Context, key string, now time.Time) (time.Time, error)
}

func revocationKey(issuer, nameID, sessionIndex string) string {
	return issuer + "\x00" + nameID + "\x00" + sessionIndex
}

// DefaultRevocationStoreSize is the capacity of a MemoryRevocationStore
// built with size 0.
const DefaultRevocationStoreSize = 100_000

// MemoryRevocationStore is the in-memory RevocationStore of one process,
// bounded like MemoryReplayCache.
type MemoryRevocationStore struct {
	mu      sync.Mutex
	size    int
	entries map[string]revocation
}

type revocation struct{ at, expires time.Time }

var _ RevocationStore = (*MemoryRevocationStore)(nil)

// NewMemoryRevocationStore returns an empty store of at most size records;
// 0 means DefaultRevocationStoreSize.
func NewMemoryRevocationStore(size int) *MemoryRevocationStore {
	if size <= 0 {
		size = DefaultRevocationStoreSize
	}
	return &MemoryRevocationStore{size: size, entries: make(map[string]revocation)}
}

// Revoke implements RevocationStore.
func (m *MemoryRevocationStore) Revoke(_ context.Context, key string, at, expires time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.entries[key]; ok {
		m.entries[key] = revocation{at: laterOf(old.at, at), expires: laterOf(old.expires, expires)}
		return nil
	}
	if len(m.entries) >= m.size {
		for k, e := range m.entries {
			if !at.Before(e.expires) {
				delete(m.entries, k)
			}
		}
		if len(m.entries) >= m.size {
			return errors.Join(ErrCacheFull, errors.New("sp: revocation store full"))
		}
	}
	m.entries[key] = revocation{at: at, expires: expires}
	return nil
}

// RevokedAt implements RevocationStore.
func (m *MemoryRevocationStore) RevokedAt(_ context.Context, key string, now time.Time) (time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	if !ok || !now.Before(e.expires) {
		return time.Time{}, nil
	}
	return e.at, nil
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
