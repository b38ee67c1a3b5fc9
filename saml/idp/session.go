package idp

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
)

// Session is the issuer-side single sign-on session (N13): who signed in,
// at which level, and which SPs received assertions (the participants that
// single logout must reach, N14).
type Session struct {
	// ID is the random session handle kept in the browser's cookie.
	ID string
	// Subject is the authenticated user as the Authenticator named them.
	Subject saml.NameID
	// Attributes are released to every SP of the session.
	Attributes []saml.Attribute
	// LoA is the level achieved.
	LoA loa.Level
	// AuthnInstant is when the user authenticated.
	AuthnInstant time.Time
	// NotOnOrAfter ends the session.
	NotOnOrAfter time.Time
	// Participants are the SPs that received an assertion, in order.
	Participants []Participant
}

// Participant is one SP that received an assertion in a session.
type Participant struct {
	// SP is the SP's entityID.
	SP string
	// NameID is the NameID issued to that SP (a transient or pairwise one
	// differs per SP); logout requests must name it.
	NameID saml.NameID
	// SessionIndex is the SessionIndex issued to that SP, unique per
	// session and SP.
	SessionIndex string
}

// participant returns the participant entry of sp, or nil.
func (s *Session) participant(sp string) *Participant {
	for i := range s.Participants {
		if s.Participants[i].SP == sp {
			return &s.Participants[i]
		}
	}
	return nil
}

// clone returns a deep enough copy for a store to keep.
func (s *Session) clone() *Session {
	c := *s
	c.Participants = slices.Clone(s.Participants)
	c.Attributes = slices.Clone(s.Attributes)
	return &c
}

// SessionStore keeps SSO sessions. Get and BySessionIndex return copies;
// Put replaces the whole session. An expired session (NotOnOrAfter passed
// at now) reads as ErrSessionNotFound. Implementations must be safe for
// concurrent use.
type SessionStore interface {
	// Get returns the session with the given ID.
	Get(ctx context.Context, id string, now time.Time) (*Session, error)
	// BySessionIndex returns the session holding a participant with that
	// SessionIndex (for back-channel logout, which has no cookie).
	BySessionIndex(ctx context.Context, index string, now time.Time) (*Session, error)
	// Put creates or replaces a session; ErrTooManySessions when full.
	Put(ctx context.Context, s *Session, now time.Time) error
	// Delete removes a session; deleting a missing one is not an error.
	Delete(ctx context.Context, id string) error
}

// MemorySessions is the in-memory SessionStore, bounded in size.
type MemorySessions struct {
	mu       sync.Mutex
	max      int
	sessions map[string]*Session
	index    map[string]string // SessionIndex -> session ID
}

var _ SessionStore = (*MemorySessions)(nil)

// NewMemorySessions returns a store holding at most max sessions (zero
// means DefaultMaxSessions).
func NewMemorySessions(max int) *MemorySessions {
	if max <= 0 {
		max = DefaultMaxSessions
	}
	return &MemorySessions{max: max, sessions: make(map[string]*Session), index: make(map[string]string)}
}

// Get implements SessionStore.
func (m *MemorySessions) Get(_ context.Context, id string, now time.Time) (*Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[id]
	if !ok || !now.Before(s.NotOnOrAfter) {
		return nil, ErrSessionNotFound
	}
	return s.clone(), nil
}

// BySessionIndex implements SessionStore.
func (m *MemorySessions) BySessionIndex(ctx context.Context, index string, now time.Time) (*Session, error) {
	m.mu.Lock()
	id, ok := m.index[index]
	m.mu.Unlock()
	if !ok {
		return nil, ErrSessionNotFound
	}
	return m.Get(ctx, id, now)
}

// Put implements SessionStore. When full it first drops expired sessions.
func (m *MemorySessions) Put(_ context.Context, s *Session, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	old, exists := m.sessions[s.ID]
	if !exists && len(m.sessions) >= m.max {
		for id, o := range m.sessions {
			if !now.Before(o.NotOnOrAfter) {
				m.deleteLocked(id)
			}
		}
		if len(m.sessions) >= m.max {
			return ErrTooManySessions
		}
	}
	if exists {
		for _, p := range old.Participants {
			delete(m.index, p.SessionIndex)
		}
	}
	c := s.clone()
	m.sessions[s.ID] = c
	for _, p := range c.Participants {
		m.index[p.SessionIndex] = c.ID
	}
	return nil
}

// Delete implements SessionStore.
func (m *MemorySessions) Delete(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.deleteLocked(id)
	return nil
}

func (m *MemorySessions) deleteLocked(id string) {
	if s, ok := m.sessions[id]; ok {
		for _, p := range s.Participants {
			delete(m.index, p.SessionIndex)
		}
		delete(m.sessions, id)
	}
}

// Cookie names.
func (p *IdP) sessionCookie() string { return p.cfg.CookieName + "_sid" }
func (p *IdP) pendingCookie() string { return p.cfg.CookieName + "_req" }
func (p *IdP) logoutCookie() string  { return p.cfg.CookieName + "_slo" }

// cookie builds a host-only, HttpOnly cookie scoped to the mount path.
// crossSite cookies (the SSO session, which must accompany the SP's
// cross-site POST to the SSO endpoint) are SameSite=None; the others Lax.
// Both are Secure unless Config.AllowInsecureCookies.
func (p *IdP) cookie(name, value string, maxAge time.Duration, crossSite bool) *http.Cookie {
	c := &http.Cookie{Name: name, Value: value, Path: p.cookiePath(), MaxAge: int(maxAge / time.Second),
		HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode}
	if c.MaxAge <= 0 {
		c.MaxAge = -1
	}
	if crossSite {
		c.SameSite = http.SameSiteNoneMode
	}
	if p.cfg.AllowInsecureCookies {
		c.Secure, c.SameSite = false, http.SameSiteLaxMode
	}
	return c
}

func (p *IdP) clearCookie(w http.ResponseWriter, name string, crossSite bool) {
	http.SetCookie(w, p.cookie(name, "", -1, crossSite))
}

func (p *IdP) cookiePath() string {
	if p.cfg.mountPath == "" {
		return "/"
	}
	return p.cfg.mountPath
}

// newHandle returns a random 256-bit handle for a cookie.
func newHandle(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, 32)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("idp: reading randomness: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// validHandle reports whether s looks like a handle from newHandle.
func validHandle(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
